/** The people store (`core/ports/people-store.ts`) in DuckDB: tables of migration 4. */
import type {
  Appeal,
  ApiKeyRecord,
  CaseStatus,
  OtpRecord,
  PairingRequest,
  PeopleStore,
  Registration,
  RequestStatus,
  SessionRecord,
  TheftCase,
  UserRecord,
} from '../../core/ports/people-store.js';
import type { DuckDb, Row } from './duckdb-database.js';

const s = (v: unknown): string => String(v);
const ns = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const user = (r: Row): UserRecord => ({
  id: s(r.id),
  username: s(r.username),
  role: s(r.role) as UserRecord['role'],
  operator: ns(r.operator),
  organisation: s(r.organisation),
  passwordHash: s(r.password_hash),
  disabled: Boolean(r.disabled),
  createdAt: s(r.created_at),
});

const key = (r: Row): ApiKeyRecord => ({
  id: s(r.id),
  userId: s(r.user_id),
  keyHash: s(r.key_hash),
  createdAt: s(r.created_at),
  revokedAt: ns(r.revoked_at),
});

const theft = (r: Row): TheftCase => ({
  caseNumber: s(r.case_number),
  msisdn: s(r.msisdn),
  imeis: s(r.imeis).split(','),
  kind: s(r.kind) as TheftCase['kind'],
  policeReport: s(r.police_report),
  incidentDate: s(r.incident_date),
  place: s(r.place),
  status: s(r.status) as CaseStatus,
  createdAt: s(r.created_at),
  updatedAt: s(r.updated_at),
  decidedBy: ns(r.decided_by),
  note: s(r.note),
});

const pairing = (r: Row): PairingRequest => ({
  id: s(r.id),
  msisdn: s(r.msisdn),
  imei: s(r.imei),
  imsi: s(r.imsi),
  reason: s(r.reason),
  status: s(r.status) as RequestStatus,
  createdAt: s(r.created_at),
  decidedAt: ns(r.decided_at),
  decidedBy: ns(r.decided_by),
  note: s(r.note),
});

const appeal = (r: Row): Appeal => ({
  id: s(r.id),
  msisdn: s(r.msisdn),
  imei: s(r.imei),
  reason: s(r.reason),
  evidence: JSON.parse(s(r.evidence)) as Appeal['evidence'],
  status: s(r.status) as Appeal['status'],
  outcome: s(r.outcome),
  createdAt: s(r.created_at),
  decidedAt: ns(r.decided_at),
  decidedBy: ns(r.decided_by),
});

const registration = (r: Row): Registration => ({
  imei: s(r.imei),
  importerId: s(r.importer_id),
  model: s(r.model),
  brand: s(r.brand),
  deviceType: s(r.device_type),
  importPermit: s(r.import_permit),
  batchId: s(r.batch_id),
  createdAt: s(r.created_at),
});

