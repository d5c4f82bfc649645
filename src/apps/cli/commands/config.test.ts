import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../../../testing/cli-test-kit.js';
import { main } from '../main.js';

test('ceir config check prints every error of a file at once, with its key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-config-check-'));
  try {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `country: { name: X, mcc: ['1'], msisdn_country_codes: ['999'] }
operators:
  - { id: Alpha, name: A, mcc_mnc: ['00101'] }
pipeline: { deadline_hours: -1, colour: blue }
retention: { triplet_months: 3, personal_data_months: 12, list_history_months: 2 }
`,
    );
    const io = captureIo();
    assert.equal(await main(['config', 'check', bad], io), 3);
    const err = io.stderr.join('\n');
    for (const key of [
      'country.mcc.0',
      'operators.0.id',
      'pipeline.deadline_hours',
      'pipeline',
      'retention.personal_data_months',
      'retention.list_history_months',
    ])
      assert.ok(err.includes(`  ${key}:`), `${key} in:\n${err}`);
    assert.match(err, /colour/);
    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      `country: { name: X, mcc: ['001'], msisdn_country_codes: ['999'] }
operators: [{ id: alpha, name: A, mcc_mnc: ['00101'] }]
`,
    );
    const ok = captureIo();
    assert.equal(await main(['config', 'check', good], ok), 0);
    assert.match(ok.stdout.join('\n'), /valid \(X, 1 operators/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
