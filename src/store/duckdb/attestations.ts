/**
 * The DuckDB attestation store (`core/ports/attestation-store.ts`, migration 5): challenges used
 * once by a conditional UPDATE, attestations with IMEIs in the triplets' number encoding.
 */
import type {
  AttestationRecord,
  AttestationStore,
  AttestationVerdictName,
  ChallengeUse,
} from '../../core/ports/attestation-store.js';
import type { DuckDb, Row } from './duckdb-database.js';

const DAY_MS = 86_400_000;

const imeiNum = (s: string | null) => (s !== null && /^[0-9]{14}$/.test(s) ? Number(s) : null);
const imsiNum = (s: string | null) =>
  s !== null && /^[0-9]{1,15}$/.test(s) ? Number(`1${s}`) : null;
const str = (v: Row[string] | undefined) => (v == null ? null : String(v));
const imeiText = (v: Row[string] | undefined) => (v == null ? null : String(v).padStart(14, '0'));

const COLUMNS = `id, epoch_ms(submitted_at) AS submitted_at, verdict, accepted, reasons,
  imei, second_imei, meid, brand, device, product, serial, manufacturer, model,
  claimed_imei, claimed_imsi, client, report`;

function record(r: Row): AttestationRecord {
  return {
    id: String(r.id),
    submittedAt: Number(r.submitted_at),
    verdict: String(r.verdict) as AttestationVerdictName,
    accepted: Boolean(r.accepted),
    reasons: JSON.parse(String(r.reasons)) as string[],
    imei: imeiText(r.imei),
    secondImei: imeiText(r.second_imei),
    meid: str(r.meid),
    brand: str(r.brand),
    device: str(r.device),
    product: str(r.product),
    serial: str(r.serial),
    manufacturer: str(r.manufacturer),
    model: str(r.model),
    claimedImei: imeiText(r.claimed_imei),
    claimedImsi: r.claimed_imsi == null ? null : String(r.claimed_imsi).slice(1),
    client: str(r.client),
    report: String(r.report),
  };
}

export class DuckDbAttestationStore implements AttestationStore {
  constructor(private readonly db: DuckDb) {}

  async addChallenge(challenge: string, issuedAt: number, expiresAt: number): Promise<void> {
    await this.db.run(
      `INSERT INTO attestation_challenges VALUES ($1, epoch_ms($2::BIGINT), epoch_ms($3::BIGINT), NULL)`,
      [challenge, issuedAt, expiresAt],
    );
  }

  async useChallenge(challenge: string, now: number): Promise<ChallengeUse> {
    await this.db.run(
      `DELETE FROM attestation_challenges WHERE expires_at < epoch_ms($1::BIGINT)`,
      [now - DAY_MS],
    );
    const used = await this.db.run(
      `UPDATE attestation_challenges SET used_at = epoch_ms($2::BIGINT)
        WHERE challenge = $1 AND used_at IS NULL AND expires_at >= epoch_ms($2::BIGINT)`,
      [challenge, now],
    );
    if (used === 1) return 'ok';
    const row = await this.db.one(
      `SELECT used_at IS NOT NULL AS used FROM attestation_challenges WHERE challenge = $1`,
      [challenge],
    );
    if (!row) return 'unknown';
    return row.used ? 'used' : 'expired';
  }

  async addAttestation(r: AttestationRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO attestations VALUES ($1, epoch_ms($2::BIGINT), $3, $4, $5, $6, $7, $8, $9,
        $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        r.id,
        r.submittedAt,
        r.verdict,
        r.accepted,
        JSON.stringify(r.reasons),
        imeiNum(r.imei),
        imeiNum(r.secondImei),
        r.meid,
        r.brand,
        r.device,
        r.product,
        r.serial,
        r.manufacturer,
        r.model,
        imeiNum(r.claimedImei),
        imsiNum(r.claimedImsi),
        r.client,
        r.report,
      ],
    );
  }

  async attestationsOf(imeiNorm: string): Promise<AttestationRecord[]> {
    const n = imeiNum(imeiNorm);
    if (n === null) return [];
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM attestations
        WHERE imei = $1 OR second_imei = $1 OR claimed_imei = $1
        ORDER BY submitted_at DESC, id`,
      [n],
    );
    return rows.map(record);
  }

  async attestedImeis(): Promise<Float64Array> {
    const rows = await this.db.all(
      `SELECT DISTINCT n FROM (
         SELECT imei AS n FROM attestations WHERE verdict = 'attested' AND accepted
         UNION ALL
         SELECT second_imei FROM attestations WHERE verdict = 'attested' AND accepted
       ) WHERE n IS NOT NULL ORDER BY n`,
    );
    return Float64Array.from(rows, (r) => Number(r.n));
  }
}
