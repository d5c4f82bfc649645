/**
 * Versioned, forward-only schema migrations of the DuckDB store. Each runs in one transaction with
 * its row in `schema_migrations`. Never edit a released migration: add a new one.
 */
import { ATTESTATION_MIGRATION } from './attestation-migration.js';
import { EXCHANGE_MIGRATION } from './exchange-migration.js';
import { PEOPLE_MIGRATION } from './people-migration.js';
import { RULE_VERSIONS_MIGRATION } from './rule-versions-migration.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'imports, triplets, per-IMEI summary, daily counts, lists with history',
    sql: `
      CREATE TABLE imports (
        id VARCHAR PRIMARY KEY,
        source VARCHAR NOT NULL,
        file VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        mode VARCHAR NOT NULL,
        operator VARCHAR,
        period_start DATE,
        period_end DATE,
        rows BIGINT NOT NULL,
        accepted BIGINT NOT NULL,
        gates VARCHAR NOT NULL,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP NOT NULL
      );
      -- Identifiers are numbers (the hot tables hold no strings): a valid IMEI is its 14-digit
      -- value; an IMSI or MSISDN is the number 1<digits> (length and leading zeros survive);
      -- any other value (a malformed IMEI, a non-digit IMSI) is a negative id into id_texts.
      CREATE TABLE id_texts (
        id BIGINT NOT NULL,
        value VARCHAR NOT NULL
      );
      -- Monthly triplets per operator: one row per (month, operator, IMEI, IMSI, MSISDN).
      -- day_mask bit d-1 = seen on day d of the month; rat_mask per core/ids/rat.ts.
      CREATE TABLE triplets (
        month DATE NOT NULL,
        operator VARCHAR NOT NULL,
        imei BIGINT NOT NULL,
        imsi BIGINT,
        msisdn BIGINT,
        first_seen DATE NOT NULL,
        last_seen DATE NOT NULL,
        day_mask INTEGER NOT NULL,
        rat_mask INTEGER NOT NULL
      );
      -- Per-IMEI network summary over all operators and months.
      CREATE TABLE network_imeis (
        imei BIGINT NOT NULL,
        first_seen DATE NOT NULL,
        last_seen DATE NOT NULL,
        operators INTEGER NOT NULL,
        imsis INTEGER NOT NULL,
        msisdns INTEGER NOT NULL,
        rat_mask INTEGER NOT NULL
      );
      -- Readable forms of the number-keyed tables, for people and reports.
      CREATE VIEW triplets_text AS
        SELECT t.month, t.operator,
               CASE WHEN t.imei >= 0 THEN lpad(t.imei::VARCHAR, 14, '0') ELSE ti.value END AS imei_norm,
               CASE WHEN t.imsi >= 0 THEN substr(t.imsi::VARCHAR, 2) ELSE ts.value END AS imsi,
               CASE WHEN t.msisdn >= 0 THEN substr(t.msisdn::VARCHAR, 2) ELSE tm.value END AS msisdn,
               t.first_seen, t.last_seen, t.day_mask, t.rat_mask
          FROM triplets t
          LEFT JOIN id_texts ti ON ti.id = t.imei
          LEFT JOIN id_texts ts ON ts.id = t.imsi
          LEFT JOIN id_texts tm ON tm.id = t.msisdn;
      -- Per-operator daily distinct counts (history quality gate).
      CREATE TABLE operator_daily (
        operator VARCHAR NOT NULL,
        day DATE NOT NULL,
        imeis BIGINT NOT NULL,
        imsis BIGINT NOT NULL,
        msisdns BIGINT NOT NULL,
        import_id VARCHAR NOT NULL
      );
      -- Every list (TAC DB, stolen, registration, pairing, golden, barred, barred TAC, monitoring)
      -- with history: a row is current while valid_to IS NULL; any past instant t is
      -- reconstructed by valid_from <= t AND (valid_to IS NULL OR valid_to > t).
      CREATE TABLE list_entries (
        list VARCHAR NOT NULL,
        key VARCHAR NOT NULL,
        imei_norm VARCHAR,
        tac VARCHAR,
        imsi VARCHAR,
        msisdn VARCHAR,
        status VARCHAR,
        caps INTEGER,
        attrs VARCHAR NOT NULL,
        valid_from TIMESTAMP NOT NULL,
        valid_to TIMESTAMP,
        import_id VARCHAR NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'condition sets, classification runs and state, generated list history',
    sql: `
      -- Versioned condition sets: a regulator's change makes a new version.
      CREATE TABLE condition_sets (
        version INTEGER NOT NULL,
        conditions VARCHAR NOT NULL,
        operators VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        note VARCHAR NOT NULL
      );
      CREATE TABLE classification_runs (
        id INTEGER NOT NULL,
        as_of DATE NOT NULL,
        condition_set_version INTEGER NOT NULL,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP NOT NULL,
        results VARCHAR NOT NULL
      );
      -- History per IMEI (same number encoding as triplets) and condition: a row is open while
      -- the IMEI matches (end_date NULL). block_date = start_date + grace (or the amnesty end),
      -- fixed when the row opens, so it is stable across runs; NULL for informative conditions.
      CREATE TABLE classification_state (
        imei BIGINT NOT NULL,
        condition VARCHAR NOT NULL,
        start_date DATE NOT NULL,
        end_date DATE,
        block_date DATE,
        amnesty_granted BOOLEAN NOT NULL,
        start_run INTEGER NOT NULL,
        end_run INTEGER
      );
      CREATE TABLE list_runs (
        id INTEGER NOT NULL,
        as_of DATE NOT NULL,
        classification_run INTEGER,
        created_at TIMESTAMP NOT NULL,
        counts VARCHAR NOT NULL
      );
      -- Generated lists with history by run: a row is in the lists of runs from_run .. to_run-1
      -- (to_run NULL: still current). kind: black | notification | exception.
      CREATE TABLE list_rows (
        kind VARCHAR NOT NULL,
        operator VARCHAR,
        imei BIGINT NOT NULL,
        imsi BIGINT,
        msisdn BIGINT,
        block_date DATE,
        reasons VARCHAR,
        from_run INTEGER NOT NULL,
        to_run INTEGER
      );
    `,
  },
  {
    version: 3,
    name: 'real-time check observations and clone flags',
    sql: `
      -- Every equipment check is an observation (architecture.md): appended in batches by the
      -- primary process. imei: the 14-digit value (as in triplets); imsi: 1<digits> or NULL.
      -- interface: s13 | n5g; result: WHITELISTED | BLACKLISTED | GREYLISTED | UNKNOWN.
      CREATE TABLE check_observations (
        time TIMESTAMP NOT NULL,
        imei BIGINT NOT NULL,
        imsi BIGINT,
        peer VARCHAR NOT NULL,
        interface VARCHAR NOT NULL,
        result VARCHAR NOT NULL
      );
      -- Flags of the streaming clone detector (eir/clone-detector.ts): an IMEI presented with
      -- more distinct IMSIs than its threshold within its window, from several peers. Read by
      -- the realtime_clone dimension (by the UTC date of flagged_at).
      CREATE TABLE realtime_clone_flags (
        imei BIGINT NOT NULL,
        flagged_at TIMESTAMP NOT NULL,
        imsis INTEGER NOT NULL,
        peers INTEGER NOT NULL,
        window_start TIMESTAMP NOT NULL,
        window_end TIMESTAMP NOT NULL
      );
    `,
  },
  PEOPLE_MIGRATION,
  ATTESTATION_MIGRATION,
  EXCHANGE_MIGRATION,
  {
    version: 7,
    name: 'daily pipeline: state of every inbox file, day run and step',
    sql: `
      -- One row per file taken from the inbox (docs/operations.md). state: importing (taken, the
      -- import may or may not have landed) | imported | duplicate | rejected. moved_to: where the
      -- file goes once its state is final (set before the move, so a crash finishes the move).
      CREATE TABLE pipeline_files (
        id INTEGER PRIMARY KEY,
        name VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        operator VARCHAR,
        day DATE,
        state VARCHAR NOT NULL,
        import_id VARCHAR,
        rows BIGINT,
        error VARCHAR,
        moved_to VARCHAR,
        arrived_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      );
      -- One row per data day run: running | done | failed | superseded; trigger: complete | deadline.
      CREATE TABLE pipeline_days (
        day DATE PRIMARY KEY,
        state VARCHAR NOT NULL,
        trigger VARCHAR NOT NULL,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP
      );
      -- One row per day and step (classify, listgen, snapshot, prune): running | done | failed.
      -- before_ref: the store's mark before the step (e.g. the last classification run), so a
      -- step found running after a crash can tell whether its effect already landed; ref: what
      -- the step made (classification run, list run, snapshot version).
      CREATE TABLE pipeline_steps (
        day DATE NOT NULL,
        step VARCHAR NOT NULL,
        state VARCHAR NOT NULL,
        attempt INTEGER NOT NULL,
        before_ref VARCHAR,
        ref VARCHAR,
        detail VARCHAR,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP,
        PRIMARY KEY (day, step)
      );
    `,
  },
  RULE_VERSIONS_MIGRATION,
];

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
