/**
 * THE EQUIVALENCE TEST on a synthetic national dataset: the generator's files (3 operators, 2
 * months) imported into a fresh DuckDB store by the real ingest, then for every dimension module
 * (with several parameter sets), inverted, in multi-dimension conditions and for the default
 * conditions, at several classification dates, the compiled SQL and the pure evaluator (fed by
 * `loadClassificationData` from the same store) return the same IMEI set.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Condition, DimensionModule, DimensionSpec } from '../../../core/rules/condition.js';
import { DIMENSION_MODULES } from '../../../core/rules/condition.js';
import type { DeploymentProfile } from '../../../core/deployment.js';
import type { ClassificationData } from '../../../core/rules/data-model.js';
import { DEFAULT_CONDITIONS } from '../../../core/rules/default-conditions.js';
import { evaluateDimension as oracleDimension } from '../../../core/rules/dimensions/index.js';
import { evaluateCondition as oracleCondition } from '../../../core/rules/evaluate-condition.js';
import { parseConditions } from '../../../core/rules/parse-conditions.js';
// Test wiring only: the store's rules are checked on data landed by the real ingest.
// eslint-disable-next-line no-restricted-imports
import { importList } from '../../../ingest/lists/import-list.js';
// eslint-disable-next-line no-restricted-imports
import { importOperatorDump } from '../../../ingest/operator-dump/import-operator-dump.js';
// eslint-disable-next-line no-restricted-imports
import { DEMO_CONFIG_PATH, loadConfig } from '../../../config/loader.js';
// eslint-disable-next-line no-restricted-imports
import { datasetFiles } from '../../../apps/generate/dataset-files.js';
// eslint-disable-next-line no-restricted-imports
import { generateDataset } from '../../../apps/generate/generate-dataset.js';
import { evaluateConditionImeis, evaluateDimension } from './evaluate-dimension.js';
import { assertSameImeis, openTempStore, type TempStore } from './test-support.js';

const loaded = loadConfig(DEMO_CONFIG_PATH);
if (loaded.kind !== 'ok') throw new Error(loaded.message);
const config = loaded.value;

function conditions(raw: unknown[]): Condition[] {
  const r = parseConditions(raw);
  if (r.kind !== 'ok') throw new Error(r.message);
  return r.value;
}

const dims = (raw: unknown[]): DimensionSpec[] =>
  conditions(raw.map((d, i) => ({ label: `c${i}`, reason: 'r', dimensions: [d] }))).map(
    (c) => c.dimensions[0]!,
  );

/** Every module, several parameter sets each (thresholds low enough to match on 30k rows). */
const SPECS: DimensionSpec[] = dims([
  { module: 'gsma_not_found' },
  { module: 'gsma_not_found', parameters: { ignore_rbi_delays: true } },
  { module: 'gsma_not_found', parameters: { per_rbi_delays: { '35': 3, '86': 40, '01': 0 } } },
  { module: 'stolen_list' },
  { module: 'duplicate_threshold', parameters: { threshold: 2, period_days: 7 } },
  { module: 'duplicate_threshold', parameters: { threshold: 3, period_days: 120 } },
  { module: 'duplicate_threshold', parameters: { threshold: 10, period_days: 120 } },
  { module: 'duplicate_threshold', parameters: { threshold: 2, period_months: 1 } },
  {
    module: 'duplicate_threshold',
    parameters: { threshold: 2, period_days: 10, use_msisdn: true },
  },
  {
    module: 'duplicate_daily_avg',
    parameters: { threshold: 1.5, period_days: 30, min_seen_days: 2 },
  },
  {
    module: 'duplicate_daily_avg',
    parameters: { threshold: 4, period_days: 30, min_seen_days: 5 },
  },
  {
    module: 'duplicate_daily_avg',
    parameters: { threshold: 1.1, period_months: 2, min_seen_days: 1, use_msisdn: true },
  },
  { module: 'duplicate_daily_avg', parameters: { threshold: 2, period_days: 3, min_seen_days: 1 } },
  { module: 'malformed_imei' },
  { module: 'not_on_registration_list' },
  {
    module: 'not_on_registration_list',
    parameters: { exempted_device_types: ['Smartphone', 'Modem', 'Tablet'] },
  },
  { module: 'inconsistent_rat' },
  { module: 'rat_beyond_tac' },
  { module: 'is_test_tac' },
  { module: 'is_barred_tac' },
  { module: 'exists_in_barred_list' },
  { module: 'exists_in_monitoring_list' },
  { module: 'used_by_international_roamer', parameters: { lookback_days: 10 } },
  { module: 'used_by_international_roamer', parameters: { lookback_days: 60 } },
  { module: 'used_by_local_roamer', parameters: { lookback_days: 30 } },
  { module: 'used_by_home_subscriber', parameters: { lookback_days: 1 } },
  { module: 'used_by_home_subscriber', parameters: { lookback_days: 45 } },
  { module: 'transient_imei', parameters: { period: 30, num_msisdns: 5 } },
  { module: 'transient_imei', parameters: { period: 7, num_msisdns: 2 } },
  { module: 'transient_imei', parameters: { period: 3, num_msisdns: 1 } },
  { module: 'concurrent_use', parameters: { threshold: 2, min_days: 5, period_days: 30 } },
  { module: 'concurrent_use', parameters: { threshold: 2, min_days: 1, across_operators: true } },
  { module: 'concurrent_use', parameters: { threshold: 3, min_days: 2, period_days: 10 } },
  { module: 'realtime_clone', parameters: { lookback_days: 1 } },
  { module: 'realtime_clone', parameters: { lookback_days: 14 } },
  { module: 'realtime_clone', parameters: { lookback_days: 90 } },
  { module: 'foreign_block_list', parameters: { trust: ['block'] } },
  { module: 'foreign_block_list', parameters: { trust: ['greylist', 'inform'] } },
  { module: 'implausible_imei' },
  { module: 'seen_before_allocation' },
  { module: 'seen_before_allocation', parameters: { tolerance_days: 10 } },
  { module: 'attestation_mismatch' },
]);

