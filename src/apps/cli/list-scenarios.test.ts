/**
 * Issue #3: list scenarios driven through the CLI in process (import, classify, listgen), with
 * small hand-written dumps and lists in a temporary data directory; the zip files listgen writes
 * are read back and their rows asserted exactly (domain.md sections 4 and 5).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCatalogue } from '../../core/errors.js';
import { luhnCheckDigit } from '../../core/ids/index.js';
import type { ClassificationRun } from '../../core/ports/classification-store.js';
import {
  listFileName,
  listHeader,
  parseCsv,
  readZipEntry,
  type ListFileKind,
  type ListForm,
} from '../../listgen/index.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { CliIo } from './cli-context.js';
import { main } from './main.js';
import { RELAXED_GATES_YAML } from '../../testing/cli-test-kit.js';

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

// Identifiers. Operators as in the demo config: alpha 00101, beta 00102/00103, gamma 00104.
const imsi = (prefix: string, n: number) =>
  `${prefix}${String(n).padStart(15 - prefix.length, '0')}`;
const A = (n: number) => imsi('00101', n); // alpha subscriber
const B = (n: number) => imsi('00102', n); // beta subscriber
const F = (n: number) => imsi('20801', n); // international roamer (France)
const L = (n: number) => imsi('00109', n); // national network with no operator in the CEIR
const M = (n: number) => `999${String(n).padStart(8, '0')}`;
const FM = (n: number) => `33${String(n).padStart(9, '0')}`;
/** A 14-digit IMEI key and its 15-digit form with the check digit, as networks send it. */
const imei = (snr: number) => `35000000${String(snr).padStart(6, '0')}`;
const full = (key: string) => `${key}${luhnCheckDigit(key)}`;

const BASE_CONFIG = `country: { name: Testland, mcc: ['001'], msisdn_country_codes: ['999'] }
operators:
  - { id: alpha, name: Alpha Mobile, mcc_mnc: ['00101'] }
  - { id: beta, name: Beta Telecom, mcc_mnc: ['00102', '00103'] }
  - { id: gamma, name: Gamma Wireless, mcc_mnc: ['00104'] }
# Tiny hand-written dumps fail every statistical gate; the gates have their own tests.
${RELAXED_GATES_YAML}lists: { notification_lookback_days: 60 }
`;

const STOLEN = `  - label: stolen
    reason: Reported stolen
    blocking: true
    grace_period_days: 0
    max_allowed_matching_ratio: 1
    dimensions: [{ module: stolen_list }]
`;

const DUPLICATE = (grace: number, extra = '') => `  - label: duplicate
    reason: Duplicated IMEI
    blocking: true
    grace_period_days: ${grace}
    sticky: true
    max_allowed_matching_ratio: 1${extra}
    dimensions: [{ module: duplicate_threshold, parameters: { threshold: 3, period_days: 30 } }]
`;

type Row = readonly string[];

/** A data directory with its config, driven through `main` with a capturing io. */
class Env {
  readonly root = mkdtempSync(join(tmpdir(), 'ceir-lists-'));
  readonly data = join(this.root, 'data');
  readonly config = join(this.root, 'ceir.yaml');
  private files = 0;
  constructor(config: string) {
    roots.push(this.root);
    this.setConfig(config);
  }

  setConfig(config: string): void {
    writeFileSync(this.config, config);
  }

