import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCatalogue } from '../../core/errors.js';
import { main } from './main.js';
import { captureIo } from '../../testing/cli-test-kit.js';

const capture = captureIo;

async function run(args: string[]) {
  const io = capture();
  const code = await main(args, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const data = mkdtempSync(join(tmpdir(), 'ceir-cli-'));
const gen = join(data, 'gen');

test('help lists every command and every exit code', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  for (const c of ['demo', 'import', 'imei', 'generate', 'db migrate'])
    assert.match(r.out, new RegExp(c));
  for (const [code, e] of Object.entries(ErrorCatalogue)) {
    assert.match(r.out, new RegExp(code));
    assert.match(r.out, new RegExp(`\\b${e.exit}\\b`));
  }
});

test('usage errors exit 2 with a message', async () => {
  const r = await run(['frobnicate', '--data', data]);
  assert.equal(r.code, 2);
  assert.match(r.err, /Unknown command "frobnicate"/);
  const r2 = await run(['import', 'nonsense', 'x.csv', '--data', data]);
  assert.equal(r2.code, 2);
  assert.match(r2.err, /Unknown source "nonsense"/);
  const r3 = await run(['--bogus']);
  assert.equal(r3.code, 2);
});

test('an invalid config is reported with every error at once', async () => {
  const cfg = join(data, 'bad.yaml');
  writeFileSync(cfg, 'country: { name: X, mcc: ["1"], msisdn_country_codes: [] }\noperators: []\n');
  const r = await run(['db', 'status', '--data', data, '--config', cfg]);
  assert.equal(r.code, ErrorCatalogue.CEIR_ERR_CONFIG.exit);
  assert.match(r.err, /country\.mcc\.0/);
  assert.match(r.err, /country\.msisdn_country_codes/);
  assert.match(r.err, /operators/);
});

test('generate, import, imei and db status work together, with --json', async () => {
  const g = await run([
    'generate',
    '--data',
    data,
    '--out',
    gen,
    '--rows',
    '3000',
    '--seed',
    '5',
    '--json',
  ]);
  assert.equal(g.code, 0, g.err);
  const summary = JSON.parse(g.out) as { files: { path: string; kind: string }[] };
  const dumps = summary.files.filter((f) => f.kind === 'operator_dump').map((f) => f.path);
  assert.ok(dumps.length >= 3);

  const tac = await run(['import', 'gsma_tac', join(gen, 'gsma_tac_db.txt'), '--data', data]);
  assert.equal(tac.code, 0, tac.err);
  assert.match(tac.out, /imported/);
  const stolen = await run(['import', 'stolen', join(gen, 'stolen_list.csv'), '--data', data]);
  assert.equal(stolen.code, 0, stolen.err);

  const imp = await run(['import', 'operator', ...dumps, '--data', data, '--json']);
  assert.equal(imp.code, 0, imp.err);
  const results = JSON.parse(imp.out) as { kind: string; record: { rows: number } }[];
  assert.deepEqual(
    results.map((r) => r.kind),
    dumps.map(() => 'imported'),
  );

  // The same files again: recognised, nothing changes, exit 0.
  const again = await run(['import', 'operator', dumps[0]!, '--data', data]);
  assert.equal(again.code, 0);
  assert.match(again.out, /already imported/);

  const truth = JSON.parse(readFileSync(join(gen, 'ground_truth.json'), 'utf8')) as {
    categories: Record<string, string[]>;
  };
  const clone = truth.categories['clone']![0]!;
  const imei = await run(['imei', clone, '--data', data, '--json']);
  assert.equal(imei.code, 0, imei.err);
  const rep = JSON.parse(imei.out) as { imei_norm: string; seen: { imsi: string }[] };
  assert.equal(rep.imei_norm, clone.slice(0, 14));
  assert.ok(
    new Set(rep.seen.map((s) => s.imsi)).size >= 5,
    'a planted clone is seen on many IMSIs',
  );

  const human = await run(['imei', `${clone.slice(0, 14)}0`, '--data', data]);
  assert.match(human.out, /normalised\s+\d{14}/);
  assert.match(human.out, /seen\s+\w+ \d{4}-\d{2} IMSI/);

  const st = await run(['db', 'status', '--data', data, '--json']);
  assert.equal(st.code, 0);
  const status = JSON.parse(st.out) as {
    current: number;
    latest: number;
    counts: { imports: number };
  };
  assert.equal(status.current, status.latest);
  assert.equal(status.counts.imports, 2 + dumps.length);
});

test('a rejected dump exits with the gate code and names the gate and figure', async () => {
  const file = join(data, 'alpha_20260301_20260331.csv');
  const rows = ['date,imei,imsi,msisdn,rat'];
  for (let i = 0; i < 20; i++)
    rows.push(
      `202603${String((i % 28) + 1).padStart(2, '0')},3520990017614${i % 10},,99912345${i},006`,
    );
  writeFileSync(file, `${rows.join('\n')}\n`);
  const r = await run(['import', 'operator', file, '--data', data]);
  assert.equal(r.code, ErrorCatalogue.CEIR_ERR_GATE_FAILED.exit);
  assert.match(r.out, /REJECTED, nothing changed/);
  assert.match(r.out, /null_imsi measured 1 \(at most 0\.05\)/);
  // The same file passes when the gate is relaxed for this run.
  const ok = await run([
    'import',
    'operator',
    file,
    '--data',
    data,
    '--gate',
    'null_imsi_max=1',
    '--gate',
    'imsi_length_max=1',
    '--gate',
    'imsi_outside_country_max=1',
    '--gate',
    'imsi_outside_operator_max=1',
  ]);
  assert.equal(ok.code, 0, ok.out + ok.err);
  const bad = await run(['import', 'operator', file, '--data', data, '--gate', 'no_such_gate=1']);
  assert.equal(bad.code, 2);
});
