/**
 * Issues #5/#6 in the web UI (no browser): the regulator dry-runs a condition, then saves it with
 * the Save form (CSRF token included) as a new rule version; a form without the right token is
 * refused and saves nothing; the amnesty form saves the amnesty settings the same way.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiEnv, PASSWORD } from './api-test-kit.js';
import { WebClient } from './web-test-kit.js';

const env = new ApiEnv();
before(async () => {
  await env.setUp();
});
after(() => env.close());

const unescape = (s: string) =>
  s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The fields of the form posting to `action` (hidden and textarea defaults). */
function formOf(text: string, action: string): { html: string; hidden: Record<string, string> } {
  const start = text.indexOf(`action="${action}"`);
  assert.ok(start >= 0, `a form posting to ${action}`);
  const html = text.slice(start, text.indexOf('</form>', start));
  const hidden: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    hidden[m[1]!] = unescape(m[2]!);
  return { html, hidden };
}

const rules = async () =>
  (await env.call('GET', '/api/v1/regulator/rules', { auth: env.key('regulator') })).json;

test('dry run, then Save: the form carries the CSRF token and records a new rule version', async () => {
  const ui = new WebClient(env);
  await ui.login('regulator1', PASSWORD);
  const page = await ui.get('/regulator/rules');
  assert.match(page.text, /come from the configuration file/);
  const before = await rules();
  const dry = await ui.post('/regulator/rules', {
    label: 'shared_phone',
    reason: 'Used with two SIMs',
    grace_period_days: '30',
    max_allowed_matching_ratio: '1',
    module: 'duplicate_threshold',
    parameters: '{"threshold": 2, "period_days": 30}',
  });
  assert.equal(dry.status, 200, dry.text);
  assert.match(dry.text, /A run would be accepted/);
  const form = formOf(dry.text, '/regulator/rules/save');
  assert.ok(form.hidden._csrf && form.hidden._csrf.length >= 16, 'the Save form has a CSRF token');
  assert.equal(form.hidden._csrf, ui.csrf);
  assert.equal(JSON.parse(form.hidden.condition!).label, 'shared_phone');

  // Another site's form, with the regulator's cookies but not the token: refused, nothing saved.
  const forged = new WebClient(env);
  for (const [k, v] of ui.cookies) forged.cookies.set(k, v);
  forged.csrf = 'x'.repeat(24);
  const refused = await forged.post('/regulator/rules/save', {
    condition: form.hidden.condition!,
    note: 'forged',
  });
  assert.equal(refused.status, 403);
  assert.deepEqual(await rules(), before);

  const saved = await ui.post('/regulator/rules/save', {
    _csrf: form.hidden._csrf,
    condition: form.hidden.condition!,
    note: 'two SIMs are worth watching',
  });
  assert.equal(saved.status, 200, saved.text);
  const after = await rules();
  assert.equal(after.source, 'regulator');
  assert.equal(after.version, before.version + 1);
  assert.match(saved.text, new RegExp(`Saved as rule version ${after.version}\\b`));
  assert.deepEqual(
    after.conditions.map((c: { label: string }) => c.label),
    [...before.conditions.map((c: { label: string }) => c.label), 'shared_phone'],
  );
  assert.equal(after.saved.note, 'two SIMs are worth watching');
  const shown = await ui.get('/regulator/rules');
  assert.match(shown.text, new RegExp(`Rule version ${after.version}, saved by`));
  assert.match(shown.text, /shared_phone/);
});

test('a refused dry run offers no Save; the amnesty form saves the amnesty settings', async () => {
  const ui = new WebClient(env);
  await ui.login('regulator1', PASSWORD);
  const dry = await ui.post('/regulator/rules', {
    label: 'everything',
    reason: 'Everything',
    grace_period_days: '30',
    max_allowed_matching_ratio: '0.01',
    module: 'duplicate_threshold',
    parameters: '{"threshold": 1, "period_days": 30}',
  });
  assert.match(dry.text, /A run would be refused/);
  assert.ok(!dry.text.includes('action="/regulator/rules/save"'));

  const page = await ui.get('/regulator/amnesty');
  const form = formOf(page.text, '/regulator/amnesty');
  assert.equal(form.hidden._csrf, ui.csrf);
  const bad = await ui.post('/regulator/amnesty', {
    enabled: '1',
    evaluation_period_end: '2026-05-01',
    amnesty_period_end: '2026-02-01',
    note: 'backwards',
  });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /amnesty\.amnesty_period_end/);
  const ok = await ui.post('/regulator/amnesty', {
    enabled: '1',
    evaluation_period_end: '2026-02-01',
    amnesty_period_end: '2026-05-01',
    note: 'launch amnesty',
  });
  assert.equal(ok.status, 200, ok.text);
  const r = await rules();
  assert.deepEqual(r.amnesty, {
    enabled: true,
    evaluation_period_end: '2026-02-01',
    amnesty_period_end: '2026-05-01',
  });
  const shown = await ui.get('/regulator/amnesty');
  assert.match(shown.text, /2026-05-01/);
});
