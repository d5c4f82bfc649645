import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeChain } from '../../../attestation/test-chains.js';
import { DEMO_CONFIG_PATH } from '../../../config/loader.js';
import { ErrorCatalogue } from '../../../core/errors.js';
import { captureIo } from '../../../testing/cli-test-kit.js';
import { main } from '../main.js';

const DIR = join(process.cwd(), '../shared/testdata/android-attestation');
const PIXEL3 = join(DIR, 'blueline_sdk28_TEE_RSA_BASE_IMEI.pem');
const skip = existsSync(PIXEL3) ? false : `test data missing: ${DIR}`;
const tmp = mkdtempSync(join(tmpdir(), 'ceir-cli-attest-'));
const data = join(tmp, 'data');

function config(extra: string): string {
  const path = join(tmp, `c-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, `${readFileSync(DEMO_CONFIG_PATH, 'utf8')}\nattestation:\n${extra}`);
  return path;
}

test(
  'ceir attest: the Pixel 3 chain at its creation time is weak, with its fields',
  { skip },
  async () => {
    const io = captureIo();
    const code = await main(['attest', PIXEL3, '--at', '2018-09-28T23:40:35Z', '--data', data], io);
    assert.equal(code, 0, io.stderr.join('\n'));
    const text = io.stdout.join('\n');
    assert.match(text, /: WEAK/);
    assert.match(text, /reason +bootloader unlocked/);
    assert.match(text, /imei +990012001354866/);
    assert.match(text, /model +Pixel 3/);
    assert.match(text, /trust anchor google-rsa-root/);
    const j = captureIo();
    assert.equal(
      await main(['attest', PIXEL3, '--at', '2018-09-28T23:40:35Z', '--json', '--data', data], j),
      0,
    );
    const v = JSON.parse(j.stdout.join('\n')) as {
      verdict: string;
      verification: { keyDescription: { ids: { imei: string; brand: string } } };
    };
    assert.equal(v.verdict, 'weak');
    assert.equal(v.verification.keyDescription.ids.imei, '990012001354866');
    assert.equal(v.verification.keyDescription.ids.brand, 'google');
  },
);

test(
  'ceir attest: strict policy refuses weak; exit code of CEIR_ERR_ATTESTATION',
  { skip },
  async () => {
    const io = captureIo();
    const cfg = config('  strict: true\n');
    const code = await main(
      ['attest', PIXEL3, '--at', '2018-09-28T23:40:35Z', '--config', cfg, '--data', data],
      io,
    );
    assert.equal(code, ErrorCatalogue.CEIR_ERR_ATTESTATION.exit);
    assert.match(io.stdout.join('\n'), /WEAK \(refused\)/);
  },
);

test('ceir attest: own trust anchor and status list from the config', async () => {
  const c = await makeChain({ intermediateSerial: '7e57' });
  const chainFile = join(tmp, 'own.pem');
  writeFileSync(chainFile, c.pem);
  writeFileSync(join(tmp, 'root.pem'), c.rootPem);
  const at = ['--at', '2026-01-20T00:00:00Z', '--data', data];
  const ok = captureIo();
  const cfg = config('  google_roots: false\n  trust_anchors: [root.pem]\n');
  assert.equal(
    await main(['attest', chainFile, ...at, '--config', cfg], ok),
    0,
    ok.stderr.join('\n'),
  );
  assert.match(ok.stdout.join('\n'), /ATTESTED/);
  writeFileSync(
    join(tmp, 'status.json'),
    JSON.stringify({ entries: { '7e57': { status: 'REVOKED', reason: 'KEY_COMPROMISE' } } }),
  );
  const revoked = captureIo();
  const cfg2 = config('  trust_anchors: [root.pem]\n  status_list: status.json\n');
  assert.equal(
    await main(['attest', chainFile, ...at, '--config', cfg2], revoked),
    ErrorCatalogue.CEIR_ERR_ATTESTATION.exit,
  );
  assert.match(revoked.stdout.join('\n'), /INVALID[\s\S]*revoked/);
  const google = captureIo();
  assert.equal(
    await main(['attest', chainFile, ...at], google),
    ErrorCatalogue.CEIR_ERR_ATTESTATION.exit,
  );
  assert.match(google.stdout.join('\n'), /unknown_root/);
});

test('ceir attest: usage and unreadable file', async () => {
  const io = captureIo();
  assert.equal(await main(['attest', '--data', data], io), ErrorCatalogue.CEIR_ERR_USAGE.exit);
  assert.equal(
    await main(['attest', join(tmp, 'x.pem'), '--at', 'yesterday', '--data', data], io),
    ErrorCatalogue.CEIR_ERR_USAGE.exit,
  );
  const missing = captureIo();
  assert.equal(
    await main(['attest', join(tmp, 'none.pem'), '--data', data], missing),
    ErrorCatalogue.CEIR_ERR_INPUT_FILE.exit,
  );
  assert.match(missing.stderr.join('\n'), /none\.pem/);
});
