import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { captureIo, RELAXED_GATES_YAML } from '../../../testing/cli-test-kit.js';
import { main } from '../main.js';

const root = mkdtempSync(join(tmpdir(), 'ceir-exchange-files-'));
after(() => rmSync(root, { recursive: true, force: true }));

const config = (
  country: string,
  peers: string,
) => `country: { name: X, mcc: ['001'], msisdn_country_codes: ['999'] }
operators:
  - { id: alpha, name: Alpha Mobile, mcc_mnc: ['00101'] }
${RELAXED_GATES_YAML}exchange:
  country: ${country}
  peers:
${peers}`;

async function ceir(dir: string, ...args: string[]) {
  const io = captureIo();
  const code = await main(
    [...args, '--data', join(dir, 'data'), '--config', join(dir, 'ceir.yaml')],
    io,
  );
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

test('block-list files: feed, OCBL01 and CSV exported by XA import into XB; a bad signature or owner is refused', async () => {
  const a = join(root, 'a');
  const b = join(root, 'b');
  for (const d of [a, b]) mkdirSync(d, { recursive: true });
  const pubA = join(a, 'data', 'keys', 'lists-ed25519.pub.pem');
  const pubB = join(b, 'data', 'keys', 'lists-ed25519.pub.pem');
  writeFileSync(
    join(a, 'ceir.yaml'),
    config(
      'XA',
      `    - { id: xb, country: XB, url: 'http://127.0.0.1:1', public_key: '${pubB}' }\n`,
    ),
  );
  writeFileSync(
    join(b, 'ceir.yaml'),
    config(
      'XB',
      `    - { id: xa, country: XA, url: 'http://127.0.0.1:1', public_key: '${pubA}', trust: block }\n`,
    ),
  );
  for (const d of [a, b]) assert.equal((await ceir(d, 'keys', 'generate')).code, 0);
  const stolen = join(a, 'stolen.csv');
  writeFileSync(
    stolen,
    'imei,reporting_date,status\n352099001761481,20260105,\n352099001761499,20260105,\n352099001761507,20260105,\n490154203237518,,\n',
  );
  assert.equal((await ceir(a, 'import', 'stolen', stolen)).code, 0);
  assert.equal((await ceir(a, 'exchange', 'publish')).code, 0);

  const files: Record<string, string> = {
    feed: join(a, 'xa.batch'),
    gsma: join(a, 'xa.ocbl'),
    csv: join(a, 'xa.csv'),
  };
  for (const [format, out] of Object.entries(files)) {
    const r = await ceir(a, 'exchange', 'export', '--out', out, '--format', format);
    assert.equal(r.code, 0, r.err);
  }
  // Consecutive IMEIs 352099001761481..50 form one range in the GSMA-style file.
  assert.match(readFileSync(files.gsma!, 'latin1'), /^DA352099001761483520990017615001\d{8}XA $/m);

  for (const [format, file] of Object.entries(files)) {
    const r = await ceir(b, 'exchange', 'import', file, '--peer', 'xa', '--format', format);
    assert.equal(r.code, 0, `${format}: ${r.err}`);
    const f = await ceir(b, 'exchange', 'foreign', '--json');
    const recs = JSON.parse(f.out) as {
      recordId: string;
      status: string;
      reportingDate: string | null;
    }[];
    assert.deepEqual(
      recs.filter((x) => x.status === 'active').map((x) => x.recordId),
      [
        'XA-stolen-35209900176148',
        'XA-stolen-35209900176149',
        'XA-stolen-35209900176150',
        'XA-stolen-49015420323751',
      ],
      format,
    );
    assert.equal(recs.find((x) => x.recordId.endsWith('49015420323751'))?.reportingDate, null);
  }

  // A file changed after signing, a missing signature, a batch signed by another key than the peer's.
  writeFileSync(
    files.csv!,
    readFileSync(files.csv!, 'utf8').replace('2026-01-05,active', '2026-01-06,active'),
  );
  let r = await ceir(b, 'exchange', 'import', files.csv!, '--peer', 'xa', '--format', 'csv');
  assert.equal(r.code, 13);
  assert.match(r.err, /CEIR_ERR_BAD_SIGNATURE/);
  rmSync(`${files.gsma}.sig`);
  r = await ceir(b, 'exchange', 'import', files.gsma!, '--peer', 'xa', '--format', 'gsma');
  assert.match(r.err, /CEIR_ERR_BAD_SIGNATURE.*No signature/);
  const own = join(b, 'xb.batch');
  assert.equal((await ceir(b, 'exchange', 'export', '--out', own)).code, 0);
  r = await ceir(b, 'exchange', 'import', files.feed!, '--peer', 'xa', '--format', 'feed');
  assert.equal(r.code, 0, r.err); // the same snapshot again: nothing changes
  writeFileSync(
    join(a, 'ceir.yaml'),
    config(
      'XA',
      `    - { id: xb, country: XB, url: 'http://127.0.0.1:1', public_key: '${pubA}' }\n`,
    ),
  );
  r = await ceir(a, 'exchange', 'import', own, '--peer', 'xb');
  assert.equal(r.code, 13);
  assert.match(r.err, /CEIR_ERR_BAD_SIGNATURE/);
});
