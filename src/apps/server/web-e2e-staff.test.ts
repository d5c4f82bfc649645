/**
 * The staff side of the web UI in real headless Chromium: an importer's bulk upload with a bad
 * row (refused with the row named, the error report downloaded), then a good one found by the
 * stock search; the operator's signed lists with the signature shown and a dump upload with its
 * gate table; the regulator's dashboard charts and a rule dry run. Screenshots under
 * test-artifacts/web/.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PASSWORD, TAC, full } from './api-test-kit.js';
import { SKIP_NO_CHROMIUM, WebEnv, launchChromium, screenshot } from './web-test-kit.js';

let chromium: Awaited<ReturnType<typeof launchChromium>>;
const w = new WebEnv();

before(async () => {
  chromium = await launchChromium();
  if (chromium) await w.setUp();
});
after(async () => {
  await chromium?.close();
  if (chromium) await w.close();
});

async function staffPage(username: string): Promise<Page> {
  const ctx = await chromium!.browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(w.url('/login'));
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForLoadState('load');
  return page;
}

const stockImei = (n: number): string => full(`${TAC}${String(900000 + n).padStart(6, '0')}`);

test('importer: an upload with a bad row is refused with the row named and a report to download', async (t) => {
  if (!chromium) return t.skip(SKIP_NO_CHROMIUM);
  const page = await staffPage('importer1');
  await page.waitForURL(/\/importer$/);
  const bad = stockImei(2).slice(0, 14) + String((Number(stockImei(2)[14]) + 1) % 10);
  const csv = [
    'imei,brand,model,device_type,import_permit',
    `${stockImei(1)},Demo,Phone X,Smartphone,IP-1`,
    `${bad},Demo,Phone X,Smartphone,IP-1`,
  ].join('\n');
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByText(/refused: 1 rows have errors/).waitFor();
  const errors = await page.getByRole('table', { name: 'Row errors' }).innerText();
  assert.match(errors, /\b3\b/, 'line 3 (the header is line 1)');
  assert.match(errors, /imei/);
  await screenshot(page, 'importer-bad-row');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download the error report/ }).click(),
  ]);
  const report = readFileSync((await download.path())!, 'utf8');
  assert.match(report, /^kind,line,field,imei,message\r\n/);
  assert.match(report, /^error,3,imei,/m);

  const good = csv.split('\n').slice(0, 2).join('\n');
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByText(/1 of 1 rows registered/).waitFor();
  // The script sent the form with a progress bar and swapped the page in: no navigation.
  assert.match(page.url(), /\/importer$/);
  await page.goto(w.url(`/importer?q=${stockImei(1).slice(-6)}`));
  assert.match(await page.locator('table').innerText(), new RegExp(stockImei(1)));
  await page.context().close();
});

test('operator: the signed lists with the signature shown; a dump upload with its gates', async (t) => {
  if (!chromium) return t.skip(SKIP_NO_CHROMIUM);
  const page = await staffPage('operator1');
  await page.waitForURL(/\/operator$/);
  const signature = (await page.locator('#signature').innerText()).trim();
  const [m] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'manifest.json' }).click(),
  ]);
  const [k] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'ceir-public.pem' }).click(),
  ]);
  const manifest = readFileSync((await m.path())!);
  const key = createPublicKey(readFileSync((await k.path())!, 'utf8'));
  assert.ok(
    verify(null, manifest, key, Buffer.from(signature, 'base64')),
    'the shown signature verifies the manifest',
  );
  const files = await page.locator('table').first().innerText();
  assert.match(files, /full/);
  assert.match(files, /delta/);
  const dump = [
    'date,imei,imsi,msisdn,rat',
    `20260201,${stockImei(5)},001010000000099,99900000099,006`,
  ].join('\n');
  await page.getByLabel(/Dump file/).setInputFiles({
    name: 'alpha_20260201_20260228.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(dump),
  });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await page.getByText(/Imported: 1 rows/).waitFor({ timeout: 30_000 });
  assert.match(await page.getByRole('table', { name: 'Quality gates' }).innerText(), /Measured/);
  assert.match(
    await page.getByRole('table', { name: 'Import history' }).innerText(),
    /alpha_20260201_20260228\.csv/,
  );
  await screenshot(page, 'operator-upload');
  await page.context().close();
});

test('regulator: dashboard charts and a rule dry run with its impact', async (t) => {
  if (!chromium) return t.skip(SKIP_NO_CHROMIUM);
  const page = await staffPage('regulator1');
  await page.waitForURL(/\/regulator$/);
  const api = (
    await w.env.call('GET', '/api/v1/regulator/dashboard', { auth: w.env.key('regulator') })
  ).json;
  const charts = page.locator('svg[role=img]');
  assert.ok((await charts.count()) >= 3);
  for (const name of ['IMEIs by condition', 'IMEIs by operator', 'IMEIs seen by month'])
    assert.equal(await page.getByRole('img', { name: new RegExp(name) }).count(), 1, name);
  const cards = await page.locator('.cards').innerText();
  assert.match(cards, new RegExp(`Devices seen\\s+${api.devices_seen}`));
  // One bar per operator row, one column per month.
  assert.equal(await page.locator('#chart-month-t').count(), 1);
  assert.equal(
    await page.locator('svg[aria-labelledby^="chart-month-t"] rect.bar').count(),
    api.by_month.length,
  );
  await screenshot(page, 'regulator-dashboard');

  // Rule configuration: the conditions in force, one changed (threshold 3 -> 1), its impact.
  await page.getByRole('link', { name: 'Rules' }).click();
  const inForce = page.getByRole('table', { name: /Conditions in force/ });
  assert.match(await inForce.innerText(), /stolen_list/);
  await inForce
    .locator('tr', { hasText: 'duplicate_threshold' })
    .getByRole('link', { name: 'Change and dry run' })
    .click();
  assert.equal(await page.getByLabel('Label').inputValue(), 'duplicate');
  assert.equal(await page.getByLabel('Sticky', { exact: false }).isChecked(), true);
  const params = page.getByLabel(/Parameters/);
  const changed = { ...JSON.parse(await params.inputValue()), threshold: 1 };
  await params.fill(JSON.stringify(changed));
  await page.getByRole('button', { name: 'Dry run' }).click();
  const impact = await page.locator('section[aria-labelledby=impact]').innerText();
  const rules = (
    await w.env.call('GET', '/api/v1/regulator/rules', { auth: w.env.key('regulator') })
  ).json;
  const dup = rules.conditions.find((x: { label: string }) => x.label === 'duplicate');
  const condition = { ...dup, dimensions: [{ ...dup.dimensions[0], parameters: changed }] };
  const expected = (
    await w.env.call('POST', '/api/v1/regulator/rules/dry-run', {
      auth: w.env.key('regulator'),
      json: { condition },
    })
  ).json;
  assert.ok(
    expected.would_match > expected.currently_matched,
    'a lower threshold matches more IMEIs',
  );
  const cells = impact.split(/\s+/);
  for (const k of ['seen', 'would_match', 'currently_matched', 'added', 'removed'])
    assert.ok(cells.includes(String(expected[k])), `${k} ${expected[k]} in ${impact}`);
  assert.match(impact, expected.refused ? /would be refused/ : /would be accepted/);
  await screenshot(page, 'regulator-dry-run');
  await page.context().close();
});
