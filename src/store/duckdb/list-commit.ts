/**
 * Commits a LIST SPOOL (`core/ports/store.ts`) into `list_entries`, with history: rows are never
 * deleted, a replaced or removed entry gets `valid_to`, a new or changed one a new row from the
 * import instant (`record.finishedAt`). Everything runs in one transaction, one set-based SQL
 * statement per step, so a 10M-row list stays fast and a failure (or a crash) changes nothing.
 *
 * Steps: load the spool (`read_csv`) into a temp table deduplicated on all data; refuse keys with
 * two different rows (and, in a delta, any key given twice); full mode: the shrink guard, then
 * diff against the current list; delta mode: conflicts against the current list, then diff;
 * close what was removed or changed; insert what was added or changed; record the import.
 */
import { ceirError, CeirFailure, type CeirError } from '../../core/errors.js';
import type { ListCommit, ListCommitOutcome } from '../../core/ports/store.js';
import type { SqlSession } from '../sql-session.js';
import { lit, type DuckDb } from './duckdb-database.js';

const NEW = 'list_commit_new';
const DIFF = 'list_commit_diff';

/** The data compared between rows of one key (everything but line and key). */
const DATA = ['imei_norm', 'tac', 'imsi', 'msisdn', 'status', 'caps', 'attrs'] as const;

const distinct = (a: string, b: string): string =>
  DATA.map((c) => `${a}.${c} IS DISTINCT FROM ${b}.${c}`).join(' OR ');

/** `ISO-8601` (with `Z`) to a DuckDB TIMESTAMP literal in UTC. */
function ts(iso: string): string {
  return `TIMESTAMP ${lit(iso.replace('T', ' ').replace(/Z$/, ''))}`;
}

function fail(e: CeirError): never {
  throw new CeirFailure(e);
}

function loadSpool(path: string): string {
  const columns =
    "{'line': 'BIGINT', 'change_type': 'VARCHAR', 'key': 'VARCHAR', 'imei_norm': 'VARCHAR', " +
    "'tac': 'VARCHAR', 'imsi': 'VARCHAR', 'msisdn': 'VARCHAR', 'status': 'VARCHAR', " +
    "'caps': 'INTEGER', 'attrs': 'VARCHAR'}";
  // Deduplicated on all data; `copies` and `last_line` keep what the duplicate checks need.
  return `CREATE OR REPLACE TEMP TABLE ${NEW} AS
    SELECT min(line) AS line, max(line) AS last_line, count(*) AS copies,
      change_type, key, imei_norm, tac, imsi, msisdn, status, caps, attrs
    FROM read_csv(${lit(path)}, header = true, delim = ',', quote = '"', escape = '"',
      auto_detect = false, columns = ${columns})
    GROUP BY ALL`;
}

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

async function checkDuplicates(db: SqlSession, c: ListCommit): Promise<void> {
  const delta = c.record.mode === 'delta';
  const dup = await db.one(
    `SELECT key, list(line ORDER BY line) AS lines, max(last_line) AS last, count(*) AS variants
     FROM ${NEW} GROUP BY key
     HAVING count(*) > 1 ${delta ? 'OR sum(copies) > 1' : ''}
     ORDER BY min(line) LIMIT 1`,
  );
  if (!dup) return;
  const lines = (dup.lines as (string | number)[]).map(Number);
  const [a, b] = num(dup.variants) > 1 ? [lines[0]!, lines[1]!] : [lines[0]!, num(dup.last)];
  const what = num(dup.variants) > 1 ? 'with different data' : 'twice in one delta';
  fail(
    ceirError(
      'CEIR_ERR_DUPLICATE_KEY',
      `Key "${String(dup.key)}" appears on lines ${a} and ${b} ${what}`,
      { file: c.record.file, line: b, field: 'key' },
      'duplicate_key',
    ),
  );
}

/** The current entries of a list (`list` is an SQL literal). */
const current = (list: string): string =>
  `(SELECT * FROM list_entries WHERE list = ${list} AND valid_to IS NULL)`;

