/* eslint-disable no-restricted-imports -- end-to-end: the CLI fills a store, the check engine reads it */
/**
 * End to end: a tiny store filled through the CLI in process (operator dump, stolen, golden and
 * pairing lists, classify, listgen), then a check snapshot built from it through the port; the
 * decisions agree with the generated lists.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnCheckDigit } from '../../core/ids/index.js';
import type { EirSnapshotSource } from '../../core/ports/snapshot-source.js';
import type { CliIo } from '../../apps/cli/cli-context.js';
import { main } from '../../apps/cli/main.js';
import { buildSnapshot } from '../../eir/build-snapshot.js';
import { SnapshotHolder } from '../../eir/snapshot-holder.js';
import { DuckDbStore } from './duckdb-store.js';
import { eirSnapshotData } from './eir-snapshot-source.js';
import { RELAXED_GATES_YAML } from '../../testing/cli-test-kit.js';

const root = mkdtempSync(join(tmpdir(), 'ceir-eir-'));
after(() => rmSync(root, { recursive: true, force: true }));
const data = join(root, 'data');
const config = join(root, 'ceir.yaml');

const imsi = (prefix: string, n: number) =>
  `${prefix}${String(n).padStart(15 - prefix.length, '0')}`;
const A = (n: number) => imsi('00101', n);
const M = (n: number) => `999${String(n).padStart(8, '0')}`;
const imei = (snr: number) => `35000000${String(snr).padStart(6, '0')}`;
const full = (key: string) => `${key}${luhnCheckDigit(key)}`;

writeFileSync(
  config,
  `country: { name: Testland, mcc: ['001'], msisdn_country_codes: ['999'] }
operators:
  - { id: alpha, name: Alpha Mobile, mcc_mnc: ['00101'] }
${RELAXED_GATES_YAML}lists: { notification_lookback_days: 60 }
conditions:
  - label: stolen
    reason: Reported stolen
    blocking: true
    grace_period_days: 0
    max_allowed_matching_ratio: 1
    dimensions: [{ module: stolen_list }]
  - label: duplicate
    reason: Duplicated IMEI
    blocking: true
    grace_period_days: 10
    max_allowed_matching_ratio: 1
    dimensions: [{ module: duplicate_threshold, parameters: { threshold: 3, period_days: 30 } }]
`,
);

let files = 0;
async function ceir(args: string[]): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { interactive: false, out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main([...args, '--data', data, '--config', config], io);
  assert.equal(code, 0, `ceir ${args.join(' ')}: ${err.join('\n')}`);
  return out.join('\n');
}
async function file(name: string, lines: string[]): Promise<string> {
  const p = join(root, `${name}-${files++}.csv`);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

test('snapshot from a CLI-built store: decisions match the generated lists', async () => {
  const S = imei(11); // stolen
  const D = imei(22); // duplicated over 3 SIMs, pending; paired with A(2)
  const G = imei(33); // stolen but golden
  const O = imei(44); // ordinary
  const dump = join(root, 'alpha_20260301_20260310.csv');
  writeFileSync(
    dump,
    [
      'date,imei,imsi,msisdn,rat',
      `20260305,${full(S)},${A(1)},${M(1)},006`,
      `20260303,${full(D)},${A(2)},${M(2)},006`,
      `20260303,${full(D)},${A(3)},${M(3)},006`,
      `20260304,${full(D)},${A(4)},${M(4)},006`,
      `20260305,${full(G)},${A(5)},${M(5)},006`,
      `20260307,${full(O)},${A(6)},${M(6)},006`,
    ].join('\n'),
  );
  await ceir(['import', 'operator', dump]);
  await ceir([
    'import',
    'stolen',
    await file('stolen', [
      'imei,reporting_date,status',
      `${full(S)},20260301,blacklist`,
      `${full(G)},20260302,`,
    ]),
  ]);
  await ceir(['import', 'golden', await file('golden', ['golden_imei', full(G)])]);
  await ceir([
    'import',
    'pairing',
    await file('pairing', ['imei,imsi,msisdn', `${full(D)},${A(2)},${M(2)}`]),
  ]);
  await ceir(['classify', '--as-of', '2026-03-10', '--json']);
  await ceir(['listgen', '--as-of', '2026-03-10', '--out', join(root, 'lists'), '--json']);

  const store = await DuckDbStore.open({ dataDir: data, memoryLimit: '256MB', threads: 1 });
  try {
    const source: EirSnapshotSource = { snapshotData: (run) => eirSnapshotData(store.db, run) };
    const d = await source.snapshotData();
    assert.equal(d.listRun, 1);
    assert.equal(d.asOf, '2026-03-10');
    assert.deepEqual([...d.black.imeis], [Number(S)]);
    assert.deepEqual(d.reasonSets[d.black.reasonSets[0]!], ['Reported stolen']);
    assert.deepEqual([...d.grey.imeis], [Number(D)]);
    assert.deepEqual(d.reasonSets[d.grey.reasonSets[0]!], ['Duplicated IMEI']);
    assert.deepEqual([...d.exceptions.imeis], [Number(D)]);
    assert.deepEqual([...d.exceptions.imsis], [Number(`1${A(2)}`)]);
    assert.deepEqual([...d.golden], [Number(G)]);
    assert.equal(d.tacCount, 0);
    await assert.rejects(source.snapshotData(99), /No list run 99/);

    const path = join(root, 'eir.snap');
    const built = await buildSnapshot(source, path);
    const holder = await SnapshotHolder.open(path);
    assert.equal(holder.version, built.snapshot.version.id);
    const st = (i: string, s?: string) => {
      const r = holder.check(i, s);
      return r.kind === 'status' ? [r.status, ...r.reasons] : ['UNKNOWN', ...r.reasons];
    };
    // Every row of the generated lists, as the store gives them.
    for await (const batch of store.listRows({ run: 1, kind: 'black' }))
      for (const [i, , reasons] of batch)
        assert.deepEqual(st(`${i}0`), ['BLACKLISTED', ...reasons!.split('|')]);
    let notified = 0;
    for await (const batch of store.listRows({ run: 1, kind: 'notification', operator: 'alpha' }))
      for (const [i, s] of batch) {
        notified++;
        assert.equal(st(i!, s)[0], 'GREYLISTED');
      }
    assert.equal(notified, 2);
    for await (const batch of store.listRows({ run: 1, kind: 'exception', operator: 'alpha' }))
      for (const [i, s] of batch) assert.deepEqual(st(full(i!), s), ['WHITELISTED', 'paired_imsi']);
    assert.deepEqual(st(full(S), A(1)), ['BLACKLISTED', 'Reported stolen']);
    assert.deepEqual(st(D, A(3)), ['GREYLISTED', 'Duplicated IMEI', 'pending_block']);
    assert.deepEqual(st(D, A(2)), ['WHITELISTED', 'paired_imsi']);
    assert.deepEqual(st(G), ['WHITELISTED', 'golden_imei']);
    assert.deepEqual(st(O), ['WHITELISTED', 'not_listed']);
    assert.deepEqual(st('garbage'), ['UNKNOWN', 'malformed_imei']);
  } finally {
    await store.close();
  }
});
