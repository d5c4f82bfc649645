/**
 * Retention in DuckDB (core/ports/retention-store.ts). Triplets are monthly, so dropping a month
 * is dropping its rows (the PostgreSQL adapter detaches a monthly partition instead). Removing
 * personal data merges a month's triplets of one IMEI and operator into one row without IMSI
 * and MSISDN (first/last seen and day and RAT masks kept), so device-level history survives.
 * The per-IMEI summary is rebuilt from the triplets afterwards. One transaction.
 */
import type {
  PrunedTable,
  RetentionCutoffs,
  RetentionStore,
} from '../../core/ports/retention-store.js';
import { lit, type DuckDb } from './duckdb-database.js';

interface Rule {
  readonly table: string;
  readonly action: 'delete' | 'anonymise';
  readonly where: string;
  readonly rule: string;
  readonly apply: (where: string) => string[];
}

const del = (table: string) => (where: string) => [`DELETE FROM ${table} WHERE ${where}`];

function rules(c: RetentionCutoffs): Rule[] {
  const d = (s: string) => `${lit(s)}::DATE`;
  return [
    {
      table: 'triplets',
      action: 'delete',
      where: `month < ${d(c.triplets)}`,
      rule: `month < ${c.triplets}`,
      apply: del('triplets'),
    },
    {
      table: 'triplets',
      action: 'anonymise',
      where: `month < ${d(c.personalData)} AND (imsi IS NOT NULL OR msisdn IS NOT NULL)`,
      rule: `month < ${c.personalData}: IMSI and MSISDN removed`,
      apply: () => [
        `CREATE TEMP TABLE retention_anon AS
           SELECT month, operator, imei, NULL::BIGINT AS imsi, NULL::BIGINT AS msisdn,
                  min(first_seen) AS first_seen, max(last_seen) AS last_seen,
                  bit_or(day_mask) AS day_mask, bit_or(rat_mask) AS rat_mask
             FROM triplets WHERE month < ${d(c.personalData)} GROUP BY month, operator, imei`,
        `DELETE FROM triplets WHERE month < ${d(c.personalData)}`,
        'INSERT INTO triplets SELECT * FROM retention_anon',
        'DROP TABLE temp.retention_anon',
      ],
    },
    {
      table: 'operator_daily',
      action: 'delete',
      where: `day < ${d(c.triplets)}`,
      rule: `day < ${c.triplets}`,
      apply: del('operator_daily'),
    },
    {
      table: 'check_observations',
      action: 'delete',
      where: `time < ${d(c.triplets)}`,
      rule: `time < ${c.triplets}`,
      apply: del('check_observations'),
    },
    {
      table: 'check_observations',
      action: 'anonymise',
      where: `time < ${d(c.personalData)} AND imsi IS NOT NULL`,
      rule: `time < ${c.personalData}: IMSI removed`,
      apply: (w) => [`UPDATE check_observations SET imsi = NULL WHERE ${w}`],
    },
    {
      table: 'realtime_clone_flags',
      action: 'delete',
      where: `flagged_at < ${d(c.triplets)}`,
      rule: `flagged_at < ${c.triplets}`,
      apply: del('realtime_clone_flags'),
    },
    {
      table: 'list_entries',
      action: 'delete',
      where: `valid_to IS NOT NULL AND valid_to < ${d(c.listHistory)}`,
      rule: `closed before ${c.listHistory}`,
      apply: del('list_entries'),
    },
    {
      table: 'list_rows',
      action: 'delete',
      where: `to_run IN (SELECT id FROM list_runs WHERE as_of < ${d(c.listHistory)})`,
      rule: `left the lists before ${c.listHistory}`,
      apply: del('list_rows'),
    },
    {
      table: 'classification_state',
      action: 'delete',
      where: `end_date IS NOT NULL AND end_date < ${d(c.listHistory)}`,
      rule: `ended before ${c.listHistory}`,
      apply: del('classification_state'),
    },
    {
      table: 'pipeline_files',
      action: 'delete',
      where: `state <> 'importing' AND updated_at < ${d(c.audit)}`,
      rule: `recorded before ${c.audit}`,
      apply: del('pipeline_files'),
    },
    {
      table: 'pipeline_steps',
      action: 'delete',
      where: `finished_at < ${d(c.audit)}`,
      rule: `finished before ${c.audit}`,
      apply: del('pipeline_steps'),
    },
    {
      table: 'pipeline_days',
      action: 'delete',
      where: `finished_at < ${d(c.audit)}`,
      rule: `finished before ${c.audit}`,
      apply: del('pipeline_days'),
    },
  ];
}

export class DuckDbRetentionStore implements RetentionStore {
  constructor(private readonly db: DuckDb) {}

  async prune(c: RetentionCutoffs, dryRun: boolean): Promise<PrunedTable[]> {
    const run = async (): Promise<PrunedTable[]> => {
      const out: PrunedTable[] = [];
      let triplets = false;
      for (const r of rules(c)) {
        const n = Number(
          (await this.db.one(`SELECT count(*)::BIGINT AS n FROM ${r.table} WHERE ${r.where}`))?.n ??
            0,
        );
        out.push({ table: r.table, action: r.action, rows: n, rule: r.rule });
        if (dryRun || n === 0) continue;
        for (const sql of r.apply(r.where)) await this.db.run(sql);
        if (r.table === 'triplets') triplets = true;
      }
      if (triplets) {
        await this.db.run('DELETE FROM network_imeis');
        await this.db.run(`INSERT INTO network_imeis
          SELECT imei, min(first_seen), max(last_seen), count(DISTINCT operator)::INTEGER,
                 count(DISTINCT imsi)::INTEGER, count(DISTINCT msisdn)::INTEGER, bit_or(rat_mask)
            FROM triplets GROUP BY imei`);
      }
      return out;
    };
    return dryRun ? run() : this.db.transaction(run);
  }
}
