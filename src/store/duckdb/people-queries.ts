/**
 * People-facing read queries (`core/ports/people-queries.ts`) in DuckDB: numbers in the hot tables
 * (triplets, network_imeis, list_rows) are matched as numbers; IMSI/MSISDN keys `1<digits>` are
 * turned back into digit strings only for the rows returned.
 */
import type { DeploymentProfile } from '../../core/deployment.js';
import type { PeopleQueries, PublicCheckData, TacDevice } from '../../core/ports/people-queries.js';
import type {
  DashboardFigures,
  RuleDryRunResult,
  Sighting,
} from '../../core/ports/people-services.js';
import type { Condition } from '../../core/rules/condition.js';
import type { DuckDb } from './duckdb-database.js';
import { ruleDryRun } from './people-rule-dry-run.js';

const digitsOf = (col: string): string =>
  `CASE WHEN t.${col} >= 0 THEN substr(t.${col}::VARCHAR, 2) ELSE ${col}_t.value END`;

export class DuckDbPeopleQueries implements PeopleQueries {
  constructor(private readonly db: DuckDb) {}

  async trace(imei: string): Promise<Sighting[]> {
    const rows = await this.db.all(
      `SELECT t.operator, strftime(t.month, '%Y-%m') AS month, ${digitsOf('imsi')} AS imsi,
              ${digitsOf('msisdn')} AS msisdn, t.first_seen::VARCHAR AS first_seen,
              t.last_seen::VARCHAR AS last_seen
         FROM triplets t
         LEFT JOIN id_texts imsi_t ON imsi_t.id = t.imsi
         LEFT JOIN id_texts msisdn_t ON msisdn_t.id = t.msisdn
        WHERE t.imei = ?::BIGINT
        ORDER BY t.month, t.operator, t.first_seen, imsi, msisdn`,
      [Number(imei)],
    );
    return rows.map((r) => ({
      operator: String(r.operator),
      month: String(r.month),
      imsi: r.imsi === null ? null : String(r.imsi),
      msisdn: r.msisdn === null ? null : String(r.msisdn),
      firstSeen: String(r.first_seen),
      lastSeen: String(r.last_seen),
    }));
  }

