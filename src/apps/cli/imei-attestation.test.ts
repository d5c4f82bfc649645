import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AttestationRecord } from '../../core/ports/attestation-store.js';
import { DuckDbAttestationStore } from '../../store/duckdb/attestations.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { captureIo } from '../../testing/cli-test-kit.js';
import { main } from './main.js';

const data = mkdtempSync(join(tmpdir(), 'ceir-imei-attest-'));

function rec(over: Partial<AttestationRecord>): AttestationRecord {
  return {
    id: over.id ?? 'x',
    submittedAt: Date.UTC(2026, 10, 1),
    verdict: 'attested',
    accepted: true,
    reasons: [],
    imei: null,
    secondImei: null,
    meid: null,
    brand: 'google',
    device: null,
    product: null,
    serial: null,
    manufacturer: 'Google',
    model: 'Pixel 3',
    claimedImei: null,
    claimedImsi: null,
    client: null,
    report: '{}',
    ...over,
  };
}

test('ceir imei: hardware-attested for an attested IMEI, a tamper line for a claimed one', async () => {
  const store = await DuckDbStore.open({ dataDir: data, memoryLimit: '1GB', threads: 1 });
  await store.migrate();
  const a = new DuckDbAttestationStore(store.db);
  await a.addAttestation(rec({ id: 'good', imei: '35209900176148' }));
  await a.addAttestation(rec({ id: 'weak', verdict: 'weak', imei: '35345678901234' }));
  await a.addAttestation(
    rec({
      id: 'clone',
      imei: '49015420323751',
      claimedImei: '35209900176148',
      submittedAt: Date.UTC(2026, 10, 2),
    }),
  );
  await store.close();

  const io = captureIo();
  assert.equal(
    await main(['imei', '352099001761481', '--data', data], io),
    0,
    io.stderr.join('\n'),
  );
  const text = io.stdout.join('\n');
  assert.match(text, /attestation +hardware-attested 2026-11-01 \(Google Pixel 3\)/);
  assert.match(text, /TAMPER +claimed 2026-11-02 by hardware attesting IMEI 49015420323751/);

  const weak = captureIo();
  assert.equal(await main(['imei', '35345678901234', '--data', data], weak), 0);
  assert.match(weak.stdout.join('\n'), /not hardware-attested \(1 submission/);

  const none = captureIo();
  assert.equal(await main(['imei', '86000000000000', '--data', data], none), 0);
  assert.match(none.stdout.join('\n'), /attestation +none/);

  const j = captureIo();
  assert.equal(await main(['imei', '35209900176148', '--json', '--data', data], j), 0);
  const v = JSON.parse(j.stdout.join('\n')) as { attestation: { hardwareAttested: boolean } };
  assert.equal(v.attestation.hardwareAttested, true);
});