/** Inverted dimensions and intersections. */
const CONDITIONS: Condition[] = conditions([
  { label: 'not_stolen', reason: 'r', dimensions: [{ module: 'stolen_list', invert: true }] },
  {
    label: 'unregistered_home',
    reason: 'r',
    dimensions: [
      { module: 'not_on_registration_list' },
      { module: 'used_by_home_subscriber', parameters: { lookback_days: 30 } },
    ],
  },
  {
    label: 'dup_not_roamer',
    reason: 'r',
    dimensions: [
      { module: 'duplicate_threshold', parameters: { threshold: 2, period_days: 30 } },
      { module: 'used_by_international_roamer', parameters: { lookback_days: 30 }, invert: true },
      { module: 'malformed_imei', invert: true },
    ],
  },
  {
    label: 'two_inverted',
    reason: 'r',
    dimensions: [
      { module: 'gsma_not_found', invert: true },
      { module: 'used_by_home_subscriber', parameters: { lookback_days: 5 }, invert: true },
    ],
  },
  {
    label: 'clone_known_tac',
    reason: 'r',
    dimensions: [
      { module: 'concurrent_use', parameters: { threshold: 2, min_days: 1, period_days: 30 } },
      {
        module: 'duplicate_daily_avg',
        parameters: { threshold: 1.2, period_days: 30, min_seen_days: 1 },
      },
      { module: 'gsma_not_found', invert: true },
    ],
  },
]);

/** Before any data, first day, mid-month, month ends and starts, after the data. */
const AS_OF = [
  '2025-12-31',
  '2026-01-01',
  '2026-01-15',
  '2026-01-31',
  '2026-02-01',
  '2026-02-14',
  '2026-02-28',
  '2026-03-20',
];

