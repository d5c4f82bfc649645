/**
 * The DuckDB exchange store (`core/ports/exchange-store.ts`, migration 6). Set-based SQL: a
 * publish is one diff of the exportable lists against the last published versions; a batch is
 * applied through a JSON-lines spool read by `read_json` (a million versions in seconds), in the same
 * transaction as the peer's cursor, so a crash leaves the cursor and the records in step.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type {
  ExchangeRecord,
  ExchangeStore,
  ForeignRecord,
  PeerRef,
  PeerState,
  PendingNotice,
  PublishOutcome,
  ReceivedNotice,
  RecordStatus,
  Trust,
  VerifiedBatch,
} from '../../core/ports/exchange-store.js';
import { lit, type DuckDb, type Row } from './duckdb-database.js';

const imeiText = (col: string) => `lpad(${col}::VARCHAR, 14, '0')`;
const ts = (d: Date) => `TIMESTAMP ${lit(d.toISOString().replace('T', ' ').replace('Z', ''))}`;
const CLEAN = (col: string) => `regexp_full_match(${col}, '[0-9]{14}')`;

/** The exportable records: `origin`, `reason`, `imei` (BIGINT), `reporting_date`. */
function exportableSql(country: string, shareLists: readonly string[]): string {
  const stolen = `SELECT 'stolen' AS reason, imei_norm::BIGINT AS imei,
      try_strptime(json_extract_string(attrs, '$.reporting_date'), '%Y%m%d')::DATE AS reporting_date
    FROM list_entries
    WHERE list = 'stolen' AND valid_to IS NULL AND ${CLEAN('imei_norm')}
      AND lower(trim(coalesce(status, ''))) IN ('', 'blacklist')`;
  const shared = shareLists.filter((l) => l !== 'stolen');
  const others = shared.length
    ? `UNION ALL SELECT list AS reason, imei_norm::BIGINT AS imei, NULL::DATE AS reporting_date
        FROM list_entries WHERE list IN (${shared.map(lit).join(', ')}) AND valid_to IS NULL
          AND ${CLEAN('imei_norm')}`
    : '';
  return `SELECT ${lit(country)} || '-' || reason || '-' || ${imeiText('imei')} AS record_id,
      imei, reason, reporting_date FROM (${stolen} ${others})`;
}

const LAST_VERSIONS = `SELECT record_id, arg_max(status, seq) AS status,
    arg_max(reporting_date, seq) AS reporting_date, arg_max(origin, seq) AS origin
  FROM exchange_feed GROUP BY record_id`;

function toRecord(r: readonly unknown[]): ExchangeRecord {
  return {
    seq: Number(r[0]),
    recordId: String(r[1]),
    imei: String(r[2]),
    reason: String(r[3]),
    reportingDate: r[4] == null ? null : String(r[4]),
    status: String(r[5]) as RecordStatus,
    origin: String(r[6]),
  };
}

const RECORD_COLUMNS = (t: string) =>
  `${t}.seq, ${t}.record_id, ${imeiText(`${t}.imei`)}, ${t}.reason, ${t}.reporting_date::VARCHAR,
   ${t}.status, ${t}.origin`;

let spoolNo = 0;

export class DuckDbExchangeStore implements ExchangeStore {
  constructor(private readonly db: DuckDb) {}

  private async rows(sql: string, params?: (string | number)[]): Promise<unknown[][]> {
    const reader = await this.db.conn.runAndReadAll(sql, params);
    return reader.getRowsJson() as unknown[][];
  }

  async feedHead(): Promise<number> {
    const r = await this.db.one('SELECT coalesce(max(seq), 0)::BIGINT AS h FROM exchange_feed');
    return Number(r?.h ?? 0);
  }

