/**
 * Versioned, forward-only schema migrations of the PostgreSQL store: the tables of the DuckDB
 * store's migrations 1-3 (same names, columns and number encoding, decisions/0001), laid out for
 * national volume and kept Citus-ready (docs/scale.md):
 * - `triplets` is partitioned by month (RANGE, one partition per month, created by the import
 *   that first brings the month), each month sub-partitioned by HASH of `imei` (the numeric
 *   imei_norm key, the distribution column); `network_imeis` and `classification_state` are
 *   hash-partitioned on `imei` too, so per-IMEI joins are partition-wise (co-located in Citus);
 * - no unique constraint or primary key without `imei` on the big tables;
 * - text columns compare and sort bytewise (COLLATE "C"), as DuckDB does, whatever the
 *   database's locale: list files are byte-identical across stores.
 * Each migration runs in one transaction with its row in `schema_migrations`.
 */
import { MIGRATIONS, type Migration } from '../duckdb/migrations.js';
import { toPostgres } from './dialect.js';

/** Hash sub-partitions per month of `triplets` (and of the per-IMEI tables). */
export const HASH_PARTITIONS = 8;

const T = 'text COLLATE "C"';

/** `CREATE TABLE <name>_h<i> PARTITION OF <name>` for every hash remainder. */
export function hashPartitions(name: string): string {
  return Array.from(
    { length: HASH_PARTITIONS },
    (_, i) =>
      `CREATE TABLE ${name}_h${i} PARTITION OF ${name} FOR VALUES WITH (MODULUS ${HASH_PARTITIONS}, REMAINDER ${i});`,
  ).join('\n');
}

/** DuckDB functions the shared SQL uses, with DuckDB's meaning (see dialect.ts). */
const COMPAT_FUNCTIONS = `
  CREATE FUNCTION regexp_full_match(s text, p text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT s ~ ('^(?:' || p || ')$') $$;
  CREATE FUNCTION bit_count(v bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT pg_catalog.bit_count(v::bit(64))::integer $$;
  CREATE FUNCTION dayofmonth(d date) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT extract(day FROM d)::integer $$;
  CREATE FUNCTION last_day(d date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (date_trunc('month', d) + interval '1 month' - interval '1 day')::date $$;
  CREATE FUNCTION json_extract_string(j text, path text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (j::jsonb) ->> substr(path, 3) $$;
  CREATE FUNCTION strftime(d date, f text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_char(d, replace(replace(replace(f, '%Y', 'YYYY'), '%m', 'MM'), '%d', 'DD')) $$;
  CREATE FUNCTION try_cast_date(t text) RETURNS date
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$ BEGIN RETURN t::date; EXCEPTION WHEN others THEN RETURN NULL; END $$;
  CREATE FUNCTION range(a integer, b integer) RETURNS TABLE (range integer)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT generate_series(a, b - 1) $$;
`;