/** WHERE clause and parameters from optional equality filters. */
function where(filters: Record<string, string | undefined>): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  for (const [col, v] of Object.entries(filters))
    if (v !== undefined) {
      parts.push(`${col} = ?`);
      params.push(v);
    }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export class DuckDbPeopleStore implements PeopleStore {
  constructor(private readonly db: DuckDb) {}

  async addUser(u: UserRecord): Promise<void> {
    await this.db.run('INSERT INTO people_users VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      u.id,
      u.username,
      u.role,
      u.operator,
      u.organisation,
      u.passwordHash,
      u.disabled,
      u.createdAt,
    ]);
  }
  async userById(id: string) {
    const r = await this.db.one('SELECT * FROM people_users WHERE id = ?', [id]);
    return r ? user(r) : undefined;
  }
  async userByName(username: string) {
    const r = await this.db.one('SELECT * FROM people_users WHERE username = ?', [username]);
    return r ? user(r) : undefined;
  }
  async listUsers() {
    return (await this.db.all('SELECT * FROM people_users ORDER BY username')).map(user);
  }
  async setPassword(userId: string, passwordHash: string) {
    await this.db.run('UPDATE people_users SET password_hash = ? WHERE id = ?', [
      passwordHash,
      userId,
    ]);
  }
  async addApiKey(k: ApiKeyRecord) {
    await this.db.run('INSERT INTO people_api_keys VALUES (?, ?, ?, ?, ?)', [
      k.id,
      k.userId,
      k.keyHash,
      k.createdAt,
      k.revokedAt,
    ]);
  }
  async apiKey(id: string) {
    const r = await this.db.one('SELECT * FROM people_api_keys WHERE id = ?', [id]);
    return r ? key(r) : undefined;
  }
  async revokeKeys(userId: string, at: string) {
    return this.db.run(
      'UPDATE people_api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
      [at, userId],
    );
  }
  async listApiKeys(userId?: string) {
    const w = where({ user_id: userId });
    return (
      await this.db.all(`SELECT * FROM people_api_keys ${w.sql} ORDER BY created_at`, w.params)
    ).map(key);
  }

  async addSession(x: SessionRecord) {
    // Ended sessions go when new ones come (ISO instants compare as text).
    await this.db.run('DELETE FROM people_sessions WHERE expires_at <= ?', [x.createdAt]);
    await this.db.run('INSERT INTO people_sessions VALUES (?, ?, ?, ?, ?, ?, ?)', [
      x.id,
      x.tokenHash,
      x.csrfToken,
      x.role,
      x.subject,
      x.expiresAt,
      x.createdAt,
    ]);
  }
  async session(id: string): Promise<SessionRecord | undefined> {
    const r = await this.db.one('SELECT * FROM people_sessions WHERE id = ?', [id]);
    return r
      ? {
          id: s(r.id),
          tokenHash: s(r.token_hash),
          csrfToken: s(r.csrf_token),
          role: s(r.role) as SessionRecord['role'],
          subject: s(r.subject),
          expiresAt: s(r.expires_at),
          createdAt: s(r.created_at),
        }
      : undefined;
  }
  async deleteSession(id: string) {
    await this.db.run('DELETE FROM people_sessions WHERE id = ?', [id]);
  }

  async addOtp(o: OtpRecord) {
    await this.db.run('INSERT INTO people_otps VALUES (?, ?, ?, ?, ?, ?, ?)', [
      o.id,
      o.msisdn,
      o.codeHash,
      o.expiresAt,
      o.attempts,
      o.usedAt,
      o.createdAt,
    ]);
  }
  async otp(id: string): Promise<OtpRecord | undefined> {
    const r = await this.db.one('SELECT * FROM people_otps WHERE id = ?', [id]);
    return r
      ? {
          id: s(r.id),
          msisdn: s(r.msisdn),
          codeHash: s(r.code_hash),
          expiresAt: s(r.expires_at),
          attempts: Number(r.attempts),
          usedAt: ns(r.used_at),
          createdAt: s(r.created_at),
        }
      : undefined;
  }
  async otpAttempt(id: string) {
    await this.db.run('UPDATE people_otps SET attempts = attempts + 1 WHERE id = ?', [id]);
    return Number(
      (await this.db.one('SELECT attempts FROM people_otps WHERE id = ?', [id]))?.attempts ?? 0,
    );
  }
  async useOtp(id: string, at: string) {
    return (
      (await this.db.run('UPDATE people_otps SET used_at = ? WHERE id = ? AND used_at IS NULL', [
        at,
        id,
      ])) === 1
    );
  }

  async addCase(c: TheftCase) {
    await this.db.run('INSERT INTO theft_cases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      c.caseNumber,
      c.msisdn,
      c.imeis.join(','),
      c.kind,
      c.policeReport,
      c.incidentDate,
      c.place,
      c.status,
      c.createdAt,
      c.updatedAt,
      c.decidedBy,
      c.note,
    ]);
  }
  async theftCase(n: string) {
    const r = await this.db.one('SELECT * FROM theft_cases WHERE case_number = ?', [n]);
    return r ? theft(r) : undefined;
  }
  async listCases(q: { msisdn?: string; status?: CaseStatus; imei?: string }) {
    const w = where({ msisdn: q.msisdn, status: q.status });
    let sql = `SELECT * FROM theft_cases ${w.sql}`;
    const params: string[] = [...w.params];
    if (q.imei !== undefined) {
      sql += `${w.sql ? ' AND' : ' WHERE'} list_contains(string_split(imeis, ','), ?)`;
      params.push(q.imei);
    }
    return (await this.db.all(`${sql} ORDER BY created_at DESC, case_number DESC`, params)).map(
      theft,
    );
  }
  async updateCase(
    n: string,
    c: { status: CaseStatus; decidedBy?: string | null; note?: string; at: string },
  ) {
    await this.db.run(
      `UPDATE theft_cases SET status = ?, updated_at = ?,
         decided_by = coalesce(?, decided_by), note = coalesce(?, note) WHERE case_number = ?`,
      [c.status, c.at, c.decidedBy ?? null, c.note ?? null, n],
    );
  }
  async nextCaseSequence(year: number) {
    const r = await this.db.one(
      `SELECT count(*)::INTEGER AS n FROM theft_cases WHERE case_number LIKE ?`,
      [`TC-${year}-%`],
    );
    return Number(r?.n ?? 0) + 1;
  }

  async addPairing(p: PairingRequest) {
    await this.db.run('INSERT INTO pairing_requests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      p.id,
      p.msisdn,
      p.imei,
      p.imsi,
      p.reason,
      p.status,
      p.createdAt,
      p.decidedAt,
      p.decidedBy,
      p.note,
    ]);
  }
  async pairing(id: string) {
    const r = await this.db.one('SELECT * FROM pairing_requests WHERE id = ?', [id]);
    return r ? pairing(r) : undefined;
  }
  async listPairings(q: { msisdn?: string; status?: RequestStatus }) {
    const w = where({ msisdn: q.msisdn, status: q.status });
    return (
      await this.db.all(`SELECT * FROM pairing_requests ${w.sql} ORDER BY created_at, id`, w.params)
    ).map(pairing);
  }
  async decidePairing(
    id: string,
    d: { status: RequestStatus; by: string; note: string; at: string },
  ) {
    await this.db.run(
      'UPDATE pairing_requests SET status = ?, decided_by = ?, note = ?, decided_at = ? WHERE id = ?',
      [d.status, d.by, d.note, d.at, id],
    );
  }

  async addAppeal(a: Appeal) {
    await this.db.run('INSERT INTO appeals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      a.id,
      a.msisdn,
      a.imei,
      a.reason,
      JSON.stringify(a.evidence),
      a.status,
      a.outcome,
      a.createdAt,
      a.decidedAt,
      a.decidedBy,
    ]);
  }
  async appeal(id: string) {
    const r = await this.db.one('SELECT * FROM appeals WHERE id = ?', [id]);
    return r ? appeal(r) : undefined;
  }
  async listAppeals(q: { msisdn?: string; status?: Appeal['status'] }) {
    const w = where({ msisdn: q.msisdn, status: q.status });
    return (
      await this.db.all(`SELECT * FROM appeals ${w.sql} ORDER BY created_at, id`, w.params)
    ).map(appeal);
  }
  async decideAppeal(
    id: string,
    d: { status: Appeal['status']; outcome: string; by: string; at: string },
  ) {
    await this.db.run(
      'UPDATE appeals SET status = ?, outcome = ?, decided_by = ?, decided_at = ? WHERE id = ?',
      [d.status, d.outcome, d.by, d.at, id],
    );
  }

  async addRegistrations(rows: readonly Registration[]) {
    if (rows.length === 0) return;
    await this.db.transaction(async () => {
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        await this.db.run(
          `INSERT INTO registrations VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((r) => [
            r.imei,
            r.importerId,
            r.model,
            r.brand,
            r.deviceType,
            r.importPermit,
            r.batchId,
            r.createdAt,
          ]),
        );
      }
    });
  }
  async registrationsOf(imeis: readonly string[]) {
    if (imeis.length === 0) return [];
    const out: Registration[] = [];
    for (let i = 0; i < imeis.length; i += 1000) {
      const chunk = imeis.slice(i, i + 1000);
      const rows = await this.db.all(
        `SELECT * FROM registrations WHERE imei IN (${chunk.map(() => '?').join(', ')})`,
        [...chunk],
      );
      out.push(...rows.map(registration));
    }
    return out;
  }
  async listRegistrations(importerId: string, limit: number) {
    return (
      await this.db.all(
        'SELECT * FROM registrations WHERE importer_id = ? ORDER BY created_at DESC, imei LIMIT ?',
        [importerId, limit],
      )
    ).map(registration);
  }
}
