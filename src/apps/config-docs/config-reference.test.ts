import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configReference } from './config-reference.js';
import { formattedConfigReference } from './formatted-reference.js';

const DOC = fileURLToPath(new URL('../../../docs/config.md', import.meta.url));

test('docs/config.md is the reference generated from the schema (run `npm run docs:config`)', async () => {
  assert.equal(readFileSync(DOC, 'utf8'), await formattedConfigReference(DOC));
});

test('the reference lists keys with their defaults, nested keys and list items', () => {
  const r = configReference();
  assert.match(r, /\| `gates\.null_imei_max` \| number \| `0\.05` \| >= 0, <= 1 \|/);
  assert.match(r, /\| `pipeline\.deadline_hours` \| number \| `12` \|/);
  assert.match(r, /\| `operators\[\]\.id` \| string \| \(required\) \|/);
  assert.match(r, /\| `retention\.personal_data_months` \| integer \| `6` \|/);
});