  async seenOnNetwork(imeis: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < imeis.length; i += 1000) {
      const chunk = imeis.slice(i, i + 1000).map(Number);
      const rows = await this.db.all(
        `SELECT DISTINCT imei FROM network_imeis WHERE imei IN (${chunk.map(() => '?::BIGINT').join(',')})`,
        chunk,
      );
      for (const r of rows) out.add(String(r.imei).padStart(14, '0'));
    }
    return out;
  }

  async onList(list: string, key: string): Promise<boolean> {
    const r = await this.db.one(
      'SELECT 1 AS x FROM list_entries WHERE list = ? AND key = ? AND valid_to IS NULL LIMIT 1',
      [list, key],
    );
    return r !== undefined;
  }

  async dashboard(): Promise<DashboardFigures> {
    const n = async (sql: string): Promise<number> => Number((await this.db.one(sql))?.n ?? 0);
    const run = await this.db.one(
      'SELECT id, as_of::VARCHAR AS as_of FROM list_runs ORDER BY id DESC LIMIT 1',
    );
    const current = 'to_run IS NULL';
    const byCondition = await this.db.all(
      `SELECT condition, count(DISTINCT imei)::BIGINT AS imeis, bool_or(block_date IS NOT NULL) AS blocking
         FROM classification_state WHERE end_date IS NULL GROUP BY condition ORDER BY condition`,
    );
    const byOperator = await this.db.all(
      `WITH seen AS (SELECT operator, imei FROM triplets GROUP BY ALL),
            black AS (SELECT DISTINCT imei FROM list_rows WHERE kind = 'black' AND ${current}),
            pend AS (SELECT DISTINCT operator, imei FROM list_rows WHERE kind = 'notification' AND ${current})
       SELECT s.operator, count(*)::BIGINT AS imeis,
              count(b.imei)::BIGINT AS blocked,
              (SELECT count(*) FROM pend p WHERE p.operator = s.operator)::BIGINT AS pending
         FROM seen s LEFT JOIN black b ON b.imei = s.imei
        GROUP BY s.operator ORDER BY s.operator`,
    );
    const byMonth = await this.db.all(
      `WITH m AS (SELECT strftime(month, '%Y-%m') AS month, count(DISTINCT imei)::BIGINT AS imeis FROM triplets GROUP BY 1),
            f AS (SELECT strftime(first_seen, '%Y-%m') AS month, count(*)::BIGINT AS new_imeis FROM network_imeis GROUP BY 1)
       SELECT m.month, m.imeis, coalesce(f.new_imeis, 0)::BIGINT AS new_imeis
         FROM m LEFT JOIN f USING (month) ORDER BY m.month`,
    );
    return {
      devicesSeen: await n('SELECT count(*)::BIGINT AS n FROM network_imeis'),
      blocked: await n(
        `SELECT count(DISTINCT imei)::BIGINT AS n FROM list_rows WHERE kind = 'black' AND ${current}`,
      ),
      pending: await n(
        `SELECT count(DISTINCT imei)::BIGINT AS n FROM list_rows WHERE kind = 'notification' AND ${current}`,
      ),
      listRun: run ? Number(run.id) : null,
      asOf: run ? String(run.as_of) : null,
      byCondition: byCondition.map((r) => ({
        condition: String(r.condition),
        imeis: Number(r.imeis),
        blocking: Boolean(r.blocking),
      })),
      byOperator: byOperator.map((r) => ({
        operator: String(r.operator),
        imeis: Number(r.imeis),
        blocked: Number(r.blocked),
        pending: Number(r.pending),
      })),
      byMonth: byMonth.map((r) => ({
        month: String(r.month),
        imeis: Number(r.imeis),
        newImeis: Number(r.new_imeis),
      })),
    };
  }

  async publicCheckData(): Promise<PublicCheckData> {
    const result = await this.db.conn.stream(
      `SELECT imei::DOUBLE AS imei, (min(block_date) - DATE '1970-01-01')::DOUBLE AS day
         FROM list_rows
        WHERE to_run IS NULL AND kind IN ('black', 'notification') AND imei >= 0 AND block_date IS NOT NULL
        GROUP BY imei ORDER BY imei`,
    );
    let imeis = new Float64Array(1024);
    let days = new Float64Array(1024);
    let n = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      if (n + chunk.rowCount > imeis.length) {
        let cap = imeis.length * 2;
        while (cap < n + chunk.rowCount) cap *= 2;
        const a = new Float64Array(cap);
        a.set(imeis.subarray(0, n));
        imeis = a;
        const b = new Float64Array(cap);
        b.set(days.subarray(0, n));
        days = b;
      }
      const iv = chunk.getColumnVector(0);
      const dv = chunk.getColumnVector(1);
      for (let r = 0; r < chunk.rowCount; r++) {
        imeis[n + r] = Number(iv.getItem(r));
        days[n + r] = Number(dv.getItem(r));
      }
      n += chunk.rowCount;
    }
    const tacRows = await this.db.all(
      "SELECT key, attrs FROM list_entries WHERE list = 'gsma_tac' AND valid_to IS NULL",
    );
    const tacs: TacDevice[] = tacRows.map((r) => {
      const a = JSON.parse(String(r.attrs)) as Record<string, string>;
      return {
        tac: String(r.key),
        brand: a.brand_name || a.manufacturer || '',
        model: a.marketing_name || a.model_name || '',
        manufacturer: a.manufacturer ?? '',
        deviceType: a.device_type ?? '',
      };
    });
    return { imeis: imeis.slice(0, n), blockDays: days.slice(0, n), tacs };
  }

  ruleDryRun(condition: Condition, deployment: DeploymentProfile): Promise<RuleDryRunResult> {
    return ruleDryRun(this.db, condition, deployment);
  }
}
