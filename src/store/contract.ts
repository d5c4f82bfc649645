/**
 * The contract every Store adapter passes (DuckDB now, PostgreSQL later): one suite, run by each
 * adapter's test file with its own factory. Uses only the port.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ImportRecord, Store } from '../core/ports/store.js';

export type StoreFactory = () => Promise<Store>;

const HEADER =
  'month,imei,imei_text,imsi,imsi_text,msisdn,msisdn_text,first_day,last_day,day_mask,rat_mask\n';

function record(id: string, over: Partial<ImportRecord> = {}): ImportRecord {
  return {
    id,
    source: 'operator',
    file: `${id}.csv`,
    sha256: `sha-${id}`,
    mode: 'full',
    operator: 'alpha',
    periodStart: '2026-01-01',
    periodEnd: '2026-01-31',
    rows: 3,
    accepted: 3,
    gates: [{ gate: 'null_imei', passed: true, value: 0, limit: 0.05, bound: 'max' }],
    startedAt: '2026-02-01T00:00:00.000Z',
    finishedAt: '2026-02-01T00:00:01.000Z',
    ...over,
  };
}

function spool(dir: string, name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, HEADER + lines.map((l) => `${l}\n`).join(''));
  return p;
}

export function runStoreContract(adapter: string, open: StoreFactory): void {
  const dir = mkdtempSync(join(tmpdir(), `ceir-contract-${adapter}-`));

  test(`${adapter}: a new store migrates to the latest schema, and migrate is idempotent`, async () => {
    const s = await open();
    try {
      const r1 = await s.migrate();
      const r2 = await s.migrate();
      const st = await s.schemaStatus();
      assert.equal(st.current, st.latest);
      assert.equal(r2.from, r2.to);
      assert.equal(r1.to, st.latest);
      assert.ok(st.applied.length >= 1);
    } finally {
      await s.close();
    }
  });

  test(`${adapter}: operator dumps merge partial aggregates into monthly triplets`, async () => {
    const s = await open();
    try {
      await s.migrate();
      const a = spool(dir, 'a1.csv', [
        '2026-01-01,35209900176148,,1001010000000001,,1999000000001,,3,3,4,32',
        '2026-01-01,35209900176148,,1001010000000002,,,,2,2,2,32',
        '2026-01-01,,"A,B""C",1001010000000003,,,99-bad,9,9,256,32',
      ]);
      // A second spool of the same file holds a partial aggregate of a key of the first.
      const a2 = spool(dir, 'a2.csv', [
        '2026-01-01,35209900176148,,1001010000000001,,1999000000001,,5,7,80,1',
      ]);
      await s.commitOperatorDump({
        record: record('imp-1'),
        tripletSpools: [a, a2],
        daily: [{ day: '2026-01-03', imeis: 1, imsis: 1, msisdns: 1 }],
      });
      const seen = await s.sightings('35209900176148');
      assert.equal(seen.length, 2);
      const one = seen.find((x) => x.imsi === '001010000000001')!;
      assert.equal(one.firstSeen, '2026-01-03');
      assert.equal(one.lastSeen, '2026-01-07');
      assert.equal(one.dayMask, 4 | 80);
      assert.equal(one.ratMask, 33);
      assert.equal(seen.find((x) => x.imsi === '001010000000002')!.msisdn, null);
      const malformed = await s.sightings('A,B"C');
      assert.equal(malformed.length, 1);
      assert.equal(malformed[0]!.msisdn, '99-bad');
      assert.equal(malformed[0]!.imsi, '001010000000003');

      // A second dump of the same month merges into the same triplets.
      const b = spool(dir, 'b1.csv', [
        '2026-01-01,35209900176148,,1001010000000001,,1999000000001,,1,1,1,2',
      ]);
      await s.commitOperatorDump({
        record: record('imp-2', { sha256: 'sha-2' }),
        tripletSpools: [b],
        daily: [],
      });
      const again = (await s.sightings('35209900176148')).find(
        (x) => x.imsi === '001010000000001',
      )!;
      assert.equal(again.firstSeen, '2026-01-01');
      assert.equal(again.dayMask, 1 | 4 | 80);
      assert.equal(again.ratMask, 35);

      const counts = await s.counts();
      assert.equal(counts.triplets, 3);
      assert.equal(counts.imeis, 2);
      assert.equal(counts.imports, 2);
      assert.deepEqual(
        (await s.operatorDailyCounts('alpha', '2026-01-01', '2026-01-31')).map((d) => d.imeis),
        [1],
      );
      const found = await s.findImportBySha256('operator', 'sha-imp-1');
      assert.equal(found?.id, 'imp-1');
      assert.equal(found?.gates[0]?.gate, 'null_imei');
      assert.equal(await s.findImportBySha256('stolen', 'sha-imp-1'), undefined);
      assert.equal((await s.listImports(10)).length, 2);
    } finally {
      await s.close();
    }
  });

  test(`${adapter}: lists land with history and answer TAC, membership and overview queries`, async () => {
    const s = await open();
    try {
      await s.migrate();
      const listHeader = 'line,change_type,key,imei_norm,tac,imsi,msisdn,status,caps,attrs\n';
      const tacSpool = join(dir, 'tac.csv');
      writeFileSync(
        tacSpool,
        `${listHeader}2,,35209900,,35209900,,,,5,"{""brand_name"":""Great""}"\n` +
          `3,,01234567,,01234567,,,,1,"{}"\n`,
      );
      const tac = await s.commitList({
        record: record('tac-1', { source: 'gsma_tac', sha256: 'sha-tac', operator: undefined }),
        list: 'gsma_tac',
        spool: tacSpool,
        shrinkMinRatio: 0.75,
        force: false,
      });
      assert.equal(tac.kind, 'ok', JSON.stringify(tac));
      const bits = await s.tacBitmap();
      const has = (t: number) => ((bits[t >>> 3]! >>> (t & 7)) & 1) === 1;
      assert.ok(has(35209900) && has(1234567) && !has(35209901));
      assert.deepEqual(await s.tac('35209900'), {
        tac: '35209900',
        caps: 5,
        attrs: { brand_name: 'Great' },
      });
      assert.equal(await s.tac('99999999'), undefined);

      const stolenSpool = join(dir, 'stolen.csv');
      writeFileSync(
        stolenSpool,
        `${listHeader}2,,35209900176148,35209900176148,,,,blacklist,,"{}"\n`,
      );
      const stolen = await s.commitList({
        record: record('stolen-1', { source: 'stolen', sha256: 'sha-stolen', operator: undefined }),
        list: 'stolen',
        spool: stolenSpool,
        shrinkMinRatio: 0.75,
        force: false,
      });
      assert.equal(stolen.kind, 'ok', JSON.stringify(stolen));
      const m = await s.listMemberships('35209900176148');
      assert.deepEqual(
        m.map((x) => [x.list, x.key, x.status]),
        [['stolen', '35209900176148', 'blacklist']],
      );
      assert.equal((await s.counts()).lists['gsma_tac'], 2);

      // The IMEI of the earlier test (if it ran on this store) or a fresh sighting.
      const sp = spool(dir, 'ov.csv', [
        '2026-02-01,35209900176148,,1001010000000009,,1999000000009,,1,1,1,32',
        '2026-02-01,99999999000001,,1001010000000010,,,,1,1,1,32',
      ]);
      await s.commitOperatorDump({
        record: record('imp-ov', {
          sha256: 'sha-ov',
          periodStart: '2026-02-01',
          periodEnd: '2026-02-28',
        }),
        tripletSpools: [sp],
        daily: [],
      });
      const o = await s.overview(2);
      assert.ok(o.stolenSeen >= 1);
      assert.ok(o.unknownTacImeis >= 1);
      assert.ok(o.imeis >= 2);
      assert.ok(o.byOperator.some((b) => b.operator === 'alpha'));
    } finally {
      await s.close();
    }
  });

  test(`${adapter}: a failing commit changes nothing`, async () => {
    const s = await open();
    try {
      await s.migrate();
      const before = await s.counts();
      const bad = spool(dir, 'bad.csv', [
        '2026-01-01,alpha,35209900176148,1,2,not-a-date,2026-01-01,1,1',
      ]);
      await assert.rejects(
        s.commitOperatorDump({
          record: record('imp-bad', { sha256: 'sha-bad' }),
          tripletSpools: [bad],
          daily: [],
        }),
      );
      assert.deepEqual(await s.counts(), before);
      assert.equal(await s.findImportBySha256('operator', 'sha-bad'), undefined);
    } finally {
      await s.close();
    }
  });
}