let ts: TempStore;
const dataByAsOf = new Map<string, ClassificationData>();

before(async () => {
  ts = await openTempStore('ceir-rules-generated-');
  const input = join(ts.dir, 'input');
  await generateDataset({
    config,
    outDir: input,
    rows: 30_000,
    seed: 11,
    startMonth: '2026-01',
    months: 2,
    compression: 'plain',
  });
  const spoolDir = join(ts.dir, 'spool');
  for (const { source, file } of datasetFiles(input)) {
    const o =
      source === 'operator'
        ? await importOperatorDump(ts.store, { file, config, gates: config.gates, spoolDir })
        : await importList(ts.store, {
            list: source,
            file,
            mode: 'full',
            force: false,
            shrinkMinRatio: 0.75,
            spoolDir,
          });
    assert.equal(o.kind, 'imported', `${file}: ${JSON.stringify(o)}`);
  }
  // Real-time clone flags (as the EIR's detector leaves them): for some 200 seen IMEIs, one or
  // two flags spread over January-February 2026, and flags of IMEIs never seen.
  await ts.store.db.run(`INSERT INTO realtime_clone_flags
    SELECT imei, TIMESTAMP '2026-01-02 23:30:00' + to_days((hash(imei, k) % 60)::INTEGER),
           3, 2, TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-01 00:10:00'
      FROM (SELECT DISTINCT imei FROM triplets WHERE imei >= 0 ORDER BY imei LIMIT 200) s,
           (SELECT range AS k FROM range(0, 2)) r
     WHERE k = 0 OR imei % 2 = 0
    UNION ALL
    SELECT 99999999000000 + range, TIMESTAMP '2026-02-01 10:00:00', 4, 3,
           TIMESTAMP '2026-02-01 09:59:00', TIMESTAMP '2026-02-01 10:00:00' FROM range(0, 5)`);
  // Records from peer CEIRs (the exchange): some 150 seen IMEIs, from peers of each trust,
  // some removed by their owner, and records of IMEIs never seen.
  await ts.store.db.run(`INSERT INTO exchange_peers VALUES ('pa', 'PA', 'block', 0, NULL, NULL),
    ('pb', 'PB', 'greylist', 0, NULL, NULL), ('pc', 'PC', 'inform', 0, NULL, NULL)`);
  await ts.store.db.run(`INSERT INTO exchange_foreign
    SELECT upper(p) || '-stolen-' || imei, imei, 'stolen', NULL,
           CASE WHEN imei % 5 = 0 THEN 'removed' ELSE 'active' END, upper(p), 1, p, 'k', 'h',
           TIMESTAMP '2026-01-01 00:00:00'
      FROM (SELECT DISTINCT imei FROM triplets WHERE imei >= 0 ORDER BY imei DESC LIMIT 150) s,
           (SELECT unnest(['pa', 'pb', 'pc']) AS p) q
     WHERE hash(imei, p) % 3 = 0
    UNION ALL
    SELECT 'PA-stolen-' || (99999998000000 + range), 99999998000000 + range, 'stolen', NULL,
           'active', 'PA', 1, 'pa', 'k', 'h', TIMESTAMP '2026-01-01 00:00:00' FROM range(0, 5)`);
  // Tamper signals (docs/attestation.md): some TACs allocated during the data, and attestations
  // (every verdict) whose claimed IMEI is not the attested one, or whose model is not the TAC's.
  await ts.store.db.run(`UPDATE list_entries
    SET attrs = json_merge_patch(attrs, '{"allocation_date": "20-jan-2026"}')::VARCHAR
    WHERE list = 'gsma_tac' AND valid_to IS NULL AND hash(key) % 5 = 0`);
  await ts.store.db.run(`INSERT INTO attestations
    SELECT 'att-' || imei, TIMESTAMP '2026-01-10 12:00:00' + to_days((imei % 40)::INTEGER),
           CASE imei % 4 WHEN 0 THEN 'weak' ELSE 'attested' END, imei % 7 <> 0, '[]',
           CASE WHEN imei % 3 = 0 THEN imei ELSE imei + 1 END, NULL, NULL, 'b', 'd', 'p', NULL,
           'm', CASE WHEN imei % 2 = 0 THEN 'Not A Model' ELSE NULL END, imei, NULL, NULL, '{}'
      FROM (SELECT DISTINCT imei FROM triplets WHERE imei >= 0 ORDER BY imei DESC LIMIT 300) s`);
  for (const asOf of AS_OF)
    dataByAsOf.set(asOf, await ts.store.loadClassificationData(asOf, config));
});

