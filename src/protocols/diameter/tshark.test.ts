/**
 * tshark as an independent oracle (domain.md §6): the golden messages are written to a pcap
 * (Ethernet/IPv4/TCP port 3868) and Wireshark's Diameter dissector must read back the command,
 * flags, application, IMEI, Equipment-Status, Result-Code, Experimental-Result-Code and
 * Vendor-Specific-Application-Id, with no malformed packet and no expert error. In CI a missing
 * tshark fails the test; elsewhere it skips.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN, SESSION_ID } from './golden-messages.js';
import { encodePcap } from './pcap.js';

const FIELDS = [
  'frame.number',
  'diameter.cmd.code',
  'diameter.flags.request',
  'diameter.flags.proxyable',
  'diameter.flags.error',
  'diameter.applicationId',
  'diameter.IMEI',
  'diameter.Equipment-Status',
  'diameter.Result-Code',
  'diameter.Experimental-Result-Code',
  'diameter.Vendor-Specific-Application-Id',
  'diameter.Failed-AVP',
  'diameter.Session-Id',
  '_ws.malformed',
  '_ws.expert.severity',
  '_ws.expert.message',
] as const;

/** Wireshark's PI_ERROR expert severity; warnings (unknown AVP 99999, empty IMEI) are below. */
const PI_ERROR = 0x00800000;

function tsharkAvailable(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

function tsharkFields(pcap: Buffer): Record<(typeof FIELDS)[number], string>[] {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-tshark-'));
  try {
    const file = join(dir, 'golden.pcap');
    writeFileSync(file, pcap);
    const args = ['-r', file, '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a'];
    args.push('-E', 'aggregator=;', ...FIELDS.flatMap((f) => ['-e', f]));
    const r = spawnSync('tshark', args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const cols = line.split('|');
        return Object.fromEntries(FIELDS.map((f, i) => [f, cols[i] ?? ''])) as Record<
          (typeof FIELDS)[number],
          string
        >;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const skip =
  !tsharkAvailable() && process.env.CI !== 'true'
    ? 'tshark not found: apt-get install tshark (required in CI)'
    : false;

test('tshark decodes every golden message as we meant it', { skip }, () => {
  assert.ok(tsharkAvailable(), 'tshark is required in CI: apt-get install tshark');
  const pcap = encodePcap(GOLDEN.map((g) => ({ payload: g.bytes, fromClient: g.fromClient })));
  const rows = tsharkFields(pcap);
  assert.equal(rows.length, GOLDEN.length);
  GOLDEN.forEach((g, i) => {
    const row = rows[i]!;
    const e = g.expected;
    const at = `${g.name} (frame ${i + 1})`;
    assert.equal(row['diameter.cmd.code'], String(e.cmd), at);
    assert.equal(row['diameter.flags.request'], e.request ? '1' : '0', `${at} R`);
    assert.equal(row['diameter.flags.proxyable'], e.proxiable ? '1' : '0', `${at} P`);
    assert.equal(row['diameter.flags.error'], e.error ? '1' : '0', `${at} E`);
    assert.equal(row['diameter.applicationId'], String(e.app), at);
    assert.equal(row['diameter.IMEI'], e.imei ?? '', `${at} IMEI`);
    assert.equal(row['diameter.Equipment-Status'], e.equipmentStatus?.toString() ?? '', at);
    assert.equal(row['diameter.Result-Code'], e.resultCode?.toString() ?? '', `${at} Result-Code`);
    assert.equal(
      row['diameter.Experimental-Result-Code'],
      e.experimentalResultCode?.toString() ?? '',
      at,
    );
    // Vendor-Specific-Application-Id {Vendor-Id 10415, Auth-Application-Id 16777252}.
    const vsai = e.vsai ? '0000010a4000000c000028af000001024000000c01000024' : '';
    assert.equal(row['diameter.Vendor-Specific-Application-Id'], vsai, `${at} VSAI`);
    assert.equal(row['diameter.Failed-AVP'] !== '', e.failedAvp === true, `${at} Failed-AVP`);
    if (e.app !== 0) assert.equal(row['diameter.Session-Id'], SESSION_ID, at);
    assert.equal(row['_ws.malformed'], '', `${at} malformed`);
    for (const s of row['_ws.expert.severity'].split(';').filter(Boolean)) {
      assert.ok(Number(s) < PI_ERROR, `${at}: ${row['_ws.expert.message']}`);
    }
  });
});
