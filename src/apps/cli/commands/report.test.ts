import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MonthReport } from '../../../core/ports/report-store.js';
import { parseCsv } from '../../../listgen/csv.js';
import { CliContext } from '../cli-context.js';
import { main } from '../main.js';
import { runReport } from './report.js';
import { captureIo } from '../../../testing/cli-test-kit.js';

const capture = captureIo;

const dir = mkdtempSync(join(tmpdir(), 'ceir-report-cli-'));
const data = join(dir, 'data');
const config = join(dir, 'ceir.yaml');
const common = ['--data', data, '--config', config];

writeFileSync(
  config,
  `country: { name: Testland, mcc: ['001'], msisdn_country_codes: ['999'] }
operators:
  - { id: alpha, name: Alpha Mobile, mcc_mnc: ['00101'] }
  - { id: beta, name: Beta Telecom, mcc_mnc: ['00102'] }
conditions:
  - { label: stolen, reason: Reported stolen, blocking: true, grace_period_days: 0, max_allowed_matching_ratio: 1, dimensions: [{ module: stolen_list }] }
  - { label: duplicate, reason: Many SIMs, blocking: true, max_allowed_matching_ratio: 1, dimensions: [{ module: duplicate_threshold, parameters: { threshold: 3, period_days: 30 } }] }
  - { label: not_registered, reason: Not registered, blocking: false, max_allowed_matching_ratio: 1, dimensions: [{ module: not_on_registration_list }] }
`,
);

const GSMA =
  'TAC|Marketing Name|Internal Model Name|Manufacturer|Bands|Allocation Date|Country Code|Fixed Code|Manufacturer Code|Radio Interface|Brand Name|Model Name|Operating System|NFC|Bluetooth|WLAN|Device Type';
const tacRow = (tac: string, brand: string, model: string, maker: string) =>
  `${tac}|${model}|${model}|${maker}|GSM 900,LTE|01-Jan-2020|1|1|1|LTE|${brand}|${model}|Android|Y|Y|Y|Smartphone`;

// IMEIs (with check digits): A stolen, seen 1 and 31 March on alpha; B three IMSIs on alpha;
// C on alpha and beta; D on beta.
const A = '350000010000014';
const B = '350000020000022';
const C = '350000020000030';
const D = '350000010000048';
const row = (d: number, imei: string, imsi: string, n: number) =>
  `202603${String(d).padStart(2, '0')},${imei},${imsi},9990000000${n},006`;

