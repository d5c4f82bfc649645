/**
 * Issue #5, the other flows in process: pairing request and approval (the pair becomes an
 * exception), appeal with evidence and outcome, importer bulk upload with bad rows and warnings,
 * police trace with its mandatory, audited case reference, operator dump upload through the gates
 * and import history, regulator dashboard, report, rule dry run, users.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiEnv,
  CLONE,
  ORDINARY,
  PASSWORD,
  VICTIM,
  VICTIM_IMSI,
  VICTIM_MSISDN,
  full,
  key,
} from './api-test-kit.js';

let env: ApiEnv;
before(async () => {
  env = await new ApiEnv().setUp();
});
after(async () => env.close());

test('pairing: a genuine owner in a clone cluster asks, the regulator approves, the pair is an exception', async () => {
  const msisdn = '99900000002';
  const imsi = '001010000000002';
  const token = await env.subscriber(msisdn);
  const r = await env.call('POST', '/api/v1/subscriber/pairings', {
    auth: token,
    json: { imei: full(CLONE), imsi, reason: 'My phone, bought new in 2025' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.status, 'pending');
  const dup = await env.call('POST', '/api/v1/subscriber/pairings', {
    auth: token,
    json: { imei: full(CLONE), imsi },
  });
  assert.equal(dup.status, 409);
  const reg = env.key('regulator');
  const pending = await env.call('GET', '/api/v1/regulator/pairings', { auth: reg });
  assert.ok(
    pending.json.pairings.some(
      (p: { id: string; imsi: string }) => p.id === r.json.id && p.imsi === imsi,
    ),
  );
  const d = await env.call('POST', `/api/v1/regulator/pairings/${r.json.id}/decision`, {
    auth: reg,
    json: { approve: true, note: 'receipt checked' },
  });
  assert.equal(d.status, 200, JSON.stringify(d.json));
  assert.equal(d.json.status, 'approved');
  const again = await env.call('POST', `/api/v1/regulator/pairings/${r.json.id}/decision`, {
    auth: reg,
    json: { approve: false },
  });
  assert.equal(again.status, 409);
  await env.call('POST', '/api/v1/regulator/jobs/classify', { auth: reg });
  // The alpha exception list now holds the pair.
  const lists = await env.call('GET', '/api/v1/operator/lists', { auth: env.key('operator') });
  const exc = lists.json.files.find(
    (f: { kind: string; form: string }) => f.kind === 'exceptions' && f.form === 'full',
  );
  assert.equal(exc.rows, 1);
  const mine = await env.call('GET', '/api/v1/subscriber/pairings', { auth: token });
  assert.equal(mine.json.pairings[0].status, 'approved');
});

test('appeal: filed with evidence, decided by the regulator, outcome seen by the subscriber', async () => {
  const token = await env.subscriber(VICTIM_MSISDN);
  const a = await env.call('POST', '/api/v1/subscriber/appeals', {
    auth: token,
    json: {
      imei: full(CLONE),
      reason: 'The block is wrong: this is my only phone',
      evidence: [{ name: 'receipt.txt', text: 'Demo Shop, 2025-05-01, Phone X, IMEI ...' }],
    },
  });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const reg = env.key('regulator');
  const open = await env.call('GET', '/api/v1/regulator/appeals', { auth: reg });
  const found = open.json.appeals.find((x: { id: string }) => x.id === a.json.id);
  assert.equal(found.evidence[0].name, 'receipt.txt');
  const d = await env.call('POST', `/api/v1/regulator/appeals/${a.json.id}/decision`, {
    auth: reg,
    json: { status: 'upheld', outcome: 'Pairing granted; the clones stay blocked' },
  });
  assert.equal(d.status, 200);
  const mine = await env.call('GET', '/api/v1/subscriber/appeals', { auth: token });
  const decided = mine.json.appeals.find((x: { id: string }) => x.id === a.json.id);
  assert.equal(decided.status, 'upheld');
  assert.equal(decided.outcome, 'Pairing granted; the clones stay blocked');
  assert.ok(
    env.sms.messages().some((m) => m.msisdn === VICTIM_MSISDN && m.text.includes(a.json.id)),
  );
});

test('importer upload: bad rows are reported one by one and nothing is registered', async () => {
  const imp = env.key('importer');
  const good = full(key(100));
  const typo = good.slice(0, 14) + String((Number(good[14]) + 1) % 10);
  const csv = [
    'imei,brand,model,device_type,import_permit',
    `${good},Demo,Phone X,Smartphone,IP-1`,
    `${typo},Demo,Phone X,Smartphone,IP-1`,
    `${full(key(101))},Demo,,Smartphone,IP-1`,
    `${full(key(102))},Demo,Phone X,Smartphone`,
    `${good},Demo,Phone X,Smartphone,IP-1`,
  ].join('\n');
  const r = await env.call('POST', '/api/v1/importer/registrations', { auth: imp, text: csv });
  assert.equal(r.status, 200);
  assert.equal(r.json.accepted, false);
  assert.equal(r.json.registered, 0);
  assert.deepEqual(
    r.json.errors.map((e: { line: number; field: string }) => [e.line, e.field]),
    [
      [3, 'imei'],
      [4, 'model'],
      [5, ''],
      [6, 'imei'],
    ],
  );
  assert.match(r.json.errors[0].message, new RegExp(`did you mean ${good}`));
  const stock = await env.call('GET', '/api/v1/importer/registrations', { auth: imp });
  assert.equal(stock.json.registrations.length, 0);
});

test('importer upload: registered, with warnings for IMEIs seen on a network or registered by another importer', async () => {
  const admin = env.key('admin');
  const other = await env.call('POST', '/api/v1/admin/users', {
    auth: admin,
    json: {
      username: 'importer2',
      role: 'importer',
      password: PASSWORD,
      organisation: 'Other Imports Ltd',
    },
  });
  assert.equal(other.status, 201, JSON.stringify(other.json));
  const otherKey = (
    await env.call('POST', `/api/v1/admin/users/${other.json.id}/key`, { auth: admin })
  ).json.api_key;
  const first = await env.call('POST', '/api/v1/importer/registrations', {
    auth: otherKey,
    text: `imei,model,device_type,import_permit\n${full(key(200))},Phone X,Smartphone,IP-9\n`,
  });
  assert.equal(first.json.registered, 1);
  const csv = [
    'IMEI,Brand,Model,Device Type,Import Permit',
    `${full(key(201))},Demo,Phone X,Smartphone,IP-2`,
    `${full(ORDINARY)},Demo,Phone X,Smartphone,IP-2`,
    `${full(key(200))},Demo,Phone X,Smartphone,IP-2`,
  ].join('\r\n');
  const r = await env.call('POST', '/api/v1/importer/registrations', {
    auth: env.key('importer'),
    text: csv,
  });
  assert.equal(r.json.accepted, true);
  assert.equal(r.json.registered, 2);
  assert.deepEqual(
    r.json.warnings.map((w: { line: number; warning: string }) => [w.line, w.warning]),
    [
      [3, 'seen_on_network'],
      [4, 'registered_by_other'],
    ],
  );
  const stock = await env.call('GET', '/api/v1/importer/registrations', {
    auth: env.key('importer'),
  });
  assert.deepEqual(
    stock.json.registrations.map((x: { imei: string }) => x.imei).sort(),
    [full(key(201)), full(ORDINARY)].sort(),
  );
  // On the registration list, through the list import path.
  const imports = await env.call('GET', '/api/v1/regulator/imports', {
    auth: env.key('regulator'),
  });
  assert.ok(
    imports.json.imports.filter((i: { source: string }) => i.source === 'registration').length >= 2,
  );
});

test('police trace: the case reference is mandatory; the trace is audited with it', async () => {
  const police = env.key('police');
  const no = await env.call('GET', `/api/v1/police/trace/${full(VICTIM)}`, { auth: police });
  assert.equal(no.status, 400);
  const r = await env.call('GET', `/api/v1/police/trace/${full(VICTIM)}?case_reference=CR-77`, {
    auth: police,
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.operators, ['alpha']);
  assert.equal(r.json.first_seen, '2026-01-05');
  assert.equal(r.json.last_seen, '2026-01-31');
  assert.ok(
    r.json.sightings.every(
      (s: { imsi: string; msisdn: string }) => s.imsi === VICTIM_IMSI && s.msisdn === VICTIM_MSISDN,
    ),
  );
  const clone = await env.call('GET', `/api/v1/police/trace/${full(CLONE)}?case_reference=CR-78`, {
    auth: police,
  });
  assert.deepEqual(clone.json.operators, ['alpha', 'beta']);
  const audit = await env.call('GET', `/api/v1/regulator/audit?action=traceImei&target=${VICTIM}`, {
    auth: env.key('regulator'),
  });
  assert.equal(audit.json.entries.length, 1);
  assert.equal(audit.json.entries[0].detail.case_reference, 'CR-77');
  assert.equal(audit.json.entries[0].actor, env.staff.get('police')!.id);
  // Personal data never reaches other roles.
  const op = await env.call('GET', `/api/v1/police/trace/${full(VICTIM)}?case_reference=CR-1`, {
    auth: env.key('operator'),
  });
  assert.equal(op.status, 403);
});

test('operator dump upload: same gates as the CLI; rejected dumps change nothing; history', async () => {
  const op = env.key('operator');
  const good = [
    'date,imei,imsi,msisdn,rat',
    `20260210,${full(key(300))},001010000000300,99900000300,006`,
  ].join('\n');
  const r = await env.call('POST', '/api/v1/operator/dumps?file_name=alpha_20260201_20260228.csv', {
    auth: op,
    bytes: Buffer.from(good),
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.outcome, 'imported');
  assert.equal(r.json.import.operator, 'alpha');
  const dup = await env.call(
    'POST',
    '/api/v1/operator/dumps?file_name=again.csv&period=20260201:20260228',
    {
      auth: op,
      bytes: Buffer.from(good),
    },
  );
  assert.equal(dup.json.outcome, 'duplicate');
  // A row dated outside the declared period fails the date_in_period gate.
  const bad = [
    'date,imei,imsi,msisdn,rat',
    `20260310,${full(key(301))},001010000000301,99900000301,006`,
  ].join('\n');
  const rej = await env.call(
    'POST',
    '/api/v1/operator/dumps?file_name=x.csv&period=20260201:20260228',
    {
      auth: op,
      bytes: Buffer.from(bad),
    },
  );
  assert.equal(rej.json.outcome, 'rejected');
  assert.ok(
    rej.json.gates.some((g: { passed: boolean }) => !g.passed) ||
      /period/.test(rej.json.error.message),
  );
  const hist = await env.call('GET', '/api/v1/operator/imports', { auth: op });
  assert.ok(hist.json.imports.every((i: { operator: string }) => i.operator === 'alpha'));
  assert.ok(hist.json.imports.some((i: { id: string }) => i.id === r.json.import.id));
});

test('regulator: dashboard, report, rule dry run, users', async () => {
  const reg = env.key('regulator');
  const d = await env.call('GET', '/api/v1/regulator/dashboard', { auth: reg });
  assert.equal(d.status, 200);
  assert.ok(d.json.devices_seen >= 3);
  assert.ok(d.json.pending >= 1, 'the clone is pending');
  assert.ok(d.json.by_operator.some((o: { operator: string }) => o.operator === 'beta'));
  assert.ok(d.json.by_month.some((m: { month: string }) => m.month === '2026-01'));
  assert.ok(d.json.by_condition.some((c: { condition: string }) => c.condition === 'duplicate'));
  const rep = await env.call('GET', '/api/v1/regulator/reports/2026-01', { auth: reg });
  assert.equal(rep.status, 200);
  assert.equal(rep.json.month, '2026-01');
  // Lowering the clone threshold from 3 IMSIs to 1 would match every seen IMEI.
  const dry = await env.call('POST', '/api/v1/regulator/rules/dry-run', {
    auth: reg,
    json: {
      condition: {
        label: 'duplicate',
        reason: 'Duplicated IMEI',
        blocking: true,
        max_allowed_matching_ratio: 0.5,
        dimensions: [
          { module: 'duplicate_threshold', parameters: { threshold: 1, period_days: 30 } },
        ],
      },
    },
  });
  assert.equal(dry.status, 200, JSON.stringify(dry.json));
  assert.equal(dry.json.currently_matched, 1);
  assert.equal(dry.json.would_match, dry.json.seen);
  assert.equal(dry.json.added, dry.json.seen - 1);
  assert.equal(dry.json.refused, true);
  const badRule = await env.call('POST', '/api/v1/regulator/rules/dry-run', {
    auth: reg,
    json: { condition: { label: 'x', dimensions: [{ module: 'no_such_module' }] } },
  });
  assert.equal(badRule.status, 400);
  const rules = await env.call('GET', '/api/v1/regulator/rules', { auth: reg });
  assert.deepEqual(
    rules.json.conditions.map((c: { label: string }) => c.label),
    ['stolen', 'duplicate'],
  );
  assert.equal(rules.json.amnesty.enabled, false);
  const users = await env.call('GET', '/api/v1/admin/users', { auth: reg });
  assert.ok(
    users.json.users.some(
      (u: { role: string; operator: string }) => u.role === 'operator' && u.operator === 'alpha',
    ),
  );
  assert.doesNotMatch(JSON.stringify(users.json), /scrypt/);
});
