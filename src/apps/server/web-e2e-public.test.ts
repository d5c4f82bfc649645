/**
 * The public side of the web UI in real headless Chromium: check an IMEI (the check-digit typo
 * caught as you type by the page's script, then the answer in plain words with brand and model),
 * and report a theft through the OTP step, confirmed by the police, blocked after the regulator's
 * classification run; the police trace with its mandatory case reference. Each flow saves a
 * screenshot under test-artifacts/web/.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import {
  CLONE,
  ORDINARY,
  PASSWORD,
  VICTIM,
  VICTIM_IMSI,
  VICTIM_MSISDN,
  full,
} from './api-test-kit.js';
import { CONTENT_SECURITY_POLICY } from '../../web/index.js';
import { SKIP_NO_CHROMIUM, WebEnv, launchChromium, screenshot } from './web-test-kit.js';

let chromium: Awaited<ReturnType<typeof launchChromium>>;
const w = new WebEnv();
/** Console errors (a CSP violation is one) and script bytes per page, for every page opened. */
const consoleErrors: string[] = [];
let maxScriptBytes = 0;

before(async () => {
  chromium = await launchChromium();
  if (chromium) await w.setUp();
});
after(async () => {
  await chromium?.close();
  if (chromium) await w.close();
});

async function newPage(): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await chromium!.browser.newContext({ locale: 'en-GB' });
  const page = await ctx.newPage();
  let scripts = 0;
  page.on('console', (m) => {
    // Pages answered 4xx on purpose log "Failed to load resource"; anything else (a CSP
    // violation, a script error) is a failure.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      consoleErrors.push(m.text());
  });
  page.on('framenavigated', () => (scripts = 0));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('response', async (r) => {
    if (r.request().resourceType() === 'script') {
      // Chromium forgets a response's body once the page has navigated away (a click that
      // submits a form can do so before this handler runs): fetch the same script again then.
      // An event handler's rejection would be unhandled, so the rare closed context is skipped.
      const body = await r
        .body()
        .catch(async () => (await ctx.request.get(r.url())).body())
        .catch(() => undefined);
      if (body === undefined) return;
      scripts += body.length;
      maxScriptBytes = Math.max(maxScriptBytes, scripts);
    }
  });
  return { ctx, page };
}

async function login(page: Page, username: string): Promise<void> {
  await page.goto(w.url('/login'));
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForLoadState('load');
}

