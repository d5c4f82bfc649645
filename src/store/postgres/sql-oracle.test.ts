/**
 * The rules on PostgreSQL against the oracle: the shared rule compilers (`store/duckdb/rules/`),
 * lowered to PostgreSQL (`dialect.ts`), must return exactly the IMEIs of the pure evaluators of
 * `core/rules`, on a generated national dataset landed in a fresh PostgreSQL database by the real
 * ingest: every dimension module (with parameter variations), inverted, in multi-dimension
 * conditions and the default conditions, at several dates around month ends.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Condition, DimensionModule, DimensionSpec } from '../../core/rules/condition.js';
import { DIMENSION_MODULES } from '../../core/rules/condition.js';
import { DEFAULT_CONDITIONS } from '../../core/rules/default-conditions.js';
import { evaluateDimension as oracleDimension } from '../../core/rules/dimensions/index.js';
import { evaluateCondition as oracleCondition } from '../../core/rules/evaluate-condition.js';
import { parseConditions } from '../../core/rules/parse-conditions.js';
// Test wiring only: the rules are checked on data landed by the real ingest.
// eslint-disable-next-line no-restricted-imports
import { importList } from '../../ingest/lists/import-list.js';
// eslint-disable-next-line no-restricted-imports
import { importOperatorDump } from '../../ingest/operator-dump/import-operator-dump.js';
// eslint-disable-next-line no-restricted-imports
import { DEMO_CONFIG_PATH, loadConfig } from '../../config/loader.js';
// eslint-disable-next-line no-restricted-imports
import { datasetFiles } from '../../apps/generate/dataset-files.js';
// eslint-disable-next-line no-restricted-imports
import { generateDataset } from '../../apps/generate/generate-dataset.js';
import { evaluateConditionImeis } from '../duckdb/rules/evaluate-dimension.js';
import { assertSameImeis } from '../duckdb/rules/test-support.js';
import { PgStore } from './pg-store.js';
import { createTestDatabase } from './test-database.js';

const loaded = loadConfig(DEMO_CONFIG_PATH);
if (loaded.kind !== 'ok') throw new Error(loaded.message);
const config = loaded.value;

function parse(raw: unknown[]): Condition[] {
  const r = parseConditions(raw);
  if (r.kind !== 'ok') throw new Error(r.message);
  return r.value;
}

/** Parameter sets per module (none: the defaults only), low enough to match on 30k rows. */
const VARIATIONS: Partial<Record<DimensionModule, Record<string, unknown>[]>> = {
  gsma_not_found: [{ ignore_rbi_delays: true }, { per_rbi_delays: { '35': 3, '01': 0 } }],
  duplicate_threshold: [
    { threshold: 3, period_days: 30 },
    { threshold: 2, period_days: 7 },
    { threshold: 2, period_months: 1, use_msisdn: true },
  ],
  duplicate_daily_avg: [
    { threshold: 2, period_days: 3, min_seen_days: 1 },
    { threshold: 1.5, period_days: 30, min_seen_days: 2 },
    { threshold: 1.1, period_months: 2, min_seen_days: 1, use_msisdn: true },
  ],
  not_on_registration_list: [{ exempted_device_types: ['Smartphone', 'Tablet'] }],
  used_by_international_roamer: [{ lookback_days: 10 }, { lookback_days: 60 }],
  used_by_local_roamer: [{ lookback_days: 30 }],
  used_by_home_subscriber: [{ lookback_days: 3 }],
  transient_imei: [
    { period: 30, num_msisdns: 5 },
    { period: 7, num_msisdns: 2 },
  ],
  concurrent_use: [
    { threshold: 2, min_days: 1, period_days: 30 },
    { threshold: 2, min_days: 1, across_operators: true },
  ],
  realtime_clone: [{ lookback_days: 1 }, { lookback_days: 90 }],
};

/**
 * Modules the generated data must make match: those of the classification issue (the data of
 * later ones, foreign records and attestations, are not generated; they are still compared).
 */
const MUST_MATCH = DIMENSION_MODULES.slice(0, DIMENSION_MODULES.indexOf('realtime_clone') + 1);

const SPECS: DimensionSpec[] = parse(
  DIMENSION_MODULES.flatMap((module) =>
    (VARIATIONS[module] ?? [undefined]).map((parameters, i) => ({
      label: `${module}-${i}`,
      reason: 'r',
      dimensions: [parameters === undefined ? { module } : { module, parameters }],
    })),
  ),
).map((c) => c.dimensions[0]!);