  publish(o: {
    country: string;
    shareLists: readonly string[];
    now: Date;
  }): Promise<PublishOutcome> {
    return this.db.transaction(async () => {
      const head = await this.feedHead();
      await this.db.run(`CREATE OR REPLACE TEMP TABLE exchange_publish AS
        WITH e AS (${exportableSql(o.country, o.shareLists)}), l AS (${LAST_VERSIONS})
        SELECT e.record_id, e.imei, e.reason, e.reporting_date, 'active' AS status,
               ${lit(o.country)} AS origin
          FROM e LEFT JOIN l ON l.record_id = e.record_id
          WHERE l.record_id IS NULL OR l.status <> 'active'
             OR l.reporting_date IS DISTINCT FROM e.reporting_date
        UNION ALL
        SELECT f.record_id, f.imei, f.reason, f.reporting_date, 'removed' AS status,
               f.origin
          FROM (SELECT record_id, arg_max(imei, seq) AS imei, arg_max(reason, seq) AS reason,
                       arg_max(reporting_date, seq) AS reporting_date,
                       arg_max(status, seq) AS status, arg_max(origin, seq) AS origin
                  FROM exchange_feed GROUP BY record_id) f
          WHERE f.status = 'active' AND f.record_id NOT IN (SELECT record_id FROM e)`);
      await this.db.run(
        `INSERT INTO exchange_feed
          SELECT ${head} + row_number() OVER (ORDER BY record_id), record_id, imei, reason,
                 reporting_date, status, origin, ${ts(o.now)}
            FROM exchange_publish`,
      );
      const c = await this.db.one(`SELECT count(*)::BIGINT AS n,
          count(*) FILTER (WHERE status = 'active')::BIGINT AS a FROM exchange_publish`);
      await this.db.run('DROP TABLE exchange_publish');
      const n = Number(c?.n ?? 0);
      const a = Number(c?.a ?? 0);
      return { appended: n, activated: a, removed: n - a, headSeq: head + n };
    });
  }

  async feedVersions(afterSeq: number, limit: number): Promise<ExchangeRecord[]> {
    const rows = await this.rows(
      `SELECT ${RECORD_COLUMNS('f')} FROM exchange_feed f
        WHERE f.seq > ${Math.trunc(afterSeq)} ORDER BY f.seq LIMIT ${Math.max(1, Math.trunc(limit))}`,
    );
    return rows.map(toRecord);
  }

  async feedVersionLines(
    afterSeq: number,
    limit: number,
  ): Promise<{ body: Buffer; count: number; lastSeq: number }> {
    const path = join(dirname(this.db.path), 'tmp', `exchange-${process.pid}-${++spoolNo}.json`);
    try {
      await this.db.run(`COPY (SELECT seq, record_id, ${imeiText('imei')} AS imei, reason,
          strftime(reporting_date, '%Y-%m-%d') AS reporting_date, status, origin
        FROM exchange_feed WHERE seq > ${Math.trunc(afterSeq)}
        ORDER BY seq LIMIT ${Math.max(1, Math.trunc(limit))}) TO ${lit(path)} (FORMAT json)`);
      const body = readFileSync(path);
      let count = 0;
      for (let i = body.indexOf(10); i >= 0; i = body.indexOf(10, i + 1)) count++;
      const last = count ? body.subarray(body.lastIndexOf(10, body.length - 2) + 1) : undefined;
      const lastSeq = last ? (JSON.parse(last.toString('utf8')) as { seq: number }).seq : afterSeq;
      return { body, count, lastSeq };
    } finally {
      rmSync(path, { force: true });
    }
  }

  async feedSnapshot(): Promise<{ headSeq: number; records: ExchangeRecord[] }> {
    return this.db.transaction(async () => {
      const headSeq = await this.feedHead();
      const rows = await this.rows(`SELECT ${RECORD_COLUMNS('f')} FROM exchange_feed f
        SEMI JOIN (SELECT record_id, max(seq) AS seq FROM exchange_feed GROUP BY record_id) m
          ON m.record_id = f.record_id AND m.seq = f.seq
        WHERE f.status = 'active' ORDER BY f.seq`);
      return { headSeq, records: rows.map(toRecord) };
    });
  }

