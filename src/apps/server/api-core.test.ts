/**
 * Issue #5, the API's core in process: the public check (plain words, brand and model, typo
 * caught, two IMEIs, rate limit), logins (password, cookie + CSRF, bearer, API key, logout),
 * every role against every route, /openapi.json, and the audit chain.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, type Role, type StaffRole } from '../../core/ports/people-store.js';
import { ApiEnv, CLONE, ORDINARY, PASSWORD, VICTIM_MSISDN, full, key } from './api-test-kit.js';

let env: ApiEnv;
before(async () => {
  env = await new ApiEnv().setUp();
});
after(async () => env.close());

test('public check: allowed device with brand and model, no personal data', async () => {
  const r = await env.call('GET', `/api/v1/public/check?imei=${full(ORDINARY)}`);
  assert.equal(r.status, 200);
  const c = r.json.checks[0];
  assert.equal(c.status, 'allowed');
  assert.equal(c.imei, full(ORDINARY));
  assert.match(c.status_text, /^Allowed/);
  assert.deepEqual(c.device, {
    brand: 'Demo',
    model: 'Demo Phone X',
    manufacturer: 'Demo Corp',
    device_type: 'Smartphone',
  });
  assert.deepEqual(c.reasons, []);
  assert.doesNotMatch(JSON.stringify(r.json), /99900000|00101000/);
});

test('public check: a clone pending block says the date and reason; two IMEIs at once', async () => {
  const r = await env.call(
    'GET',
    `/api/v1/public/check?imei=${full(CLONE)}&imei2=${full(ORDINARY)}`,
  );
  assert.equal(r.status, 200);
  const [a, b] = r.json.checks;
  assert.equal(a.status, 'pending');
  // First match 2026-01-31 (classification as of) + 30 days grace.
  assert.equal(a.block_date, '2026-03-02');
  assert.match(a.status_text, /Will be blocked on 2026-03-02/);
  assert.deepEqual(a.reasons, ['Duplicated IMEI']);
  assert.equal(b.status, 'allowed');
});

test('public check: a check-digit typo is caught with the corrected IMEI suggested', async () => {
  const good = full(ORDINARY);
  const typo = good.slice(0, 14) + String((Number(good[14]) + 1) % 10);
  const r = await env.call('GET', `/api/v1/public/check?imei=${typo}`);
  const c = r.json.checks[0];
  assert.equal(c.valid, false);
  assert.equal(c.problem, 'check_digit');
  assert.equal(c.suggestion, good);
  assert.match(c.message, new RegExp(`did you mean ${good}`));
  const short = await env.call('GET', '/api/v1/public/check?imei=12345');
  assert.equal(short.json.checks[0].problem, 'length');
});

test('public check: an unallocated TAC is unknown; spaces and dashes are accepted', async () => {
  const k = '99000000000001';
  const r = await env.call(
    'GET',
    `/api/v1/public/check?imei=${full(k).replace(/(\d{5})/g, '$1-')}`,
  );
  const c = r.json.checks[0];
  assert.equal(c.valid, true);
  assert.equal(c.status, 'unknown');
  assert.equal(c.device, null);
  assert.ok(c.reasons.some((x: string) => /not allocated/.test(x)));
});

test('public check is rate-limited per client with a token bucket', async () => {
  // The test config allows a burst of 1000 and 1000/s; with the clock stopped nothing refills.
  const real = env.now;
  const t = new Date();
  env.now = () => t;
  try {
    const url = `/api/v1/public/check?imei=${full(ORDINARY)}`;
    for (let i = 0; i < 1000; i++)
      assert.equal((await env.call('GET', url, { ip: '10.9.9.9' })).status, 200);
    const r = await env.call('GET', url, { ip: '10.9.9.9' });
    assert.equal(r.status, 429);
    assert.equal(r.json.error.code, 'CEIR_ERR_RATE_LIMITED');
    assert.equal(r.headers['retry-after'], '1');
    // Another client is not affected; time brings tokens back.
    assert.equal((await env.call('GET', url, { ip: '10.9.9.8' })).status, 200);
    const later = new Date(t.getTime() + 2000);
    env.now = () => later;
    assert.equal((await env.call('GET', url, { ip: '10.9.9.9' })).status, 200);
  } finally {
    env.now = real;
  }
});

test('login: wrong password refused; session cookie is HttpOnly SameSite; writes need the CSRF token', async () => {
  const bad = await env.call('POST', '/api/v1/auth/login', {
    json: { username: 'police1', password: 'nope-nope-nope' },
  });
  assert.equal(bad.status, 401);
  const r = await env.call('POST', '/api/v1/auth/login', {
    json: { username: 'regulator1', password: PASSWORD },
  });
  assert.equal(r.status, 200);
  const cookie = String(r.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const jar = cookie.split(';')[0]!;
  const me = await env.call('GET', '/api/v1/auth/me', { auth: { cookie: jar } });
  assert.equal(me.json.role, 'regulator');
  assert.equal(me.json.csrf_token, r.json.csrf_token);
  const body = {
    condition: {
      label: 'stolen',
      reason: 'x',
      blocking: true,
      dimensions: [{ module: 'stolen_list' }],
    },
  };
  const noCsrf = await env.call('POST', '/api/v1/regulator/rules/dry-run', {
    auth: { cookie: jar },
    json: body,
  });
  assert.equal(noCsrf.status, 403);
  assert.match(noCsrf.json.error.message, /CSRF/);
  const withCsrf = await env.call('POST', '/api/v1/regulator/rules/dry-run', {
    auth: { cookie: jar, csrf: r.json.csrf_token },
    json: body,
  });
  assert.equal(withCsrf.status, 200);
  // The same session as a bearer token needs no CSRF token (not sent by browsers on their own).
  const bearer = await env.call('POST', '/api/v1/regulator/rules/dry-run', {
    auth: r.json.token,
    json: body,
  });
  assert.equal(bearer.status, 200);
  const out = await env.call('POST', '/api/v1/auth/logout', { auth: r.json.token });
  assert.equal(out.status, 200);
  const after = await env.call('GET', '/api/v1/regulator/dashboard', { auth: r.json.token });
  assert.equal(after.status, 401);
});

test('API keys: a reset revokes the old key', async () => {
  const admin = env.key('admin');
  const importer = env.staff.get('importer')!;
  const ok = await env.call('GET', '/api/v1/importer/registrations', { auth: importer.apiKey });
  assert.equal(ok.status, 200);
  const reset = await env.call('POST', `/api/v1/admin/users/${importer.id}/key`, { auth: admin });
  assert.equal(reset.status, 200);
  const old = await env.call('GET', '/api/v1/importer/registrations', { auth: importer.apiKey });
  assert.equal(old.status, 401);
  const fresh = await env.call('GET', '/api/v1/importer/registrations', {
    auth: reset.json.api_key,
  });
  assert.equal(fresh.status, 200);
  env.staff.set('importer', { ...importer, apiKey: reset.json.api_key });
  const bogus = await env.call('GET', '/api/v1/importer/registrations', { auth: 'k.abc.def' });
  assert.equal(bogus.status, 401);
});

test('OTP: wrong code counts, expires, single use, attempts limited', async () => {
  const msisdn = '99900000077';
  const r = await env.call('POST', '/api/v1/auth/otp', { json: { msisdn } });
  const id = r.json.challenge_id;
  const code = env.lastCode(msisdn);
  const wrong = code === '000000' ? '111111' : '000000';
  const w = await env.call('POST', '/api/v1/auth/otp/verify', {
    json: { challenge_id: id, code: wrong },
  });
  assert.equal(w.status, 401);
  assert.match(w.json.error.message, /Wrong code \(4 attempts left\)/);
  const ok = await env.call('POST', '/api/v1/auth/otp/verify', {
    json: { challenge_id: id, code },
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.role, 'subscriber');
  const again = await env.call('POST', '/api/v1/auth/otp/verify', {
    json: { challenge_id: id, code },
  });
  assert.equal(again.status, 401);
  assert.match(again.json.error.message, /already used/);
  // Attempts limited.
  const r2 = await env.call('POST', '/api/v1/auth/otp', { json: { msisdn } });
  const code2 = env.lastCode(msisdn);
  for (let i = 0; i < 5; i++)
    await env.call('POST', '/api/v1/auth/otp/verify', {
      json: { challenge_id: r2.json.challenge_id, code: code2 === '000000' ? '111111' : '000000' },
    });
  const locked = await env.call('POST', '/api/v1/auth/otp/verify', {
    json: { challenge_id: r2.json.challenge_id, code: code2 },
  });
  assert.equal(locked.status, 401);
  assert.match(locked.json.error.message, /Too many/);
  // Expiry: the clock moves past the code's lifetime.
  const r3 = await env.call('POST', '/api/v1/auth/otp', { json: { msisdn: '99900000078' } });
  const code3 = env.lastCode('99900000078');
  const real = env.now;
  env.now = () => new Date(Date.now() + 301_000);
  try {
    const late = await env.call('POST', '/api/v1/auth/otp/verify', {
      json: { challenge_id: r3.json.challenge_id, code: code3 },
    });
    assert.equal(late.status, 401);
    assert.match(late.json.error.message, /expired/);
  } finally {
    env.now = real;
  }
  // At most 5 codes an hour to one number (2 were sent above).
  const sends = [];
  for (let i = 0; i < 4; i++)
    sends.push((await env.call('POST', '/api/v1/auth/otp', { json: { msisdn } })).status);
  assert.deepEqual(sends, [202, 202, 202, 429]);
});

/** Which roles each route admits: the test's own table (not read from the code). */
const EXPECTED: Record<string, readonly Role[] | 'all'> = {
  'GET /api/v1/public/check': 'all',
  'POST /api/v1/auth/login': 'all',
  'POST /api/v1/auth/logout': [
    'subscriber',
    'police',
    'importer',
    'operator',
    'regulator',
    'admin',
  ],
  'GET /api/v1/auth/me': 'all',
  'POST /api/v1/auth/otp': 'all',
  'POST /api/v1/auth/otp/verify': 'all',
  'POST /api/v1/subscriber/thefts': ['subscriber'],
  'GET /api/v1/subscriber/cases': ['subscriber'],
  'GET /api/v1/subscriber/cases/{case}': ['subscriber'],
  'POST /api/v1/subscriber/cases/{case}/recovery': ['subscriber'],
  'POST /api/v1/subscriber/pairings': ['subscriber'],
  'GET /api/v1/subscriber/pairings': ['subscriber'],
  'POST /api/v1/subscriber/appeals': ['subscriber'],
  'GET /api/v1/subscriber/appeals': ['subscriber'],
  'GET /api/v1/police/thefts': ['police'],
  'POST /api/v1/police/thefts/{case}/confirm': ['police'],
  'POST /api/v1/police/thefts/{case}/reject': ['police'],
  'GET /api/v1/police/trace/{imei}': ['police'],
  'POST /api/v1/importer/registrations': ['importer'],
  'GET /api/v1/importer/registrations': ['importer'],
  'GET /api/v1/operator/lists': ['operator'],
  'GET /api/v1/operator/lists/files/{name}': ['operator'],
  'POST /api/v1/operator/dumps': ['operator'],
  'GET /api/v1/operator/imports': ['operator'],
  'GET /api/v1/regulator/dashboard': ['regulator'],
  'GET /api/v1/regulator/reports/{month}': ['regulator'],
  'POST /api/v1/regulator/rules/dry-run': ['regulator'],
  'GET /api/v1/regulator/rules': ['regulator'],
  'POST /api/v1/regulator/rules': ['regulator'],
  'GET /api/v1/regulator/cases': ['regulator'],
  'GET /api/v1/regulator/pairings': ['regulator'],
  'POST /api/v1/regulator/pairings/{id}/decision': ['regulator'],
  'GET /api/v1/regulator/appeals': ['regulator'],
  'POST /api/v1/regulator/appeals/{id}/decision': ['regulator'],
  'GET /api/v1/regulator/imports': ['regulator'],
  'POST /api/v1/regulator/jobs/classify': ['regulator'],
  'GET /api/v1/regulator/audit': ['regulator', 'admin'],
  'GET /api/v1/regulator/audit/verify': ['regulator', 'admin'],
  'GET /api/v1/admin/users': ['regulator', 'admin'],
  'POST /api/v1/admin/users': ['admin'],
  'POST /api/v1/admin/users/{id}/key': ['admin'],
};