/** PostgreSQL's own forms of DuckDB migrations 1-3 (partitions, indexes, collation). */
const OWN: readonly Migration[] = [
  {
    version: 1,
    name: 'imports, triplets (month x IMEI-hash partitions), per-IMEI summary, daily counts, lists with history',
    sql: `
      ${COMPAT_FUNCTIONS}
      CREATE TABLE imports (
        id ${T} PRIMARY KEY, source ${T} NOT NULL, file ${T} NOT NULL, sha256 ${T} NOT NULL,
        mode ${T} NOT NULL, operator ${T}, period_start date, period_end date,
        rows bigint NOT NULL, accepted bigint NOT NULL, gates ${T} NOT NULL,
        started_at timestamp NOT NULL, finished_at timestamp NOT NULL
      );
      CREATE INDEX imports_sha256 ON imports (source, sha256);
      CREATE TABLE id_texts (id bigint NOT NULL, value ${T} NOT NULL);
      CREATE INDEX id_texts_id ON id_texts (id);
      CREATE INDEX id_texts_value ON id_texts (value);
      CREATE TABLE triplets (
        month date NOT NULL, operator ${T} NOT NULL, imei bigint NOT NULL, imsi bigint,
        msisdn bigint, first_seen date NOT NULL, last_seen date NOT NULL,
        day_mask integer NOT NULL, rat_mask integer NOT NULL
      ) PARTITION BY RANGE (month);
      CREATE INDEX triplets_imei ON triplets (imei);
      CREATE TABLE network_imeis (
        imei bigint NOT NULL, first_seen date NOT NULL, last_seen date NOT NULL,
        operators integer NOT NULL, imsis integer NOT NULL, msisdns integer NOT NULL,
        rat_mask integer NOT NULL
      ) PARTITION BY HASH (imei);
      ${hashPartitions('network_imeis')}
      CREATE INDEX network_imeis_imei ON network_imeis (imei);
      CREATE VIEW triplets_text AS
        SELECT t.month, t.operator,
               CASE WHEN t.imei >= 0 THEN lpad(t.imei::text, 14, '0') ELSE ti.value END AS imei_norm,
               CASE WHEN t.imsi >= 0 THEN substr(t.imsi::text, 2) ELSE ts.value END AS imsi,
               CASE WHEN t.msisdn >= 0 THEN substr(t.msisdn::text, 2) ELSE tm.value END AS msisdn,
               t.first_seen, t.last_seen, t.day_mask, t.rat_mask
          FROM triplets t
          LEFT JOIN id_texts ti ON ti.id = t.imei
          LEFT JOIN id_texts ts ON ts.id = t.imsi
          LEFT JOIN id_texts tm ON tm.id = t.msisdn;
      CREATE TABLE operator_daily (
        operator ${T} NOT NULL, day date NOT NULL, imeis bigint NOT NULL, imsis bigint NOT NULL,
        msisdns bigint NOT NULL, import_id ${T} NOT NULL
      );
      CREATE INDEX operator_daily_day ON operator_daily (operator, day);
      CREATE TABLE list_entries (
        list ${T} NOT NULL, key ${T} NOT NULL, imei_norm ${T}, tac ${T}, imsi ${T},
        msisdn ${T}, status ${T}, caps integer, attrs ${T} NOT NULL,
        valid_from timestamp NOT NULL, valid_to timestamp, import_id ${T} NOT NULL
      );
      CREATE INDEX list_entries_current ON list_entries (list, key) WHERE valid_to IS NULL;
      CREATE INDEX list_entries_imei ON list_entries (imei_norm) WHERE valid_to IS NULL;
    `,
  },
  {
    version: 2,
    name: 'condition sets, classification runs and state, generated list history',
    sql: `
      CREATE TABLE condition_sets (
        version integer NOT NULL, conditions ${T} NOT NULL, operators ${T} NOT NULL,
        created_at timestamp NOT NULL, note ${T} NOT NULL
      );
      CREATE TABLE classification_runs (
        id integer NOT NULL, as_of date NOT NULL, condition_set_version integer NOT NULL,
        started_at timestamp NOT NULL, finished_at timestamp NOT NULL, results ${T} NOT NULL
      );
      CREATE TABLE classification_state (
        imei bigint NOT NULL, condition ${T} NOT NULL, start_date date NOT NULL, end_date date,
        block_date date, amnesty_granted boolean NOT NULL, start_run integer NOT NULL,
        end_run integer
      ) PARTITION BY HASH (imei);
      ${hashPartitions('classification_state')}
      CREATE INDEX classification_state_open ON classification_state (condition, imei)
        WHERE end_date IS NULL;
      CREATE INDEX classification_state_imei ON classification_state (imei);
      CREATE TABLE list_runs (
        id integer NOT NULL, as_of date NOT NULL, classification_run integer,
        created_at timestamp NOT NULL, counts ${T} NOT NULL
      );
      CREATE TABLE list_rows (
        kind ${T} NOT NULL, operator ${T}, imei bigint NOT NULL, imsi bigint, msisdn bigint,
        block_date date, reasons ${T}, from_run integer NOT NULL, to_run integer
      );
      CREATE INDEX list_rows_current ON list_rows (kind, imei) WHERE to_run IS NULL;
      CREATE INDEX list_rows_runs ON list_rows (kind, from_run, to_run);
    `,
  },
  {
    version: 3,
    name: 'real-time check observations and clone flags',
    sql: `
      CREATE TABLE check_observations (
        time timestamp NOT NULL, imei bigint NOT NULL, imsi bigint, peer ${T} NOT NULL,
        interface ${T} NOT NULL, result ${T} NOT NULL
      );
      CREATE TABLE realtime_clone_flags (
        imei bigint NOT NULL, flagged_at timestamp NOT NULL, imsis integer NOT NULL,
        peers integer NOT NULL, window_start timestamp NOT NULL, window_end timestamp NOT NULL
      );
      CREATE INDEX realtime_clone_flags_imei ON realtime_clone_flags (imei);
    `,
  },
];

/**
 * Every DuckDB migration, by the same version number (so `ceir db status` reads the same on both
 * stores): 1-3 in their PostgreSQL form above, the tables of later features (which are not
 * national-volume tables) lowered from their DuckDB DDL by `dialect.ts`.
 */
export const PG_MIGRATIONS: readonly Migration[] = MIGRATIONS.map(
  (m) => OWN.find((o) => o.version === m.version) ?? { ...m, sql: toPostgres(m.sql) },
);

export const PG_LATEST_SCHEMA_VERSION = Math.max(...PG_MIGRATIONS.map((m) => m.version));
