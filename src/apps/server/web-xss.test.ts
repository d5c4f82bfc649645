/**
 * Output escaping, tested the way an attacker would: every form of every page, for every role,
 * is submitted with `<script>` (and an attribute breaker) in every field, file name and file
 * content; every answer, and afterwards every page showing the stored data, must show the
 * payload as text: never as markup.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiEnv, PASSWORD, VICTIM, VICTIM_MSISDN, full } from './api-test-kit.js';
import { WebClient, type WebReply } from './web-test-kit.js';

const SCRIPT = '<script>alert("xss")</script>';
const ATTR = '"><img src=x onerror=alert(1)>';
const PAYLOAD = `${SCRIPT}${ATTR}`;
const RAW = [SCRIPT, '<img src=x'];

const env = new ApiEnv();
before(async () => {
  await env.setUp();
});
after(() => env.close());

interface Form {
  method: string;
  action: string;
  multipart: boolean;
  fields: { name: string; type: string; value: string }[];
  buttons: { name: string; value: string }[];
}

const attr = (s: string, n: string): string | undefined =>
  new RegExp(`\\b${n}="([^"]*)"`).exec(s)?.[1]?.replaceAll('&amp;', '&').replaceAll('&quot;', '"');

function forms(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, a, inner]) => ({
    method: attr(a!, 'method') ?? 'get',
    action: attr(a!, 'action') ?? '/',
    multipart: attr(a!, 'enctype') === 'multipart/form-data',
    fields: [...inner!.matchAll(/<(input|textarea|select)\b([^>]*)>/g)]
      .map(([, tag, f]) => ({
        name: attr(f!, 'name') ?? '',
        type: tag === 'input' ? (attr(f!, 'type') ?? 'text') : tag!,
        value: attr(f!, 'value') ?? '',
      }))
      .filter((f) => f.name !== ''),
    buttons: [...inner!.matchAll(/<button\b([^>]*)>/g)]
      .map(([, b]) => ({ name: attr(b!, 'name') ?? '', value: attr(b!, 'value') ?? '' }))
      .filter((b) => b.name !== ''),
  }));
}

const stats = { forms: 0, fields: 0, echoed: 0, pages: 0 };

function assertSafe(r: WebReply, where: string): void {
  stats.pages++;
  for (const raw of RAW) assert.ok(!r.text.includes(raw), `${where} shows ${raw} as markup`);
  if (r.text.includes('&lt;script&gt;alert(&quot;xss&quot;)')) stats.echoed++;
}

/** Submits every form of the page with the payload in every field (never the logout form). */
async function attack(ui: WebClient, path: string): Promise<void> {
  const pageReply = await ui.get(path);
  assertSafe(pageReply, `GET ${path}`);
  for (const f of forms(pageReply.text)) {
    if (f.action === '/logout') continue;
    stats.forms++;
    await ui.get(path); // a fresh token and page state
    const values: Record<string, string> = {};
    for (const x of f.fields) {
      if (x.name === '_csrf' || x.type === 'file' || x.type === 'checkbox') continue;
      values[x.name] = PAYLOAD;
      stats.fields++;
    }
    for (const b of f.buttons.slice(0, 1)) values[b.name] = b.value;
    const where = `${f.method.toUpperCase()} ${f.action} (form of ${path})`;
    let r: WebReply;
    if (f.method === 'get') r = await ui.get(`${f.action}?${new URLSearchParams(values)}`);
    else if (f.multipart) {
      const file = f.fields.find((x) => x.type === 'file')!;
      r = await ui.postFile(f.action, values, {
        field: file.name,
        name: `x${ATTR}.csv`,
        text: `imei,brand,model,device_type,import_permit\n${PAYLOAD},${PAYLOAD},${PAYLOAD},${PAYLOAD},${PAYLOAD}\n`,
      });
    } else r = await ui.post(f.action, values);
    assertSafe(r, where);
  }
}

async function staff(role: string): Promise<WebClient> {
  const ui = new WebClient(env);
  await ui.login(`${role}1`, PASSWORD);
  return ui;
}