test('every role against every route: allowed or refused as the table says', async () => {
  const routes = env.api.routes.map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(
    [...routes].sort(),
    Object.keys(EXPECTED).sort(),
    'the table covers every route',
  );
  const sub = await env.subscriber(VICTIM_MSISDN);
  const cred = (role: Role): string | undefined =>
    role === 'public' ? undefined : role === 'subscriber' ? sub : env.key(role as StaffRole);
  let cells = 0;
  // Logout last: it ends the subscriber's session.
  const ordered = [...env.api.routes].sort(
    (a, b) => Number(a.id === 'logout') - Number(b.id === 'logout'),
  );
  for (const r of ordered)
    for (const role of ROLES) {
      if (r.id === 'resetKey' || r.id === 'classifyAndPublish') {
        // Side effects: only the refusals are exercised here (the flows test the rest).
        const allowed = EXPECTED[`${r.method} ${r.path}`];
        if (allowed === 'all' || allowed!.includes(role)) continue;
      }
      const path = r.path
        .replace('{imei}', full(key(9)))
        .replace('{month}', '2026-01')
        .replace(/\{\w+\}/g, 'nothing');
      const query = r.query?.required?.length
        ? `?${r.query.required.map((q) => `${q}=${q === 'imei' ? full(key(9)) : q === 'file_name' ? 'x.csv' : 'CR-1'}`).join('&')}`
        : '';
      const auth = cred(role);
      const res = await env.call(r.method, path + query, {
        ...(auth ? { auth } : {}),
        ...(r.body?.type === 'json' ? { json: {} } : r.body ? { text: '' } : {}),
      });
      const allowed = EXPECTED[`${r.method} ${r.path}`]!;
      const ok = allowed === 'all' || allowed.includes(role);
      const what = `${role} ${r.method} ${r.path} -> ${res.status} ${JSON.stringify(res.json)}`;
      if (ok) assert.ok(res.status !== 401 && res.status !== 403, `allowed: ${what}`);
      else assert.equal(res.status, role === 'public' ? 401 : 403, `refused: ${what}`);
      cells++;
    }
  assert.ok(cells >= routes.length * ROLES.length - 12);
});