async function run(args: string[]) {
  const io = capture();
  const code = await main(args, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

async function report(month: string, opts: { out?: string; json?: boolean } = {}) {
  const io = capture();
  const ctx = CliContext.create({ data, config, json: opts.json ?? false }, io);
  assert.ok(!('kind' in ctx));
  try {
    const code = await runReport(ctx, month, opts.out ? { out: opts.out } : {});
    return { code, out: io.stdout.join('\n') };
  } finally {
    await ctx.close();
  }
}

test('import a tiny month, classify, report: JSON, CSV and HTML agree', async () => {
  const files = {
    tac: join(dir, 'tac.txt'),
    stolen: join(dir, 'stolen.csv'),
    alpha: join(dir, 'alpha_20260301_20260331.csv'),
    beta: join(dir, 'beta_20260301_20260331.csv'),
  };
  writeFileSync(
    files.tac,
    [
      GSMA,
      tacRow('35000001', 'Acme', '<script>alert(1)</script>', 'Acme Inc'),
      tacRow('35000002', 'Zed', 'Z1', 'Zed Ltd'),
    ].join('\n') + '\n',
  );
  writeFileSync(files.stolen, `imei,reporting_date,status\n${A},20260301,\n`);
  writeFileSync(
    files.alpha,
    [
      'date,imei,imsi,msisdn,rat',
      row(1, A, '001010000000001', 1),
      row(31, A, '001010000000001', 1),
      row(5, B, '001010000000002', 2),
      row(6, B, '001010000000003', 3),
      row(7, B, '001010000000004', 4),
      row(10, C, '001010000000005', 5),
    ].join('\n') + '\n',
  );
  writeFileSync(
    files.beta,
    [
      'date,imei,imsi,msisdn,rat',
      row(11, C, '001020000000006', 6),
      row(12, D, '001020000000007', 7),
    ].join('\n') + '\n',
  );
  for (const [source, file] of [
    ['gsma_tac', files.tac],
    ['stolen', files.stolen],
    ['operator', files.alpha],
    ['operator', files.beta],
  ] as const) {
    const r = await run(['import', source, file, ...common]);
    assert.equal(r.code, 0, r.out + r.err);
  }
  const c = await run(['classify', '--as-of', '2026-03-31', ...common]);
  assert.equal(c.code, 0, c.out + c.err);

  const r = await report('2026-03', { json: true });
  assert.equal(r.code, 0);
  const rep = JSON.parse(r.out) as MonthReport;
  const fig = Object.fromEntries(rep.figures.map((f) => [f.scope, f]));
  assert.deepEqual(
    rep.figures.map((f) => [
      f.scope,
      f.imeis,
      f.imsis,
      f.msisdns,
      f.triplets,
      f.compliant,
      f.informative,
      f.blocking,
    ]),
    [
      ['alpha', 3, 5, 5, 5, 0, 1, 2],
      ['beta', 2, 2, 2, 2, 0, 2, 0],
      ['*', 4, 7, 7, 7, 0, 2, 2],
    ],
  );
  assert.equal(fig['*']!.unknownTacImeis, 0);
  assert.deepEqual(
    rep.imsiDistribution
      .filter((d) => d.scope === '*' && d.imeis > 0)
      .map((d) => [d.bucket, d.imeis]),
    [
      ['1', 2],
      ['2', 1],
      ['3', 1],
    ],
  );
  assert.deepEqual(
    rep.blackListedSeen.filter((b) => b.imeis > 0).map((b) => [b.scope, b.age, b.imeis]),
    [
      ['alpha', '0', 1],
      ['*', '0', 1],
    ],
  );
  assert.deepEqual(
    rep.byCondition.filter((x) => x.scope === '*').map((x) => [x.condition, x.imeis]),
    [
      ['duplicate', 1],
      ['stolen', 1],
      ['not_registered', 4],
    ],
  );
  assert.deepEqual(
    rep.topModels.filter((m) => m.scope === '*').map((m) => [m.brand, m.imeis]),
    [
      ['Acme', 2],
      ['Zed', 2],
    ],
  );

  // Files in the default folder: the same JSON, CSV tables, the page.
  const out = join(data, 'reports', '2026-03');
  assert.deepEqual(readdirSync(out).sort(), [
    'ceir-report-2026-03-blacklisted_seen.csv',
    'ceir-report-2026-03-combinations.csv',
    'ceir-report-2026-03-conditions.csv',
    'ceir-report-2026-03-figures.csv',
    'ceir-report-2026-03-imsi_distribution.csv',
    'ceir-report-2026-03-top_models.csv',
    'ceir-report-2026-03.html',
    'ceir-report-2026-03.json',
  ]);
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'ceir-report-2026-03.json'), 'utf8')), rep);
  const csv = parseCsv(
    readFileSync(join(out, 'ceir-report-2026-03-figures.csv'), 'utf8').trimEnd(),
  );
  assert.deepEqual(csv[0]!.slice(0, 3), ['scope', 'name', 'imeis']);
  assert.deepEqual(csv[3]!.slice(0, 3), ['*', 'Testland', '4']);
  const html = readFileSync(join(out, 'ceir-report-2026-03.html'), 'utf8');
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.ok(!/<script/i.test(html));
  assert.match(
    html,
    /<th scope="row">Testland \(all operators\)<\/th><td class="num">4<\/td><td class="num">7<\/td>/,
  );
});

test('human output and --out', async () => {
  const out = join(dir, 'elsewhere');
  const r = await report('2026-03', { out });
  assert.equal(r.code, 0);
  assert.match(r.out, /^report 2026-03 \(Testland\) in /);
  assert.match(r.out, /4 IMEIs seen: 0 compliant, 2 informative, 2 blocking/);
  assert.match(r.out, /ceir-report-2026-03\.html/);
  assert.ok(existsSync(join(out, 'ceir-report-2026-03.html')));
  assert.ok(!readdirSync(out).some((f) => f.endsWith('.tmp')));
});

test('a month that is not YYYY-MM is a usage error', async () => {
  await assert.rejects(() => report('2026-3'), /ceir report <YYYY-MM>/);
  await assert.rejects(() => report('2026-13'), /ceir report <YYYY-MM>/);
});
