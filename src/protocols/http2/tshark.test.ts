/**
 * tshark as an independent oracle for what we put on the wire: node's http2 client talks to our
 * server through a recording TCP relay; the bytes of both directions go into a pcap (Ethernet /
 * IPv4 / TCP, port 8080 decoded as HTTP/2) and Wireshark's HTTP/2 dissector must read back our
 * SETTINGS, the responses' :status and headers (HPACK) and the DATA, with no malformed packet
 * and no expert error. In CI a missing tshark fails the test; elsewhere it skips.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcap, type PcapSegment } from '../diameter/pcap.js';
import { encodeResponseHeaders } from './hpack-encoder.js';
import { createHttp2SocketServer } from './socket-server.js';

const PORT = 8080;
const PI_ERROR = 0x00800000;
const FIELDS = [
  'http2.type',
  'http2.streamid',
  'http2.headers.status',
  'http2.header.name',
  'http2.header.value',
  'http2.data.data',
  '_ws.malformed',
  '_ws.expert.severity',
] as const;

function tsharkAvailable(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

const skip =
  !tsharkAvailable() && process.env.CI !== 'true'
    ? 'tshark not found: apt-get install tshark (required in CI)'
    : false;

/** Client and server bytes, relayed and recorded in order. */
async function record(): Promise<PcapSegment[]> {
  const segments: PcapSegment[] = [];
  const body = Buffer.from('{"status":"WHITELISTED"}');
  const block = encodeResponseHeaders(200, [
    ['content-type', 'application/json'],
    ['content-length', String(body.length)],
  ]);
  const notFound = encodeResponseHeaders(404, [['x-reason', 'no such path']]);
  const { server } = createHttp2SocketServer({
    onRequest: (c, id, head) =>
      head.path.startsWith('/n5g') ? c.respond(id, block, body) : c.respond(id, notFound),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const target = (server.address() as net.AddressInfo).port;
  const relay = net.createServer((inbound) => {
    const outbound = net.connect(target, '127.0.0.1');
    const rec = (fromClient: boolean) => (d: Buffer) => {
      for (let i = 0; i < d.length; i += 1400)
        segments.push({ payload: d.subarray(i, i + 1400), fromClient });
    };
    inbound.on('data', rec(true)).pipe(outbound);
    outbound.on('data', rec(false)).pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const client = http2.connect(`http://127.0.0.1:${(relay.address() as net.AddressInfo).port}`);
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const req = client.request({ ':path': path }, { endStream: true });
      req.on('error', reject).resume().on('end', resolve);
    });
  try {
    await get('/n5g-eir-eic/v1/equipment-status?pei=imei-490154203237518');
    await get('/other');
  } finally {
    client.close();
    await new Promise((r) => client.once('close', r));
    relay.close();
    server.close();
  }
  return segments;
}

test('tshark decodes our HTTP/2 answers as we meant them', { skip }, async () => {
  assert.ok(tsharkAvailable(), 'tshark is required in CI: apt-get install tshark');
  const pcap = encodePcap(await record(), { serverPort: PORT });
  const dir = mkdtempSync(join(tmpdir(), 'ceir-h2-tshark-'));
  try {
    const file = join(dir, 'h2.pcap');
    writeFileSync(file, pcap);
    const args = ['-r', file, '-d', `tcp.port==${PORT},http2`, '-T', 'fields'];
    args.push('-E', 'separator=|', '-E', 'occurrence=a', '-E', 'aggregator=;');
    args.push('-Y', `tcp.srcport==${PORT}`, ...FIELDS.flatMap((f) => ['-e', f]));
    const r = spawnSync('tshark', args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    const col = (name: (typeof FIELDS)[number]) => FIELDS.indexOf(name);
    const all = (name: (typeof FIELDS)[number]) =>
      rows.flatMap((c) => (c[col(name)] ?? '').split(';')).filter(Boolean);
    assert.deepEqual(all('_ws.malformed'), []);
    assert.ok(
      all('_ws.expert.severity').every((s) => Number(s) < PI_ERROR),
      r.stdout,
    );
    assert.deepEqual(all('http2.headers.status'), ['200', '404']);
    const names = all('http2.header.name');
    const values = all('http2.header.value');
    const fields = names.map((n, i) => `${n}: ${values[i]}`);
    for (const f of [
      ':status: 200',
      'content-type: application/json',
      'content-length: 24',
      ':status: 404',
      'x-reason: no such path',
    ]) {
      assert.ok(fields.includes(f), `${f} in ${fields.join(', ')}`);
    }
    const types = all('http2.type').map(Number);
    assert.ok(types.includes(4) && types.includes(1) && types.includes(0), `frame types ${types}`);
    assert.deepEqual(
      all('http2.data.data').map((h) => Buffer.from(h.replace(/:/g, ''), 'hex').toString()),
      ['{"status":"WHITELISTED"}'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
