/**
 * Issue #5, theft flow in process: a subscriber proves the MSISDN by a one-time code read from the
 * SMS outbox, reports the phone stolen and gets a case number; the police confirm; the IMEI lands
 * on the stolen list through the list import path; classification and list generation put it on
 * the black list; the public check says "blocked"; the operator downloads its signed lists and the
 * IMEI is in the black list file, with a valid signature; recovery unblocks.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, readZipEntry } from '../../listgen/index.js';
import { ApiEnv, VICTIM, VICTIM_MSISDN, full } from './api-test-kit.js';

let env: ApiEnv;
before(async () => {
  env = await new ApiEnv().setUp();
});
after(async () => env.close());

const check = async (imei: string) =>
  (await env.call('GET', `/api/v1/public/check?imei=${full(imei)}`)).json.checks[0];

/** The black list rows of the operator's latest delivery, after checking signature and hash. */
async function blackList(operatorKey: string, form = 'full'): Promise<string[][]> {
  const d = await env.call('GET', '/api/v1/operator/lists', { auth: operatorKey });
  assert.equal(d.status, 200, JSON.stringify(d.json));
  const key = createPublicKey(d.json.public_key_pem);
  const signed = verify(
    null,
    Buffer.from(d.json.manifest),
    key,
    Buffer.from(d.json.signature, 'base64'),
  );
  assert.ok(signed, 'the manifest signature verifies with the public key');
  const entry = d.json.files.find(
    (f: { kind: string; form: string }) => f.kind === 'blacklist' && f.form === form,
  );
  assert.ok(entry);
  assert.ok(
    d.json.files.every(
      (f: { operator: string | null }) => f.operator === null || f.operator === 'alpha',
    ),
    'only its own lists and the national black list',
  );
  const zip = await env.call('GET', `/api/v1/operator/lists/files/${entry.name}`, {
    auth: operatorKey,
  });
  assert.equal(zip.status, 200);
  assert.equal(zip.headers['content-type'], 'application/zip');
  const bytes = zip.body as Uint8Array;
  assert.equal(
    createHash('sha256').update(bytes).digest('hex'),
    entry.sha256,
    'file matches the signed manifest',
  );
  const dir = mkdtempSync(join(tmpdir(), 'ceir-zip-'));
  try {
    const path = join(dir, entry.name);
    writeFileSync(path, bytes);
    const csv = await readZipEntry(path, entry.name.replace(/\.zip$/, '.csv'));
    return parseCsv(csv!.toString('utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('theft report through OTP to block after classification, then recovery unblocks', async () => {
  assert.equal((await check(VICTIM)).status, 'allowed');
  const operator = env.key('operator');
  assert.ok(!(await blackList(operator)).some((r) => r[0] === VICTIM));

  // The subscriber proves the number with the code sent by SMS.
  const token = await env.subscriber(VICTIM_MSISDN);
  const report = await env.call('POST', '/api/v1/subscriber/thefts', {
    auth: token,
    json: {
      kind: 'stolen',
      imeis: [full(VICTIM)],
      police_report: 'PR-2026-0042',
      incident_date: '2026-01-25',
      place: 'Central Market, Demo City',
    },
  });
  assert.equal(report.status, 201, JSON.stringify(report.json));
  const caseNumber: string = report.json.case_number;
  assert.match(caseNumber, /^TC-\d{4}-000001$/);
  assert.equal(report.json.status, 'reported');
  assert.ok(
    env.sms.messages().some((m) => m.msisdn === VICTIM_MSISDN && m.text.includes(caseNumber)),
  );
  // A second report of the same device is refused while the case is open.
  const again = await env.call('POST', '/api/v1/subscriber/thefts', {
    auth: token,
    json: { imeis: [full(VICTIM)], police_report: 'x', incident_date: '2026-01-25', place: 'y' },
  });
  assert.equal(again.status, 409);

  // The police see it in their queue, with the reporter's number, and confirm.
  const police = env.key('police');
  const queue = await env.call('GET', '/api/v1/police/thefts', { auth: police });
  const mine = queue.json.cases.find((c: { case_number: string }) => c.case_number === caseNumber);
  assert.equal(mine.msisdn, VICTIM_MSISDN);
  const confirm = await env.call('POST', `/api/v1/police/thefts/${caseNumber}/confirm`, {
    auth: police,
    json: { note: 'report PR-2026-0042 checked' },
  });
  assert.equal(confirm.status, 200, JSON.stringify(confirm.json));
  assert.equal(confirm.json.status, 'confirmed');
  const twice = await env.call('POST', `/api/v1/police/thefts/${caseNumber}/confirm`, {
    auth: police,
    json: {},
  });
  assert.equal(twice.status, 409);

  // On the stolen list now (an import like a file's), not yet blocked: lists come from classification.
  const imports = await env.call('GET', '/api/v1/regulator/imports', {
    auth: env.key('regulator'),
  });
  assert.ok(
    imports.json.imports.some(
      (i: { source: string; mode: string }) => i.source === 'stolen' && i.mode === 'delta',
    ),
  );
  assert.equal((await check(VICTIM)).status, 'allowed');

  const job = await env.call('POST', '/api/v1/regulator/jobs/classify', {
    auth: env.key('regulator'),
  });
  assert.equal(job.status, 200, JSON.stringify(job.json));
  const blocked = await check(VICTIM);
  assert.equal(blocked.status, 'blocked');
  assert.deepEqual(blocked.reasons, ['Reported stolen']);
  assert.ok(
    (await blackList(operator)).some((r) => r[0] === VICTIM && /Reported stolen/.test(r[2]!)),
  );
  // The delta from the previous run says why the row changed.
  const delta = await blackList(operator, 'delta');
  assert.deepEqual(delta[0], ['change_type', 'imei', 'block_date', 'reasons']);
  assert.ok(delta.some((r) => r[0] === 'blocked' && r[1] === VICTIM));

  // The subscriber follows the case, then recovers the phone.
  const followed = await env.call('GET', `/api/v1/subscriber/cases/${caseNumber}`, { auth: token });
  assert.equal(followed.json.status, 'confirmed');
  const other = await env.subscriber('99900000099');
  const foreign = await env.call('GET', `/api/v1/subscriber/cases/${caseNumber}`, { auth: other });
  assert.equal(foreign.status, 404, 'a case is visible to its reporter only');
  const rec = await env.call('POST', `/api/v1/subscriber/cases/${caseNumber}/recovery`, {
    auth: token,
  });
  assert.equal(rec.status, 200, JSON.stringify(rec.json));
  assert.equal(rec.json.status, 'recovered');
  await env.call('POST', '/api/v1/regulator/jobs/classify', { auth: env.key('regulator') });
  assert.equal((await check(VICTIM)).status, 'allowed');
  assert.ok(!(await blackList(operator)).some((r) => r[0] === VICTIM));

  // Every step is in the audit log, and the chain holds.
  const audit = await env.call('GET', `/api/v1/regulator/audit?target=${caseNumber}`, {
    auth: env.key('regulator'),
  });
  const actions = audit.json.entries.map((e: { action: string }) => e.action).reverse();
  assert.deepEqual(actions, ['reportTheft', 'confirmTheft', 'confirmTheft', 'recoverDevice']);
  const v = await env.call('GET', '/api/v1/regulator/audit/verify', { auth: env.key('admin') });
  assert.equal(v.json.ok, true);
});

test('a theft report with a mistyped IMEI is refused with the correction', async () => {
  const token = await env.subscriber('99900000055');
  const good = full(VICTIM);
  const typo = good.slice(0, 14) + String((Number(good[14]) + 3) % 10);
  const r = await env.call('POST', '/api/v1/subscriber/thefts', {
    auth: token,
    json: { imeis: [typo], police_report: 'PR-1', incident_date: '2026-01-25', place: 'x' },
  });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, new RegExp(`did you mean ${good}`));
  const future = await env.call('POST', '/api/v1/subscriber/thefts', {
    auth: token,
    json: { imeis: [good], police_report: 'PR-1', incident_date: '2999-01-01', place: 'x' },
  });
  assert.equal(future.status, 400);
});

test('police reject a report: nothing is listed', async () => {
  const token = await env.subscriber('99900000066');
  const r = await env.call('POST', '/api/v1/subscriber/thefts', {
    auth: token,
    json: {
      kind: 'lost',
      imeis: [full('35000000000003')],
      police_report: 'PR-9',
      incident_date: '2026-01-02',
      place: 'Bus 12',
    },
  });
  assert.equal(r.status, 201);
  const rej = await env.call('POST', `/api/v1/police/thefts/${r.json.case_number}/reject`, {
    auth: env.key('police'),
    json: { note: 'no such police report' },
  });
  assert.equal(rej.json.status, 'rejected');
  assert.equal(rej.json.note, 'no such police report');
  const rec = await env.call('POST', `/api/v1/subscriber/cases/${r.json.case_number}/recovery`, {
    auth: token,
  });
  assert.equal(rec.status, 409);
});