  async ceir(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { interactive: false, out: (l) => out.push(l), err: (l) => err.push(l) };
    const code = await main([...args, '--data', this.data, '--config', this.config], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  async ok(args: string[]): Promise<string> {
    const r = await this.ceir(args);
    assert.equal(r.code, 0, `ceir ${args.join(' ')}: ${r.err}\n${r.out}`);
    return r.out;
  }

  /** Imports one operator dump: rows of date (YYYYMMDD), imei, imsi, msisdn, rat. */
  async dump(op: string, start: string, end: string, rows: Row[]): Promise<void> {
    const file = join(this.root, `${op}_${start}_${end}.csv`);
    writeFileSync(file, ['date,imei,imsi,msisdn,rat', ...rows.map((r) => r.join(','))].join('\n'));
    await this.ok(['import', 'operator', file]);
  }

  async list(source: string, header: string, rows: Row[], delta = false): Promise<void> {
    const file = join(this.root, `${source}-${this.files++}.csv`);
    writeFileSync(file, [header, ...rows.map((r) => r.join(','))].join('\n') + '\n');
    await this.ok(['import', source, file, ...(delta ? ['--delta'] : [])]);
  }

  async classify(asOf: string, ...extra: string[]): Promise<ClassificationRun> {
    return JSON.parse(
      await this.ok(['classify', '--as-of', asOf, '--json', ...extra]),
    ) as ClassificationRun;
  }

  /** Runs listgen into a fresh folder and returns a reader of its files. */
  async listgen(asOf: string, ...extra: string[]): Promise<Lists> {
    const out = join(this.root, `lists-${this.files++}`);
    const r = JSON.parse(
      await this.ok(['listgen', '--as-of', asOf, '--out', out, '--json', ...extra]),
    ) as { run: { id: number }; manifest: { base_run: number | null } };
    return new Lists(out, asOf, r.run.id, r.manifest.base_run);
  }

  /** `ceir imei` as JSON. */
  async imei(key: string): Promise<ImeiReport> {
    return JSON.parse(await this.ok(['imei', key, '--json'])) as ImeiReport;
  }

  /** Everything classification and list generation write, as text. */
  async snapshot(): Promise<string> {
    const store = await DuckDbStore.open({ dataDir: this.data, memoryLimit: '256MB', threads: 1 });
    try {
      const out: unknown[] = [];
      for (const t of [
        'condition_sets',
        'classification_runs',
        'classification_state',
        'list_runs',
        'list_rows',
      ])
        out.push(t, await store.db.all(`SELECT * FROM ${t} ORDER BY ALL`));
      return JSON.stringify(out);
    } finally {
      await store.close();
    }
  }
}

interface ImeiReport {
  imei_norm: string;
  conditions: {
    condition: string;
    startDate: string;
    endDate: string | null;
    blockDate: string | null;
    amnesty: boolean;
  }[];
}

const OPERATORS = ['alpha', 'beta', 'gamma'];

/** The files of one listgen run. */
class Lists {
  constructor(
    readonly dir: string,
    readonly asOf: string,
    readonly run: number,
    readonly baseRun: number | null,
  ) {}

  async rows(kind: ListFileKind, form: ListForm, operator?: string): Promise<string[][]> {
    const name = listFileName(this.asOf, kind, form, operator).slice(0, -4);
    const bytes = await readZipEntry(join(this.dir, `${name}.zip`), `${name}.csv`);
    assert.ok(bytes, `${name}.zip holds ${name}.csv`);
    const [header, ...rows] = parseCsv(bytes.toString('utf8'));
    assert.deepEqual(header, listHeader(kind, form), `${name} header`);
    return rows;
  }

  black = (form: ListForm = 'full') => this.rows('blacklist', form);
  notifications = (op: string, form: ListForm = 'full') => this.rows('notifications', form, op);
  exceptions = (op: string, form: ListForm = 'full') => this.rows('exceptions', form, op);

  /** Every row of every file of this run (to check that something is nowhere). */
  async everything(): Promise<string[][]> {
    const forms: ListForm[] = this.baseRun === null ? ['full'] : ['full', 'delta'];
    const out: string[][] = [];
    for (const form of forms) {
      out.push(...(await this.black(form)));
      for (const op of OPERATORS)
        out.push(...(await this.notifications(op, form)), ...(await this.exceptions(op, form)));
    }
    return out;
  }
}

const sorted = (rows: string[][]) => [...rows].sort((a, b) => a.join().localeCompare(b.join()));

/**
 * Applies a delta to a full list (key: the first `keyCols` columns) as an operator would:
 * added rows are inserted, removed rows deleted, changed rows replaced.
 */
function applyDelta(fullRows: string[][], delta: string[][], keyCols: number): string[][] {
  const key = (r: string[]) => r.slice(0, keyCols).join(',');
  const m = new Map(fullRows.map((r) => [key(r), r]));
  for (const [change, ...r] of delta) {
    if (['blocked', 'new', 'added', 'changed'].includes(change!)) m.set(key(r), r);
    else {
      assert.ok(m.has(key(r)), `${change} ${key(r)} was on the base list`);
      m.delete(key(r));
    }
  }
  return sorted([...m.values()]);
}

// ---------------------------------------------------------------------------------------------
// Block, grace expiry, unblock, pairing after notification, golden IMEIs, routing by IMSI home
// network, and deltas collapsed over several runs: one store going through March 2026.

test('block, grace expiry, unblock, pairing, golden, routing and collapsed deltas', async () => {
  const env = new Env(`${BASE_CONFIG}conditions:\n${STOLEN}${DUPLICATE(10)}`);
  const S = imei(11); // stolen
  const D = imei(22); // duplicated: 2 alpha SIMs, a beta SIM, a foreign and a local roamer SIM
  const G = imei(33); // stolen but golden
  const O = imei(44); // ordinary
  const G2 = imei(55); // duplicated but golden
  const G3 = imei(66); // duplicated, made golden after being notified
  await env.dump('alpha', '20260301', '20260310', [
    ['20260305', full(S), A(1), M(1), '006'],
    ['20260303', full(D), A(2), M(2), '006'],
    ['20260303', full(D), A(3), M(3), '006|002'],
    ['20260304', full(D), F(1), FM(1), '006'],
    ['20260304', full(D), L(1), M(9), '006'],
    // A beta subscriber seen on alpha's network.
    ['20260305', full(D), B(1), M(4), '006'],
    ['20260305', full(G), A(5), M(5), '006'],
    ['20260306', full(G2), A(6), M(6), '006'],
    ['20260306', full(G2), A(7), M(7), '006'],
    ['20260306', full(G2), A(8), M(8), '006'],
    ['20260307', full(O), A(10), M(10), '006'],
    ['20260307', full(G3), A(11), M(11), '006'],
    ['20260307', full(G3), A(12), M(12), '006'],
    ['20260308', full(G3), A(13), M(13), '006'],
  ]);
  await env.dump('beta', '20260301', '20260310', [['20260302', full(O), B(2), M(14), '006']]);
  await env.list('stolen', 'imei,reporting_date,status', [
    [full(S), '20260301', 'blacklist'],
    [full(G), '20260302', ''],
  ]);
  await env.list('golden', 'golden_imei', [[full(G)], [full(G2)]]);

  // Run 1 (March 10th): S black at once (grace 0: block date = first match date); D pending
  // (block date = first match + 10 days), notified by IMSI home network: alpha's two SIMs to
  // alpha, the beta SIM to beta although seen on alpha's network, the roamers' SIMs to nobody.
  const r1 = await env.classify('2026-03-10');
  assert.equal(r1.id, 1);
  const l1 = await env.listgen('2026-03-10');
  assert.equal(l1.baseRun, null, 'no delta on the first run');
  const dup = (key: string, sim: string, msisdn: string) => [
    key,
    sim,
    msisdn,
    '20260320',
    'Duplicated IMEI',
  ];
  assert.deepEqual(await l1.black(), [[S, '20260310', 'Reported stolen']]);
  assert.deepEqual(await l1.notifications('alpha'), [
    dup(D, A(2), M(2)),
    dup(D, A(3), M(3)),
    dup(G3, A(11), M(11)),
    dup(G3, A(12), M(12)),
    dup(G3, A(13), M(13)),
  ]);
  assert.deepEqual(await l1.notifications('beta'), [dup(D, B(1), M(4))]);
  assert.deepEqual(await l1.notifications('gamma'), []);
  for (const op of OPERATORS) assert.deepEqual(await l1.exceptions(op), []);

  // Run 2 (March 12th): D's alpha SIM A(2) is paired: that triplet leaves alpha's notifications
  // (resolved) and enters alpha's exceptions (added); D's other SIMs stay notified. G3 is made
  // golden: its notifications are resolved.
  await env.list('pairing', 'imei,imsi,msisdn', [[full(D), A(2), M(2)]]);
  await env.list('golden', 'golden_imei,change_type', [[full(G3), 'add']], true);
  await env.classify('2026-03-12');
  const l2 = await env.listgen('2026-03-12');
  assert.equal(l2.baseRun, 1);
  assert.deepEqual(await l2.notifications('alpha'), [dup(D, A(3), M(3))]);
  assert.deepEqual(await l2.notifications('alpha', 'delta'), [
    ['resolved', ...dup(D, A(2), M(2))],
    ['resolved', ...dup(G3, A(11), M(11))],
    ['resolved', ...dup(G3, A(12), M(12))],
    ['resolved', ...dup(G3, A(13), M(13))],
  ]);
  assert.deepEqual(await l2.notifications('beta'), [dup(D, B(1), M(4))]);
  assert.deepEqual(await l2.notifications('beta', 'delta'), []);
  assert.deepEqual(await l2.exceptions('alpha'), [[D, A(2), M(2)]]);
  assert.deepEqual(await l2.exceptions('alpha', 'delta'), [['added', D, A(2), M(2)]]);
  assert.deepEqual(await l2.exceptions('beta'), []);
  assert.deepEqual(await l2.black('delta'), []);

  // Run 3 (March 20th): D's grace period is over: black-listed with block date = first match
  // + 10 days; its remaining notifications leave as `blacklisted`.
  await env.classify('2026-03-20');
  const l3 = await env.listgen('2026-03-20');
  assert.deepEqual(await l3.black(), [
    [S, '20260310', 'Reported stolen'],
    [D, '20260320', 'Duplicated IMEI'],
  ]);
  assert.deepEqual(await l3.black('delta'), [['blocked', D, '20260320', 'Duplicated IMEI']]);
  assert.deepEqual(await l3.notifications('alpha'), []);
  assert.deepEqual(await l3.notifications('alpha', 'delta'), [
    ['blacklisted', ...dup(D, A(3), M(3))],
  ]);
  assert.deepEqual(await l3.notifications('beta', 'delta'), [
    ['blacklisted', ...dup(D, B(1), M(4))],
  ]);
  assert.deepEqual(await l3.exceptions('alpha'), [[D, A(2), M(2)]]);
  assert.deepEqual(await l3.exceptions('alpha', 'delta'), []);

  // Run 4 (March 22nd): S is taken off the stolen list; the condition is not sticky, so its
  // match ends and S is unblocked.
  await env.list(
    'stolen',
    'imei,reporting_date,status,change_type',
    [[full(S), '20260301', 'blacklist', 'remove']],
    true,
  );
  const r4 = await env.classify('2026-03-22');
  assert.deepEqual(
    r4.results.map((r) => [r.label, r.matched, r.started, r.ended]),
    [
      ['stolen', 1, 0, 1], // S ended; G is still stolen (and golden)
      ['duplicate', 3, 0, 0], // D, G2, G3 (sticky)
    ],
  );
  const l4 = await env.listgen('2026-03-22');
  assert.deepEqual(await l4.black(), [[D, '20260320', 'Duplicated IMEI']]);
  assert.deepEqual(await l4.black('delta'), [['unblocked', S, '20260310', 'Reported stolen']]);
  const s = await env.imei(full(S));
  assert.deepEqual(
    s.conditions.map((c) => [c.condition, c.startDate, c.endDate, c.blockDate]),
    [['stolen', '2026-03-10', '2026-03-22', '2026-03-10']],
  );

  // Golden IMEIs match blocking conditions but are on no list, in any run, full or delta.
  for (const [key, condition] of [
    [G, 'stolen'],
    [G2, 'duplicate'],
    [G3, 'duplicate'],
  ] as const) {
    const rep = await env.imei(key);
    assert.ok(
      rep.conditions.some((c) => c.condition === condition && c.endDate === null),
      `${key} still meets ${condition}`,
    );
  }
  for (const l of [l1, l2, l3, l4]) {
    const rows = await l.everything();
    for (const key of [G, G2]) assert.ok(!rows.some((r) => r.includes(key)), `${key} listed`);
    // The roamers' SIMs are nobody's subscribers: never notified.
    for (const sim of [F(1), L(1)]) assert.ok(!rows.some((r) => r.includes(sim)), sim);
    // O meets no condition.
    assert.ok(!rows.some((r) => r.includes(O)));
  }

  // Run 5: the same day, deltas from run 1: the net change over runs 2-5.
  const l5 = await env.listgen('2026-03-22', '--base-run', '1');
  assert.equal(l5.baseRun, 1);
  assert.deepEqual(await l5.black('delta'), [
    ['unblocked', S, '20260310', 'Reported stolen'],
    ['blocked', D, '20260320', 'Duplicated IMEI'],
  ]);
  // D's two alpha triplets left; D is black now, so both say `blacklisted` (the pairing of
  // A(2) in between is not a net change of the notification list: the exception delta has it).
  assert.deepEqual(await l5.notifications('alpha', 'delta'), [
    ['blacklisted', ...dup(D, A(2), M(2))],
    ['blacklisted', ...dup(D, A(3), M(3))],
    ['resolved', ...dup(G3, A(11), M(11))],
    ['resolved', ...dup(G3, A(12), M(12))],
    ['resolved', ...dup(G3, A(13), M(13))],
  ]);
  assert.deepEqual(await l5.notifications('beta', 'delta'), [
    ['blacklisted', ...dup(D, B(1), M(4))],
  ]);
  assert.deepEqual(await l5.exceptions('alpha', 'delta'), [['added', D, A(2), M(2)]]);
  // The collapsed delta takes run 1's full lists to run 5's.
  assert.deepEqual(
    applyDelta(await l1.black(), await l5.black('delta'), 1),
    sorted(await l5.black()),
  );
  for (const op of OPERATORS) {
    assert.deepEqual(
      applyDelta(await l1.notifications(op), await l5.notifications(op, 'delta'), 3),
      sorted(await l5.notifications(op)),
    );
    assert.deepEqual(
      applyDelta(await l1.exceptions(op), await l5.exceptions(op, 'delta'), 3),
      sorted(await l5.exceptions(op)),
    );
  }
});

test('a pending IMEI whose triplet is not seen within the lookback: no_longer_seen', async () => {
  const env = new Env(
    `${BASE_CONFIG.replace('notification_lookback_days: 60', 'notification_lookback_days: 5')}conditions:\n${DUPLICATE(30)}`,
  );
  const N = imei(77);
  await env.dump('alpha', '20260301', '20260305', [
    ['20260301', full(N), A(1), M(1), '006'],
    ['20260301', full(N), A(2), M(2), '006'],
    ['20260302', full(N), A(3), M(3), '006'],
  ]);
  await env.classify('2026-03-05');
  const l1 = await env.listgen('2026-03-05');
  const n = (sim: string, msisdn: string) => [N, sim, msisdn, '20260404', 'Duplicated IMEI'];
  assert.deepEqual(await l1.notifications('alpha'), [n(A(1), M(1)), n(A(2), M(2)), n(A(3), M(3))]);
  await env.dump('alpha', '20260306', '20260310', [['20260309', full(N), A(4), M(4), '006']]);
  await env.classify('2026-03-10');
  const l2 = await env.listgen('2026-03-10');
  // Lookback March 6th-10th: only A(4) was seen; N is still pending.
  assert.deepEqual(await l2.notifications('alpha'), [n(A(4), M(4))]);
  assert.deepEqual(await l2.notifications('alpha', 'delta'), [
    ['no_longer_seen', ...n(A(1), M(1))],
    ['no_longer_seen', ...n(A(2), M(2))],
    ['no_longer_seen', ...n(A(3), M(3))],
    ['new', ...n(A(4), M(4))],
  ]);
});

// ---------------------------------------------------------------------------------------------
// Amnesty: evaluation until March 10th, amnesty until March 20th.

test('amnesty phases: recorded, then notified with the amnesty end, then black-listed', async () => {
  const env = new Env(
    `${BASE_CONFIG}amnesty: { enabled: true, evaluation_period_end: '2026-03-10', amnesty_period_end: '2026-03-20' }
conditions:
${STOLEN}${DUPLICATE(30, '\n    amnesty_eligible: true')}  - label: malformed
    reason: Invalid IMEI
    blocking: true
    grace_period_days: 5
    max_allowed_matching_ratio: 1
    dimensions: [{ module: malformed_imei }]
`,
  );
  const E1 = imei(101); // duplicated, first matched in the evaluation period
  const E2 = imei(102); // duplicated, first matched in the amnesty period
  const E3 = imei(103); // duplicated, first matched after the amnesty
  const S1 = imei(104); // stolen: not amnesty-eligible
  const M1 = 'A0000000000001'; // malformed: not amnesty-eligible, grace 5 days
  const e = (key: string, sim: string, msisdn: string, block: string) => [
    key,
    sim,
    msisdn,
    block,
    'Duplicated IMEI',
  ];

  // Evaluation (March 5th): E1's match is recorded with the amnesty end as its block date, and
  // not notified; the non-eligible conditions behave normally: S1 black at once, M1 notified
  // with its own grace period.
  await env.dump('alpha', '20260301', '20260305', [
    ['20260302', full(E1), A(1), M(1), '006'],
    ['20260302', full(E1), A(2), M(2), '006'],
    ['20260302', full(E1), A(3), M(3), '006'],
    ['20260302', M1, A(4), M(4), '002'],
    ['20260303', full(S1), A(5), M(5), '006'],
  ]);
  await env.list('stolen', 'imei,reporting_date,status', [[full(S1), '20260301', 'blacklist']]);
  await env.classify('2026-03-05');
  const l1 = await env.listgen('2026-03-05');
  assert.deepEqual(await l1.black(), [[S1, '20260305', 'Reported stolen']]);
  assert.deepEqual(await l1.notifications('alpha'), [[M1, A(4), M(4), '20260310', 'Invalid IMEI']]);
  const r1 = await env.imei(full(E1));
  assert.deepEqual(r1.conditions, [
    {
      condition: 'duplicate',
      reason: 'Duplicated IMEI',
      blocking: true,
      startDate: '2026-03-05',
      endDate: null,
      blockDate: '2026-03-20',
      amnesty: true,
    },
  ]);

  // Amnesty (March 12th): E1 and the newly matched E2 are notified with the amnesty end as
  // block date; M1's grace is over: black.
  await env.dump('alpha', '20260306', '20260311', [
    ['20260311', full(E2), A(6), M(6), '006'],
    ['20260311', full(E2), A(7), M(7), '006'],
    ['20260311', full(E2), A(8), M(8), '006'],
  ]);
  await env.classify('2026-03-12');
  const l2 = await env.listgen('2026-03-12');
  assert.deepEqual(
    sorted(await l2.black()),
    sorted([
      [S1, '20260305', 'Reported stolen'],
      [M1, '20260310', 'Invalid IMEI'],
    ]),
  );
  assert.deepEqual(await l2.notifications('alpha'), [
    e(E1, A(1), M(1), '20260320'),
    e(E1, A(2), M(2), '20260320'),
    e(E1, A(3), M(3), '20260320'),
    e(E2, A(6), M(6), '20260320'),
    e(E2, A(7), M(7), '20260320'),
    e(E2, A(8), M(8), '20260320'),
  ]);
  assert.deepEqual(
    sorted(await l2.notifications('alpha', 'delta')),
    sorted([
      ['blacklisted', M1, A(4), M(4), '20260310', 'Invalid IMEI'],
      ...[
        e(E1, A(1), M(1), '20260320'),
        e(E1, A(2), M(2), '20260320'),
        e(E1, A(3), M(3), '20260320'),
        e(E2, A(6), M(6), '20260320'),
        e(E2, A(7), M(7), '20260320'),
        e(E2, A(8), M(8), '20260320'),
      ].map((r) => ['new', ...r]),
    ]),
  );
  const r2 = await env.imei(full(E2));
  assert.deepEqual(
    r2.conditions.map((c) => [c.startDate, c.blockDate, c.amnesty]),
    [['2026-03-12', '2026-03-20', true]],
  );

  // After the amnesty (March 21st): E1 and E2 are black with the amnesty end as block date; E3,
  // first matched now, gets the normal grace period.
  await env.dump('alpha', '20260312', '20260321', [
    ['20260321', full(E3), A(9), M(9), '006'],
    ['20260321', full(E3), A(10), M(10), '006'],
    ['20260321', full(E3), A(11), M(11), '006'],
  ]);
  await env.classify('2026-03-21');
  const l3 = await env.listgen('2026-03-21');
  assert.deepEqual(
    sorted(await l3.black()),
    sorted([
      [S1, '20260305', 'Reported stolen'],
      [E1, '20260320', 'Duplicated IMEI'],
      [E2, '20260320', 'Duplicated IMEI'],
      [M1, '20260310', 'Invalid IMEI'],
    ]),
  );
  assert.deepEqual(await l3.notifications('alpha'), [
    e(E3, A(9), M(9), '20260420'),
    e(E3, A(10), M(10), '20260420'),
    e(E3, A(11), M(11), '20260420'),
  ]);
  const r3 = await env.imei(full(E3));
  assert.deepEqual(
    r3.conditions.map((c) => [c.startDate, c.blockDate, c.amnesty]),
    [['2026-03-21', '2026-04-20', false]],
  );
});

// ---------------------------------------------------------------------------------------------
// Refusals: nothing is written.

test('ratio and changed-rules refusals change nothing; --accept-changes records a version', async () => {
  const config = (ratio: number) => `${BASE_CONFIG}conditions:
  - label: malformed
    reason: Invalid IMEI
    blocking: true
    grace_period_days: 0
    max_allowed_matching_ratio: ${ratio}
    dimensions: [{ module: malformed_imei }]
`;
  const env = new Env(config(0.4));
  const bad = (k: number) => `B${String(k).padStart(13, '0')}`;
  // 1 malformed of 6 seen IMEIs: 17 %.
  await env.dump('alpha', '20260301', '20260305', [
    ...[1, 2, 3, 4, 5].map((k) => ['20260302', full(imei(200 + k)), A(k), M(k), '006']),
    ['20260302', bad(0), A(9), M(9), '006'],
  ]);
  const r1 = await env.classify('2026-03-05');
  assert.equal(r1.results[0]!.matched, 1);
  const l1 = await env.listgen('2026-03-05');
  assert.deepEqual(await l1.black(), [[bad(0), '20260305', 'Invalid IMEI']]);

  // 7 malformed of 12: 58 % > 40 %: refused, exit 11, nothing written.
  await env.dump(
    'alpha',
    '20260306',
    '20260310',
    [1, 2, 3, 4, 5, 6].map((k) => ['20260307', bad(k), A(10 + k), M(10 + k), '006']),
  );
  const before = await env.snapshot();
  const refused = await env.ceir(['classify', '--as-of', '2026-03-10']);
  assert.equal(refused.code, ErrorCatalogue.CEIR_ERR_RATIO_EXCEEDED.exit);
  assert.equal(refused.code, 11);
  assert.match(refused.err, /CEIR_ERR_RATIO_EXCEEDED/);
  assert.match(refused.err, /"malformed" matches 7 of 12 seen IMEIs/);
  assert.equal(await env.snapshot(), before);

  // The regulator raises the ratio: a changed rule set is refused until accepted (exit 12).
  env.setConfig(config(0.9));
  const changed = await env.ceir(['classify', '--as-of', '2026-03-10']);
  assert.equal(changed.code, ErrorCatalogue.CEIR_ERR_RULES_CHANGED.exit);
  assert.equal(changed.code, 12);
  assert.match(changed.err, /CEIR_ERR_RULES_CHANGED/);
  assert.match(changed.err, /~malformed/);
  assert.equal(await env.snapshot(), before);

  const accepted = await env.classify('2026-03-10', '--accept-changes');
  assert.equal(accepted.id, 2);
  assert.equal(accepted.conditionSetVersion, 2);
  assert.deepEqual(
    accepted.results.map((r) => [r.label, r.matched, r.seen, r.started]),
    [['malformed', 7, 12, 6]],
  );
  assert.notEqual(await env.snapshot(), before);
  // The accepted version is now the reference: the next run goes through without the flag.
  assert.equal((await env.classify('2026-03-10')).conditionSetVersion, 2);
  const l2 = await env.listgen('2026-03-10');
  assert.equal((await l2.black()).length, 7);
});

test('a refused run records no condition set either', async () => {
  const env = new Env(`${BASE_CONFIG}conditions:
  - label: malformed
    reason: Invalid IMEI
    max_allowed_matching_ratio: 0.1
    dimensions: [{ module: malformed_imei }]
`);
  await env.dump('alpha', '20260301', '20260305', [
    ['20260302', 'B0000000000001', A(1), M(1), '006'],
    ['20260302', full(imei(301)), A(2), M(2), '006'],
  ]);
  const empty = await env.snapshot();
  const refused = await env.ceir(['classify', '--as-of', '2026-03-05']);
  assert.equal(refused.code, 11);
  assert.equal(await env.snapshot(), empty);
});