const CONDITIONS: Condition[] = [
  ...DEFAULT_CONDITIONS,
  ...parse([
    {
      label: 'dup_not_roamer_clean',
      reason: 'r',
      dimensions: [
        { module: 'duplicate_threshold', parameters: { threshold: 2, period_days: 30 } },
        {
          module: 'used_by_international_roamer',
          parameters: { lookback_days: 30 },
          invert: true,
        },
        { module: 'malformed_imei', invert: true },
      ],
    },
    {
      label: 'only_inverted',
      reason: 'r',
      dimensions: [
        { module: 'gsma_not_found', invert: true },
        { module: 'stolen_list', invert: true },
      ],
    },
  ]),
];

const AS_OF = ['2025-12-31', '2026-01-01', '2026-01-31', '2026-02-01', '2026-02-28', '2026-03-20'];

const db = await createTestDatabase('ceir_rules');
if ('skip' in db) test('postgres rules = oracle', (t) => t.skip(db.skip));
else {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-pg-rules-'));
  const store = await PgStore.open({ url: db.url });
  after(async () => {
    await store.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('postgres: every dimension and condition, SQL = oracle at every date', async (t) => {
    await store.migrate();
    const input = join(dir, 'input');
    await generateDataset({
      config,
      outDir: input,
      rows: 30_000,
      seed: 23,
      startMonth: '2026-01',
      months: 2,
      compression: 'plain',
    });
    const spoolDir = join(dir, 'spool');
    for (const { source, file } of datasetFiles(input)) {
      const o =
        source === 'operator'
          ? await importOperatorDump(store, { file, config, gates: config.gates, spoolDir })
          : await importList(store, {
              list: source,
              file,
              mode: 'full',
              force: false,
              shrinkMinRatio: 0.75,
              spoolDir,
            });
      assert.equal(o.kind, 'imported', `${file}: ${JSON.stringify(o)}`);
    }
    // Real-time clone flags for some seen IMEIs (one or two, over two months) and unseen ones.
    await store.db.query(`INSERT INTO realtime_clone_flags
      SELECT imei, timestamp '2026-01-02 23:30:00' + ((imei + k) % 60) * interval '1 day',
             3, 2, timestamp '2026-01-01 00:00:00', timestamp '2026-01-01 00:10:00'
        FROM (SELECT DISTINCT imei FROM triplets WHERE imei >= 0 ORDER BY imei LIMIT 200) s,
             generate_series(0, 1) k
       WHERE k = 0 OR imei % 2 = 0
      UNION ALL
      SELECT 99999999000000 + g, timestamp '2026-02-01 10:00:00', 4, 3,
             timestamp '2026-02-01 09:59:00', timestamp '2026-02-01 10:00:00'
        FROM generate_series(0, 4) g`);

    const matched = new Set<DimensionModule>();
    let conditionsChecked = 0;
    for (const asOf of AS_OF) {
      const data = await store.loadClassificationData(asOf, config);
      for (const spec of SPECS) {
        const sql = await store.evaluateDimension(spec, asOf, config);
        const oracle = oracleDimension(spec, data, asOf);
        assertSameImeis(
          `${spec.module} ${JSON.stringify(spec.parameters)} as of ${asOf}`,
          sql,
          oracle,
        );
        if (oracle.size > 0) matched.add(spec.module);
      }
      // Without gamma, gamma's subscribers (00104) are local roamers.
      const local = { ...config, operators: config.operators.filter((o) => o.id !== 'gamma') };
      for (const spec of SPECS.filter((x) => x.module.startsWith('used_by_'))) {
        const sql = await store.evaluateDimension(spec, asOf, local);
        const oracle = oracleDimension(spec, { ...data, deployment: local }, asOf);
        assertSameImeis(`${spec.module} without gamma as of ${asOf}`, sql, oracle);
        if (oracle.size > 0) matched.add(spec.module);
      }
      if (asOf < '2026-01-31') continue;
      for (const c of [
        ...CONDITIONS,
        ...SPECS.map((s, i) => ({
          ...CONDITIONS[0]!,
          label: `inv${i}`,
          dimensions: [{ ...s, invert: true }],
        })),
      ]) {
        const sql = await store.db.withSession((s) => evaluateConditionImeis(s, c, asOf, config));
        assertSameImeis(
          `condition ${c.label} as of ${asOf}`,
          sql,
          oracleCondition(c, data, asOf).matched,
        );
        conditionsChecked++;
      }
    }
    t.diagnostic(
      `${SPECS.length} dimension specs x ${AS_OF.length} dates, ${conditionsChecked} conditions`,
    );
    // A module that never matches would prove nothing.
    assert.deepEqual(
      MUST_MATCH.filter((m) => !matched.has(m)),
      [],
      'modules that matched nothing on the generated data',
    );
  });
}