  async syncPeers(peers: readonly PeerRef[]): Promise<void> {
    await this.db.transaction(async () => {
      for (const p of peers)
        await this.db.run(
          `INSERT INTO exchange_peers VALUES (?, ?, ?, 0, NULL, NULL)
           ON CONFLICT (peer) DO UPDATE SET country = excluded.country, trust = excluded.trust`,
          [p.peer, p.country, p.trust],
        );
    });
  }

  async peerStates(): Promise<PeerState[]> {
    const rows = await this.db.all(`SELECT p.peer, p.country, p.trust, p.last_seq,
        p.last_pull_at::VARCHAR AS last_pull_at, p.last_error,
        (SELECT count(*) FROM exchange_foreign f WHERE f.peer = p.peer AND f.status = 'active')
          ::BIGINT AS records
      FROM exchange_peers p ORDER BY p.peer`);
    return rows.map((r: Row) => ({
      peer: String(r.peer),
      country: String(r.country),
      trust: String(r.trust) as Trust,
      lastSeq: Number(r.last_seq),
      lastPullAt: r.last_pull_at == null ? null : String(r.last_pull_at),
      lastError: r.last_error == null ? null : String(r.last_error),
      records: Number(r.records),
    }));
  }

  /** Writes the batch body (JSON lines) to a spool beside the database; returns its path. */
  private spool(body: Buffer): string {
    const path = join(dirname(this.db.path), 'tmp', `exchange-${process.pid}-${++spoolNo}.json`);
    writeFileSync(path, body);
    return path;
  }

  async applyBatch(peer: PeerRef, b: VerifiedBatch, now: Date): Promise<number> {
    const path = this.spool(b.body);
    try {
      return await this.db.transaction(async () => {
        await this.db.run(`CREATE OR REPLACE TEMP TABLE exchange_staged AS
          SELECT record_id, arg_max(imei, seq) AS imei, arg_max(reason, seq) AS reason,
                 arg_max(reporting_date, seq) AS reporting_date, arg_max(status, seq) AS status,
                 arg_max(origin, seq) AS origin, max(seq) AS seq
            FROM read_json(${lit(path)}, format = 'newline_delimited', columns = {'seq': 'BIGINT',
              'record_id': 'VARCHAR', 'imei': 'BIGINT', 'reason': 'VARCHAR',
              'reporting_date': 'DATE', 'status': 'VARCHAR', 'origin': 'VARCHAR'})
            GROUP BY record_id`);
        const prov = `${lit(peer.peer)}, ${lit(b.keyId)}, ${lit(b.headerSha256)}, ${ts(now)}`;
        if (b.kind === 'snapshot')
          await this.db.run(`UPDATE exchange_foreign SET status = 'removed',
              peer = ${lit(peer.peer)}, key_id = ${lit(b.keyId)},
              batch_sha256 = ${lit(b.headerSha256)}, received_at = ${ts(now)}
            WHERE origin = ${lit(peer.country)} AND status = 'active'
              AND record_id NOT IN (SELECT record_id FROM exchange_staged)`);
        await this.db.run(`DELETE FROM exchange_foreign WHERE origin = ${lit(peer.country)}
            AND record_id IN (SELECT record_id FROM exchange_staged)`);
        const n = await this.db.run(`INSERT INTO exchange_foreign
            SELECT record_id, imei, reason, reporting_date, status, origin, seq, ${prov}
              FROM exchange_staged`);
        await this.db.run('DROP TABLE exchange_staged');
        await this.db.run(
          `UPDATE exchange_peers SET last_seq = ?::BIGINT, last_pull_at = ${ts(now)},
              last_error = NULL WHERE peer = ?`,
          [b.toSeq, peer.peer],
        );
        return n;
      });
    } finally {
      rmSync(path, { force: true });
    }
  }