after(async () => {
  await ts?.cleanup();
});

const label = (s: DimensionSpec) => `${s.module} ${JSON.stringify(s.parameters)}`;

/** The demo deployment without gamma: gamma's subscribers (00104) become local roamers. */
const WITHOUT_GAMMA: DeploymentProfile = {
  country: config.country,
  operators: config.operators.filter((o) => o.id !== 'gamma'),
};

test('generated data: every dimension, SQL = oracle at every date', async (t) => {
  const matchedSomewhere = new Set<DimensionModule>();
  let sqlMs = 0;
  let oracleMs = 0;
  for (const asOf of AS_OF) {
    for (const deployment of [config, WITHOUT_GAMMA]) {
      const data = { ...dataByAsOf.get(asOf)!, deployment };
      const specs =
        deployment === config ? SPECS : SPECS.filter((s) => s.module.startsWith('used_by_'));
      for (const spec of specs) {
        const t0 = performance.now();
        const sql = await evaluateDimension(ts.store.db, spec, asOf, deployment);
        const t1 = performance.now();
        const oracle = oracleDimension(spec, data, asOf);
        oracleMs += performance.now() - t1;
        sqlMs += t1 - t0;
        const d = deployment === config ? '' : ' (without gamma)';
        assertSameImeis(`${label(spec)} as of ${asOf}${d}`, sql, oracle);
        if (oracle.size > 0) matchedSomewhere.add(spec.module);
      }
    }
  }
  t.diagnostic(`SQL ${sqlMs.toFixed(0)} ms, oracle ${oracleMs.toFixed(0)} ms`);
  // The data exercise every module: a module that never matches would prove nothing.
  assert.deepEqual(
    DIMENSION_MODULES.filter((m) => !matchedSomewhere.has(m)),
    [],
    'modules that matched nothing on the generated data',
  );
});

test('generated data: the store method answers as the function does', async () => {
  const spec = SPECS.find((s) => s.module === 'stolen_list')!;
  const viaStore = await ts.store.evaluateDimension(spec, '2026-02-28', config);
  assert.ok(viaStore.length > 0);
  assert.deepEqual(viaStore, [...viaStore].sort());
  assertSameImeis(
    'store.evaluateDimension',
    viaStore,
    oracleDimension(spec, dataByAsOf.get('2026-02-28')!),
  );
});

test('generated data: inverted and multi-dimension conditions, and the defaults', async () => {
  const all = [
    ...CONDITIONS,
    ...DEFAULT_CONDITIONS,
    ...SPECS.map((s, i) => ({
      ...CONDITIONS[0]!,
      label: `inv${i}`,
      dimensions: [{ ...s, invert: true }],
    })),
  ];
  for (const asOf of ['2026-01-15', '2026-02-01', '2026-02-28']) {
    const data = dataByAsOf.get(asOf)!;
    for (const c of all) {
      const sql = await evaluateConditionImeis(ts.store.db, c, asOf, config);
      const oracle = oracleCondition(c, data, asOf);
      assertSameImeis(`condition ${c.label} as of ${asOf}`, sql, oracle.matched);
    }
  }
});