const PAGES: Readonly<Record<string, readonly string[]>> = {
  police: ['/police', '/police/trace'],
  importer: ['/importer'],
  operator: ['/operator'],
  regulator: [
    '/regulator/rules',
    '/regulator/amnesty',
    '/regulator/decisions',
    '/regulator/users',
    '/regulator/audit',
    '/regulator',
  ],
  admin: ['/regulator/users', '/regulator/audit'],
};

test('every input of every page shows an injected <script> as text', async () => {
  const visitor = new WebClient(env);
  for (const p of [
    '/',
    '/find-imei',
    '/login',
    '/otp',
    `/check?imei=${encodeURIComponent(PAYLOAD)}&imei2=${encodeURIComponent(PAYLOAD)}`,
    `/nope/${encodeURIComponent(PAYLOAD)}`,
  ])
    await attack(visitor, p);

  // A subscriber (through the OTP step, the code field attacked first), with a real case.
  const sub = new WebClient(env);
  await sub.get('/otp?next=/report');
  let r = await sub.post('/otp', { msisdn: VICTIM_MSISDN, next: '/report' });
  const challenge = /name="challenge_id"\s+value="([^"]+)"/.exec(r.text)?.[1];
  assert.ok(challenge, r.text);
  assertSafe(
    await sub.post('/otp/verify', { challenge_id: challenge, code: PAYLOAD, next: PAYLOAD }),
    'OTP code',
  );
  r = await sub.post('/otp', { msisdn: VICTIM_MSISDN, next: '/report' });
  const c2 = /name="challenge_id"\s+value="([^"]+)"/.exec(r.text)![1]!;
  r = await sub.post('/otp/verify', {
    challenge_id: c2,
    code: env.lastCode(VICTIM_MSISDN),
    next: '/report',
  });
  assert.equal(r.status, 303);
  await sub.get('/report');
  const made = await sub.post('/report', {
    kind: 'stolen',
    imei: full(VICTIM),
    police_report: PAYLOAD,
    incident_date: '2026-01-02',
    place: PAYLOAD,
  });
  assertSafe(made, 'a theft report');
  const caseNumber = /(TC-\d{4}-\d{6})/.exec(made.text)?.[1];
  assert.ok(caseNumber, made.text.slice(0, 2000));
  for (const p of [
    '/report',
    '/cases',
    `/cases/${caseNumber}`,
    '/pairing',
    '/appeal',
    `/cases/${encodeURIComponent(PAYLOAD)}`,
  ])
    await attack(sub, p);
  // A pairing and an appeal that the regulator will decide (stored text shown on other pages).
  await sub.get('/pairing');
  await sub.post('/pairing', { imei: full(VICTIM), imsi: '001010000000001', reason: PAYLOAD });
  await sub.get('/appeal');
  await sub.post('/appeal', {
    imei: full(VICTIM),
    reason: PAYLOAD,
    evidence_name: PAYLOAD,
    evidence_text: PAYLOAD,
  });

  for (const role of Object.keys(PAGES)) {
    const ui = await staff(role);
    for (const p of PAGES[role]!) await attack(ui, p);
  }
  // Stored payloads (case, pairing, appeal, audit details) on every page, for every role.
  for (const role of Object.keys(PAGES)) {
    const ui = await staff(role);
    for (const p of PAGES[role]!) assertSafe(await ui.get(p), `stored data on ${p} (${role})`);
  }
  for (const p of ['/cases', `/cases/${caseNumber}`, '/pairing', '/appeal'])
    assertSafe(await sub.get(p), `stored data on ${p}`);

  // The test reached what it claims to test: many forms and fields, payloads echoed (escaped).
  assert.ok(stats.forms >= 25, `${stats.forms} forms attacked`);
  assert.ok(stats.fields >= 45, `${stats.fields} fields attacked`);
  assert.ok(stats.echoed >= 15, `${stats.echoed} answers showed the payload as text`);
});