test('/openapi.json is served and lists every route with its roles', async () => {
  const r = await env.call('GET', '/openapi.json');
  assert.equal(r.status, 200);
  assert.equal(r.json.openapi, '3.1.0');
  for (const [k, roles] of Object.entries(EXPECTED)) {
    const [method, path] = k.split(' ');
    const op = r.json.paths[path!]?.[method!.toLowerCase()];
    assert.ok(op, `${k} documented`);
    if (roles !== 'all') assert.deepEqual([...op['x-roles']].sort(), [...roles].sort(), k);
  }
  assert.ok(env.checked > 50, `responses checked against the document: ${env.checked}`);
});

test('audit: changes and refusals are logged with who, what, when, from where; the chain verifies', async () => {
  const reg = env.key('regulator');
  const log = await env.call('GET', '/api/v1/regulator/audit?action=addUser&limit=50', {
    auth: reg,
  });
  assert.equal(log.status, 200);
  const refused = await env.call('GET', '/api/v1/regulator/audit?outcome=x', { auth: reg });
  assert.equal(refused.status, 400);
  const all = await env.call('GET', '/api/v1/regulator/audit?limit=5000', { auth: reg });
  const e = all.json.entries.find(
    (x: { action: string; outcome: string }) => x.action === 'resetKey' && x.outcome === 'ok',
  );
  assert.ok(e, 'the key reset is audited');
  assert.equal(e.role, 'admin');
  assert.equal(e.source, '127.0.0.1');
  assert.equal(e.actor, env.staff.get('admin')!.id);
  assert.ok(
    all.json.entries.some(
      (x: { outcome: string; action: string }) =>
        x.outcome === 'refused' && x.action === 'dashboard',
    ),
  );
  const v = await env.call('GET', '/api/v1/regulator/audit/verify', { auth: reg });
  assert.equal(v.json.ok, true);
  assert.ok(v.json.entries >= all.json.entries.length);
});
