/**
 * Concurrency on PostgreSQL (issue 7 item 5): an import, a classification and readers run at the
 * same time; readers never wait for the import and never see half of it; imports of the same
 * keys are serialised by the advisory lock and merge as if run one after the other.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ImportRecord } from '../../core/ports/store.js';
import { DEFAULT_CONDITIONS } from '../../core/rules/default-conditions.js';
import type { DeploymentProfile } from '../../core/deployment.js';
import { PgStore } from './pg-store.js';
import { createTestDatabase } from './test-database.js';

const HEADER =
  'month,imei,imei_text,imsi,imsi_text,msisdn,msisdn_text,first_day,last_day,day_mask,rat_mask\n';

const DEPLOYMENT: DeploymentProfile = {
  country: { name: 'Testland', mcc: ['001'], msisdn_country_codes: ['999'] },
  operators: [{ id: 'alpha', name: 'Alpha', mcc_mnc: ['00101'] }],
};

function record(id: string): ImportRecord {
  const now = new Date().toISOString();
  return {
    id,
    source: 'operator',
    file: `${id}.csv`,
    sha256: `sha-${id}`,
    mode: 'full',
    operator: 'alpha',
    rows: 0,
    accepted: 0,
    gates: [],
    startedAt: now,
    finishedAt: now,
  };
}

/** `n` triplets of distinct IMEIs from `first`, in January 2026 (day `day`). */
function spool(dir: string, name: string, first: number, n: number, day: number): string {
  const lines: string[] = [HEADER];
  for (let i = 0; i < n; i++) {
    const imei = 35209900000000 + first + i;
    lines.push(
      `2026-01-01,${imei},,1001010${String(i % 1000).padStart(9, '0')},,,,${day},${day},${1 << (day - 1)},32\n`,
    );
  }
  const p = join(dir, name);
  writeFileSync(p, lines.join(''));
  return p;
}

const db = await createTestDatabase('ceir_conc');
if ('skip' in db) test('postgres concurrency', (t) => t.skip(db.skip));
else {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-pg-conc-'));
  const store = await PgStore.open({ url: db.url, maxConnections: 8 });
  after(async () => {
    await store.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an import, a classification and readers at the same time: readers see all or nothing', async () => {
    await store.migrate();
    await store.commitOperatorDump({
      record: record('base'),
      tripletSpools: [spool(dir, 'base.csv', 0, 1000, 3)],
      daily: [],
    });
    const before = await store.counts();
    const big = 300_000;
    const importing = store.commitOperatorDump({
      record: record('big'),
      tripletSpools: [spool(dir, 'big.csv', 1_000_000, big, 5)],
      daily: [],
    });
    const set = await store.latestConditionSet();
    const classifying = store.classify({
      asOf: '2026-01-31',
      conditionSetVersion: set?.version ?? 0,
      newConditionSet: { conditions: [], operators: DEPLOYMENT.operators, note: 'test' },
      conditions: DEFAULT_CONDITIONS.map((c) => ({ ...c, maxMatchingRatio: 1 })),
      deployment: DEPLOYMENT,
      amnesty: { enabled: false, evaluationPeriodEnd: null, amnestyPeriodEnd: null },
    });
    let done = false;
    void importing.finally(() => (done = true));
    const seen = new Set<string>();
    let readsDuringImport = 0;
    while (!done) {
      const c = await store.counts();
      seen.add(`${c.triplets}/${c.imeis}/${c.imports}`);
      if (!done) readsDuringImport++;
    }
    await importing;
    const outcome = await classifying;
    assert.equal(outcome.kind, 'ok', JSON.stringify(outcome));
    const afterCounts = await store.counts();
    assert.deepEqual(afterCounts.triplets, before.triplets + big);
    const whole = new Set([
      `${before.triplets}/${before.imeis}/${before.imports}`,
      `${afterCounts.triplets}/${afterCounts.imeis}/${afterCounts.imports}`,
    ]);
    for (const s of seen) assert.ok(whole.has(s), `a reader saw a half import: ${s}`);
    assert.ok(readsDuringImport > 0, 'no read completed while the import ran');
    // The classification read one consistent state: all of the import, or none of it.
    if (outcome.kind === 'ok')
      assert.ok(
        outcome.value.results.every((r) => r.seen === before.imeis || r.seen === afterCounts.imeis),
        JSON.stringify(outcome.value.results.map((r) => r.seen)),
      );
  });

  test('two imports of the same keys at once are serialised and merge', async () => {
    const a = spool(dir, 'same-a.csv', 5_000_000, 20_000, 7);
    const b = spool(dir, 'same-b.csv', 5_000_000, 20_000, 9);
    const before = await store.counts();
    await Promise.all([
      store.commitOperatorDump({ record: record('same-a'), tripletSpools: [a], daily: [] }),
      store.commitOperatorDump({ record: record('same-b'), tripletSpools: [b], daily: [] }),
    ]);
    const after = await store.counts();
    assert.equal(after.triplets, before.triplets + 20_000);
    const s = await store.sightings('35209905000042');
    assert.equal(s.length, 1);
    assert.equal(s[0]!.dayMask, (1 << 6) | (1 << 8));
    assert.equal(s[0]!.firstSeen, '2026-01-07');
    assert.equal(s[0]!.lastSeen, '2026-01-09');
  });
}