async function diffFull(db: SqlSession, c: ListCommit, list: string): Promise<void> {
  const size = num((await db.one(`SELECT count(*) AS n FROM ${current(list)}`))?.n);
  const incoming = num((await db.one(`SELECT count(*) AS n FROM ${NEW}`))?.n);
  if (!c.force && size > 0 && incoming < c.shrinkMinRatio * size) {
    fail(
      ceirError(
        'CEIR_ERR_LIST_SHRINK',
        `The new ${c.list} list has ${incoming} entries, ${((100 * incoming) / size).toFixed(1)}% ` +
          `of the current ${size}; the minimum is ${(100 * c.shrinkMinRatio).toFixed(1)}% ` +
          `(use force to replace it anyway)`,
        { file: c.record.file },
        'list_shrink',
      ),
    );
  }
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${DIFF} AS
     SELECT n.*, CASE WHEN c.key IS NULL THEN 'add' WHEN ${distinct('n', 'c')} THEN 'update'
       ELSE 'same' END AS op
     FROM ${NEW} n LEFT JOIN ${current(list)} c ON c.key = n.key`,
  );
}

async function diffDelta(db: SqlSession, c: ListCommit, list: string): Promise<void> {
  const bad = await db.one(
    `SELECT n.line, n.key, n.change_type, c.key IS NOT NULL AS present
     FROM ${NEW} n LEFT JOIN ${current(list)} c ON c.key = n.key
     WHERE n.change_type IS NULL OR n.change_type NOT IN ('add', 'remove', 'update')
       OR (n.change_type = 'add' AND c.key IS NOT NULL)
       OR (n.change_type IN ('remove', 'update') AND c.key IS NULL)
     ORDER BY n.line LIMIT 1`,
  );
  if (bad) {
    const op = String(bad.change_type);
    const why = ['add', 'remove', 'update'].includes(op)
      ? bad.present
        ? `cannot add key "${String(bad.key)}": it is already on the ${c.list} list`
        : `cannot ${op} key "${String(bad.key)}": it is not on the ${c.list} list`
      : `unknown change_type "${op}"`;
    fail(
      ceirError(
        'CEIR_ERR_DELTA_CONFLICT',
        `Delta row conflicts with the current list: ${why}`,
        { file: c.record.file, line: num(bad.line), field: 'change_type' },
        'delta_conflict',
      ),
    );
  }
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${DIFF} AS
     SELECT n.*, CASE WHEN n.change_type IN ('add', 'remove') THEN n.change_type
       WHEN ${distinct('n', 'c')} THEN 'update' ELSE 'same' END AS op
     FROM ${NEW} n LEFT JOIN ${current(list)} c ON c.key = n.key`,
  );
}

export function commitList(db: DuckDb, c: ListCommit): Promise<ListCommitOutcome> {
  return commitListWith(db, c, async (path) => {
    await db.run(loadSpool(path));
  });
}

/**
 * The commit on any adapter's session: `load` fills the temp table `list_commit_new` from the
 * spool (columns and deduplication as `loadSpool`), with the adapter's bulk path.
 */
export async function commitListWith(
  db: SqlSession,
  c: ListCommit,
  load: (spool: string) => Promise<void>,
): Promise<ListCommitOutcome> {
  const list = lit(c.list);
  const now = ts(c.record.finishedAt);
  const r = c.record;
  try {
    return await db.transaction(async () => {
      await load(c.spool);
      await checkDuplicates(db, c);
      if (r.mode === 'full') await diffFull(db, c, list);
      else await diffDelta(db, c, list);

      const counts = await db.one(
        `SELECT count(*) FILTER (WHERE op = 'add') AS added,
           count(*) FILTER (WHERE op = 'update') AS updated,
           count(*) FILTER (WHERE op = 'same') AS unchanged,
           count(*) FILTER (WHERE op = 'remove') AS removed
         FROM ${DIFF}`,
      );
      // Full: everything current that is not kept unchanged closes (removed and changed keys).
      const closed = await db.run(
        r.mode === 'full'
          ? `UPDATE list_entries SET valid_to = ${now}
             WHERE list = ${list} AND valid_to IS NULL
               AND key NOT IN (SELECT key FROM ${DIFF} WHERE op = 'same')`
          : `UPDATE list_entries SET valid_to = ${now}
             WHERE list = ${list} AND valid_to IS NULL
               AND key IN (SELECT key FROM ${DIFF} WHERE op IN ('remove', 'update'))`,
      );
      await db.run(
        `INSERT INTO list_entries (list, key, imei_norm, tac, imsi, msisdn, status, caps, attrs,
           valid_from, valid_to, import_id)
         SELECT ${list}, key, imei_norm, tac, imsi, msisdn, status, caps, attrs, ${now}, NULL,
           ${lit(r.id)}
         FROM ${DIFF} WHERE op IN ('add', 'update')`,
      );
      await db.run(
        `INSERT INTO imports (id, source, file, sha256, mode, operator, period_start, period_end,
           rows, accepted, gates, started_at, finished_at)
         VALUES (${lit(r.id)}, ${lit(r.source)}, ${lit(r.file)}, ${lit(r.sha256)}, ${lit(r.mode)},
           NULL, NULL, NULL, ${r.rows}, ${r.accepted}, ${lit(JSON.stringify(r.gates))},
           ${ts(r.startedAt)}, ${now})`,
      );
      await db.run(`DROP TABLE ${DIFF}`);
      await db.run(`DROP TABLE ${NEW}`);
      const updated = num(counts?.updated);
      const removed = r.mode === 'full' ? closed - updated : num(counts?.removed);
      return {
        kind: 'ok' as const,
        value: { added: num(counts?.added), removed, updated, unchanged: num(counts?.unchanged) },
      };
    });
  } catch (e) {
    if (e instanceof CeirFailure) return e.error;
    const why = e instanceof Error ? e.message : String(e);
    return ceirError('CEIR_ERR_STORE', `Cannot commit the ${c.list} list: ${why}`, {
      file: r.file,
    });
  }
}