  async recordPeerError(peer: string, reason: string, now: Date): Promise<void> {
    await this.db.run(
      `UPDATE exchange_peers SET last_error = ?, last_pull_at = ${ts(now)} WHERE peer = ?`,
      [reason, peer],
    );
  }

  async foreignRecords(q: { imei?: string; peer?: string } = {}): Promise<ForeignRecord[]> {
    const where = [
      ...(q.imei !== undefined
        ? [`f.imei = ${/^[0-9]{14}$/.test(q.imei) ? Number(q.imei) : -1}`]
        : []),
      ...(q.peer !== undefined ? [`f.peer = ${lit(q.peer)}`] : []),
    ];
    const rows = await this.rows(`SELECT ${RECORD_COLUMNS('f')}, f.peer, f.key_id,
        f.batch_sha256, strftime(f.received_at, '%Y-%m-%dT%H:%M:%S.%gZ'), coalesce(p.trust, 'inform')
      FROM exchange_foreign f LEFT JOIN exchange_peers p ON p.peer = f.peer
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY f.origin, f.record_id`);
    return rows.map((r) => ({
      ...toRecord(r),
      peer: String(r[7]),
      keyId: String(r[8]),
      batchSha256: String(r[9]),
      receivedAt: String(r[10]),
      trust: String(r[11]) as Trust,
    }));
  }

  async pendingNotices(ourCountry: string): Promise<PendingNotice[]> {
    const rows = await this.rows(`WITH seen AS (
        SELECT imei, max(last_seen) AS day FROM (
          SELECT imei, last_seen FROM network_imeis
          UNION ALL SELECT imei, time::DATE FROM check_observations) GROUP BY imei)
      SELECT f.record_id, ${imeiText('f.imei')}, s.day::VARCHAR, f.peer
        FROM exchange_foreign f JOIN seen s ON s.imei = f.imei
       WHERE f.status = 'active' AND f.origin <> ${lit(ourCountry)}
         AND f.record_id NOT IN (SELECT record_id FROM exchange_notices_sent)
       ORDER BY f.peer, f.record_id`);
    return rows.map((r) => ({
      recordId: String(r[0]),
      imei: String(r[1]),
      seenIn: ourCountry,
      seenOn: String(r[2]),
      peer: String(r[3]),
    }));
  }

  async markNoticesSent(notices: readonly PendingNotice[], now: Date): Promise<void> {
    if (!notices.length) return;
    const values = notices.map(
      (n) =>
        `(${lit(n.recordId)}, ${Number(n.imei)}, ${lit(n.peer)}, DATE ${lit(n.seenOn)}, ${ts(now)})`,
    );
    await this.db.run(`INSERT INTO exchange_notices_sent VALUES ${values.join(', ')}`);
  }

  async storeReceivedNotices(notices: readonly ReceivedNotice[]): Promise<void> {
    if (!notices.length) return;
    const values = notices.map(
      (n) =>
        `(${lit(n.recordId)}, ${Number(n.imei)}, ${lit(n.seenIn)}, DATE ${lit(n.seenOn)},
          ${lit(n.fromPeer)}, ${lit(n.keyId)}, TIMESTAMP ${lit(n.receivedAt.replace('T', ' ').replace('Z', ''))})`,
    );
    await this.db.run(`INSERT INTO exchange_notices_received VALUES ${values.join(', ')}`);
  }

  async receivedNotices(): Promise<ReceivedNotice[]> {
    const rows = await this.rows(`SELECT record_id, ${imeiText('imei')}, seen_in,
        seen_on::VARCHAR, from_peer, key_id, strftime(received_at, '%Y-%m-%dT%H:%M:%S.%gZ')
      FROM exchange_notices_received ORDER BY received_at, record_id`);
    return rows.map((r) => ({
      recordId: String(r[0]),
      imei: String(r[1]),
      seenIn: String(r[2]),
      seenOn: String(r[3]),
      fromPeer: String(r[4]),
      keyId: String(r[5]),
      receivedAt: String(r[6]),
    }));
  }
}
