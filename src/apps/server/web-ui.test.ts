/**
 * The web UI in process (no browser): CSRF refusals before the API is reached, pages refused to
 * the wrong role, security headers on every answer, language choice, the static files.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiEnv, PASSWORD, VICTIM, VICTIM_MSISDN, full } from './api-test-kit.js';
import { CONTENT_SECURITY_POLICY } from '../../web/index.js';
import { WebClient } from './web-test-kit.js';

const env = new ApiEnv();
before(async () => {
  await env.setUp();
});
after(() => env.close());

async function subscriber(): Promise<WebClient> {
  const ui = new WebClient(env);
  await ui.get('/otp?next=/report');
  const r = await ui.post('/otp', { msisdn: VICTIM_MSISDN, next: '/report' });
  const challenge = /name="challenge_id"\s+value="([^"]+)"/.exec(r.text)![1]!;
  const v = await ui.post('/otp/verify', {
    challenge_id: challenge,
    code: env.lastCode(VICTIM_MSISDN),
    next: '/report',
  });
  assert.equal(v.status, 303);
  assert.equal(v.headers.location, '/report');
  await ui.get('/report');
  return ui;
}

test('a form without the right CSRF token is refused and changes nothing', async () => {
  const ui = await subscriber();
  const report = {
    kind: 'stolen',
    imei: full(VICTIM),
    police_report: 'PR-1',
    incident_date: '2026-01-10',
    place: 'Here',
  };
  const forged = new WebClient(env);
  for (const [k, v] of ui.cookies) forged.cookies.set(k, v); // the victim's cookies, another site's form
  for (const token of ['', 'x'.repeat(24)]) {
    forged.csrf = token;
    const r = await forged.post('/report', report);
    assert.equal(r.status, 403);
    assert.match(r.text, /This form has expired or did not come from this site/);
  }
  const cases = await env.call('GET', '/api/v1/regulator/cases', { auth: env.key('regulator') });
  assert.equal(cases.json.cases.length, 0, 'no case was made by the forged posts');
  const ok = await ui.post('/report', report);
  assert.equal(ok.status, 201, ok.text.slice(0, 500));
  // Before any login the form token is the double-submit cookie's.
  const visitor = new WebClient(env);
  await visitor.get('/login');
  visitor.csrf = 'y'.repeat(24);
  assert.equal(
    (await visitor.post('/login', { username: 'police1', password: PASSWORD })).status,
    403,
  );
});

test('pages of a role: visitors are sent to log in, other roles are refused', async () => {
  const visitor = new WebClient(env);
  let r = await visitor.get('/police');
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/login?next=%2Fpolice');
  r = await visitor.get('/appeal');
  assert.equal(r.headers.location, '/otp?next=%2Fappeal');
  const importer = new WebClient(env);
  await importer.login('importer1', PASSWORD);
  for (const p of ['/police', '/operator', '/regulator', '/regulator/audit']) {
    r = await importer.get(p);
    assert.equal(r.status, 403, p);
  }
  assert.equal((await importer.get('/importer')).status, 200);
  const admin = new WebClient(env);
  await admin.login('admin1', PASSWORD);
  assert.equal((await admin.get('/regulator/users')).status, 200);
  const audit = await admin.get('/regulator/audit?action=login');
  assert.match(audit.text, /Hash chain verified: \d+ entries/);
  assert.match(audit.text, /admin1|police1|importer1/);
  assert.equal((await admin.get('/regulator')).status, 403);
  // After logout the session is gone.
  await importer.get('/importer');
  r = await importer.post('/logout', {});
  assert.equal(r.status, 303);
  assert.equal((await importer.get('/importer')).status, 303);
});

test('security headers on every page; static files; language by Accept-Language and ?lang=', async () => {
  const ui = new WebClient(env);
  for (const p of ['/', '/check?imei=1', '/login', '/nope', '/assets/app.js']) {
    const r = await ui.get(p);
    assert.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY, p);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', p);
  }
  const js = await ui.get('/assets/app.js');
  assert.match(String(js.headers['content-type']), /^text\/javascript/);
  const home = await ui.get('/');
  assert.match(home.text, /<script src="\/assets\/app\.js" defer><\/script>/);
  assert.doesNotMatch(
    home.text.replace(/<script src="\/assets\/app\.js" defer><\/script>/, ''),
    /<script/,
  );
  assert.doesNotMatch(home.text, /\sstyle=|<style/);
  const site = (await import('./web-server.js')).withWebUi(env.api).site;
  const fr = await site.handle({
    method: 'GET',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' },
    body: new Uint8Array(0),
    ip: '127.0.0.1',
  });
  assert.match(String(fr.body), /<html lang="fr">/);
  assert.match(String(fr.body), /Vérifiez un IMEI avant d’acheter/);
  const en = await ui.get('/?lang=en');
  assert.match(en.text, /Check an IMEI before you buy/);
  // The API keeps answering on the same site.
  const api = await site.handle({
    method: 'GET',
    path: '/openapi.json',
    query: new URLSearchParams(),
    headers: {},
    body: new Uint8Array(0),
    ip: '127.0.0.1',
  });
  assert.equal(api.status, 200);
});

test('pairing and appeal: asked by the subscriber, decided by the regulator, outcome shown', async () => {
  const sub = await subscriber();
  await sub.get('/pairing');
  let r = await sub.post('/pairing', {
    imei: full(VICTIM),
    imsi: '001010000000001',
    reason: 'My phone',
  });
  assert.equal(r.status, 201, r.text.slice(0, 400));
  const pairing = /(PR-[A-Za-z0-9_-]+)/.exec(r.text)![1]!;
  await sub.get('/appeal');
  r = await sub.post('/appeal', {
    imei: full(VICTIM),
    reason: 'Bought new',
    evidence_name: 'receipt',
    evidence_text: 'Shop 1',
  });
  assert.equal(r.status, 201);
  const appeal = /(AP-[A-Za-z0-9_-]+)/.exec(r.text)![1]!;
  const reg = new WebClient(env);
  await reg.login('regulator1', PASSWORD);
  const page = await reg.get('/regulator/decisions');
  assert.ok(page.text.includes(pairing) && page.text.includes(appeal));
  assert.equal((await reg.post(`/regulator/pairings/${pairing}`, { approve: '1' })).status, 200);
  await reg.get('/regulator/decisions');
  r = await reg.post(`/regulator/appeals/${appeal}`, {
    status: 'upheld',
    outcome: 'Receipt checked',
  });
  assert.equal(r.status, 200);
  const mine = await sub.get('/pairing');
  assert.match(mine.text, new RegExp(`${pairing}[\\s\\S]*?approved`));
  const appeals = await sub.get('/appeal');
  assert.match(appeals.text, /upheld[\s\S]*?Receipt checked/);
});