test('check an IMEI: a typo is caught as you type, the answer is in plain words', async (t) => {
  if (!chromium) return t.skip(SKIP_NO_CHROMIUM);
  const { ctx, page } = await newPage();
  const res = await page.goto(w.url('/'));
  assert.equal(res?.headers()['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline/);
  const good = full(ORDINARY);
  const wrong = good.slice(0, 14) + String((Number(good[14]) + 1) % 10);
  const input = page.getByLabel('IMEI', { exact: true });
  await input.pressSequentially(wrong);
  await assert.doesNotReject(
    page.getByText(`The last digit should be ${good[14]}`).waitFor({ timeout: 5000 }),
    'the script flags the check digit as you type',
  );
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  await input.fill(good);
  await input.dispatchEvent('input');
  await page.getByText('The check digit is right.').waitFor({ timeout: 5000 });
  // Keyboard only: Tab to the second IMEI, type the clone's, Enter submits.
  await input.focus();
  await page.keyboard.press('Tab');
  await page.keyboard.type(full(CLONE));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/check\?/);
  const results = page.locator('section.status');
  assert.equal(await results.count(), 2);
  const first = await results.nth(0).innerText();
  assert.match(first, new RegExp(`IMEI ${good}`));
  assert.match(first, /Allowed: this device can be used/);
  assert.match(first, /Demo Phone X/);
  assert.doesNotMatch(first, /Demo Demo/);
  const second = await results.nth(1).innerText();
  assert.match(second, /Will be blocked on \d{4}-\d{2}-\d{2}/);
  assert.match(second, /Duplicated IMEI/);
  await screenshot(page, 'check-imei');
  // Without the script, the server catches the typo too and offers the corrected IMEI.
  await page.goto(w.url(`/check?imei=${wrong}`));
  await page.getByRole('link', { name: `Did you mean ${good}?` }).click();
  await page.waitForURL(new RegExp(`imei=${good}`));
  assert.match(await page.locator('section.status').innerText(), /Allowed/);
  // The page shows an injected script as text.
  await page.goto(w.url(`/check?imei=${encodeURIComponent('<script>alert(1)</script>')}`));
  assert.match(await page.locator('section.status').innerText(), /<script>alert\(1\)<\/script>/);
  // French by ?lang=, remembered.
  await page.goto(w.url('/?lang=fr'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  await page.goto(w.url('/find-imei'));
  assert.match(await page.locator('h1').innerText(), /Comment trouver votre IMEI/);
  await ctx.close();
});

test('report a theft through the OTP step; police confirm; blocked after classification', async (t) => {
  if (!chromium) return t.skip(SKIP_NO_CHROMIUM);
  const victim = full(VICTIM);
  const sub = await newPage();
  const page = sub.page;
  await page.goto(w.url('/report'));
  await page.waitForURL(/\/otp\?next=%2Freport/);
  await page.getByLabel(/Your mobile number/).fill(VICTIM_MSISDN);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByText(`A code was sent to ${VICTIM_MSISDN}`).waitFor();
  await page.getByLabel(/The code from the SMS/).fill(w.env.lastCode(VICTIM_MSISDN));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.waitForURL(/\/report$/);
  await page.getByLabel('IMEI of the device').fill(victim);
  await page.getByLabel('Police report number').fill('PR-2026-77');
  await page.getByLabel('Date of the incident').fill('2026-01-25');
  await page.getByLabel('Place').fill('Market street');
  await page.getByRole('button', { name: 'Report' }).click();
  const done = await page.locator('[role=status]').innerText();
  const caseNumber = /case (TC-\d{4}-\d{6})/.exec(done)?.[1];
  assert.ok(caseNumber, done);
  await page.getByRole('link', { name: new RegExp(caseNumber) }).click();
  assert.match(await page.locator('main').innerText(), /Reported, waiting for the police/);
  await screenshot(page, 'theft-reported');

  const police = await newPage();
  await login(police.page, 'police1');
  await police.page.waitForURL(/\/police$/);
  const row = police.page.locator('tr', { hasText: caseNumber });
  await row.getByRole('button', { name: 'Confirm and block' }).click();
  await police.page.getByText(`Case ${caseNumber} is confirmed`).waitFor();
  await screenshot(police.page, 'police-confirmed');

  const reg = await newPage();
  await login(reg.page, 'regulator1');
  await reg.page.waitForURL(/\/regulator$/);
  await reg.page.getByRole('button', { name: 'Run classification and lists now' }).click();
  await reg.page
    .getByText(/Classification run \d+ and list run \d+ done/)
    .waitFor({ timeout: 60_000 });

  await page.goto(w.url(`/check?imei=${victim}`));
  const status = await page.locator('section.status').innerText();
  assert.match(status, /Blocked: this device cannot be used/);
  assert.match(status, /Reported stolen/);
  await page.goto(w.url(`/cases/${caseNumber}`));
  assert.match(await page.locator('main').innerText(), /Confirmed by the police: blocked/);
  await screenshot(page, 'theft-blocked');
  for (const p of [sub, police, reg]) await p.ctx.close();
});

test('police trace: the case reference is mandatory; sightings with IMSI and MSISDN', async (t) => {
  if (!chromium) return t.skip(SKIP_NO_CHROMIUM);
  const { ctx, page } = await newPage();
  await login(page, 'police1');
  await page.goto(w.url('/police/trace'));
  assert.equal(await page.getByLabel(/Case reference/).getAttribute('required'), '');
  // A crafted URL without a reference is refused by the API, and the page says so.
  await page.goto(w.url(`/police/trace?imei=${full(VICTIM)}`));
  assert.match(await page.locator('[role=alert]').innerText(), /case_reference/);
  await page.getByLabel(/Case reference/).fill('INV-2026-0042');
  await page.getByRole('button', { name: 'Trace' }).click();
  await page.waitForURL(/case_reference=INV-2026-0042/);
  const table = await page.locator('table').innerText();
  assert.match(table, new RegExp(VICTIM_IMSI));
  assert.match(table, new RegExp(VICTIM_MSISDN));
  assert.match(table, /alpha/);
  await screenshot(page, 'police-trace');
  // The trace is in the audit log with its case reference.
  const audit = await w.env.call('GET', '/api/v1/regulator/audit?action=traceImei', {
    auth: w.env.key('regulator'),
  });
  assert.ok(
    audit.json.entries.some(
      (e: { detail: { case_reference?: string } }) => e.detail.case_reference === 'INV-2026-0042',
    ),
  );
  await ctx.close();
});

test('every page stays far under 200 KB of script and raises no console error (CSP)', (t) => {
  if (!chromium) return t.skip(SKIP_NO_CHROMIUM);
  assert.ok(maxScriptBytes > 0, 'the script was loaded');
  assert.ok(maxScriptBytes < 200 * 1024, `${maxScriptBytes} bytes of script`);
  assert.deepEqual(consoleErrors, []);
});
