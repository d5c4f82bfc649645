/**
 * The S13 server over real TCP on 127.0.0.1 with an in-memory checker: capabilities exchange,
 * watchdog, disconnect, ECR answers and errors, overload, pipelining, several peers, partial and
 * coalesced reads, and tshark decoding a live loopback capture of the exchange.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  EquipmentCheckResult,
  EquipmentChecker,
  EquipmentStatus,
} from '../../core/check/equipment-check.js';
import {
  APP_RELAY,
  APP_S13,
  Avp,
  CMD_FLAG_E,
  CMD_FLAG_P,
  CMD_FLAG_R,
  DiameterFramer,
  DisconnectCause,
  VENDOR_3GPP,
  decodeAvps,
  findDoic,
  OC_OLR_DEFAULT_ALGO,
  decodeMeIdentityCheckAnswer,
  decodeMessage,
  encodeCapabilitiesExchangeRequest,
  encodeDeviceWatchdogRequest,
  encodeDisconnectPeerRequest,
  encodeMeIdentityCheckRequest,
  encodeMessage,
  encodePcap,
  parseCapabilitiesExchangeAnswer,
  parsePeerAnswer,
  avp,
  type MeIdentityCheckAnswer,
  type MeIdentityCheckRequestInput,
  type PeerCapabilities,
} from '../../protocols/diameter/index.js';
import { createS13Server, type S13CheckObservation, type S13ServerOptions } from './s13-server.js';
import { AnswerDelays, answerDelaysFromMetrics } from './answer-delay.js';
import { runDiameterLoad } from './diameter-load-client.js';

const WHITE = '490154203237518';
const BLACK = '35391805123456';
const GREY = '86012345678901';
const PAIRED = '35209900176148'; // black, but white for its registered IMSI
const PAIRED_IMSI = '001010123456789';
const UNKNOWN = '99999999999999';

/** A tiny in-memory checker: statuses by 14-digit TAC+SNR, and (IMEI, IMSI) overrides. */
class FakeChecker implements EquipmentChecker {
  calls = 0;
  constructor(
    readonly version: string,
    private readonly table: ReadonlyMap<string, EquipmentStatus>,
    private readonly pairs: ReadonlyMap<string, EquipmentStatus> = new Map(),
  ) {}

  check(imei: string, imsi?: string): EquipmentCheckResult {
    this.calls++;
    const key = imei.slice(0, 14);
    const paired = imsi !== undefined ? this.pairs.get(`${key}|${imsi}`) : undefined;
    const status = paired ?? this.table.get(key);
    return status
      ? { kind: 'status', status, reasons: [paired ? 'paired' : 'listed'] }
      : { kind: 'unknown', reasons: ['not-in-gsma-tac'] };
  }
}

const table = new Map<string, EquipmentStatus>([
  [WHITE.slice(0, 14), 'WHITELISTED'],
  [BLACK, 'BLACKLISTED'],
  [GREY, 'GREYLISTED'],
  [PAIRED, 'BLACKLISTED'],
]);
const pairs = new Map<string, EquipmentStatus>([[`${PAIRED}|${PAIRED_IMSI}`, 'WHITELISTED']]);

const servers: { close(): Promise<void> }[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function startServer(
  over: Partial<S13ServerOptions> = {},
  checker: EquipmentChecker = new FakeChecker('v1', table, pairs),
) {
  const observations: S13CheckObservation[] = [];
  const server = createS13Server({
    checker: () => checker,
    originHost: 'eir.ceir.test',
    originRealm: 'ceir.test',
    productName: 'OpenCEIR',
    // The test's clients share this process's event loop: no shedding by queue delay here.
    overload: { maxInFlight: 10_000, maxQueueDelayMs: 5_000 },
    onCheck: (o) => observations.push(o),
    ...over,
  });
  const port = await server.listen(0, '127.0.0.1');
  servers.push(server);
  return { server, port, observations, checker };
}

/** A test peer: writes raw bytes, collects framed messages, waits for answers by hop-by-hop. */
class Client {
  readonly messages: Buffer[] = [];
  readonly ended: Promise<void>;
  private readonly framer = new DiameterFramer();
  private readonly answers = new Map<number, Buffer>();
  private readonly waiters = new Map<number, (m: Buffer) => void>();
  private nextId = 100;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const m of this.framer.push(chunk).messages) {
        const copy = Buffer.from(m);
        this.messages.push(copy);
        if (copy[4]! & CMD_FLAG_R) continue;
        const id = copy.readUInt32BE(12);
        this.answers.set(id, copy);
        const w = this.waiters.get(id);
        if (w) {
          this.waiters.delete(id);
          w(copy);
        }
      }
    });
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(new Client(s)));
      s.once('error', reject);
    });
  }

  id(): number {
    return this.nextId++;
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  /** The answer with this hop-by-hop id. */
  answer(hopByHop: number, timeoutMs = 5000): Promise<Buffer> {
    const have = this.answers.get(hopByHop);
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer ${hopByHop}`)), timeoutMs);
      this.waiters.set(hopByHop, (m) => {
        clearTimeout(t);
        resolve(m);
      });
    });
  }

  async request(b: Buffer): Promise<Buffer> {
    this.write(b);
    return this.answer(b.readUInt32BE(12));
  }

  /** Waits until `n` messages have arrived. */
  async count(n: number, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.messages.length < n) {
      if (Date.now() > until) throw new Error(`${this.messages.length} of ${n} messages`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

const MME: PeerCapabilities = {
  originHost: 'mme1.epc.test',
  originRealm: 'epc.test',
  hostIpAddresses: ['127.0.0.1'],
  vendorId: 10415,
  productName: 'test MME',
  vendorSpecificApplicationIds: [{ vendorId: VENDOR_3GPP, authApplicationId: APP_S13 }],
};

function cer(c: Client, caps: Partial<PeerCapabilities> = {}): Buffer {
  const id = c.id();
  return encodeCapabilitiesExchangeRequest(
    { hopByHop: id, endToEnd: id + 1_000_000 },
    {
      ...MME,
      ...caps,
    },
  );
}

function ecr(c: Client, o: Partial<MeIdentityCheckRequestInput> & { imei?: string }): Buffer {
  const id = c.id();
  return encodeMeIdentityCheckRequest({
    hopByHop: id,
    endToEnd: 0x5000_0000 + id,
    sessionId: `mme1.epc.test;1;${id}`,
    originHost: 'mme1.epc.test',
    originRealm: 'epc.test',
    destinationHost: 'eir.ceir.test',
    destinationRealm: 'ceir.test',
    terminalInformation: { imei: o.imei ?? WHITE },
    ...o,
  });
}

async function openClient(port: number, caps: Partial<PeerCapabilities> = {}): Promise<Client> {
  const c = await Client.connect(port);
  const a = decodeMessage(await c.request(cer(c, caps)));
  assert.equal(a.kind, 'ok');
  if (a.kind !== 'ok') throw new Error('bad CEA');
  const cea = parseCapabilitiesExchangeAnswer(a.message);
  assert.equal(cea.kind === 'ok' && cea.value.resultCode, 2001);
  return c;
}

function eca(b: Buffer): MeIdentityCheckAnswer {
  const d = decodeMeIdentityCheckAnswer(b);
  assert.equal(d.kind, 'ok', d.kind === 'error' ? d.reason : '');
  if (d.kind !== 'ok') throw new Error('bad ECA');
  return d.answer;
}

test('CER advertising S13 in Vendor-Specific-Application-Id: CEA 2001 with our S13 VSAI', async () => {
  const { server, port } = await startServer();
  const c = await Client.connect(port);
  const req = cer(c);
  const raw = await c.request(req);
  assert.equal(raw.readUInt32BE(16), req.readUInt32BE(16), 'end-to-end copied');
  const d = decodeMessage(raw);
  assert.ok(d.kind === 'ok');
  assert.equal(d.message.flags & (CMD_FLAG_R | CMD_FLAG_E), 0);
  const cea = parseCapabilitiesExchangeAnswer(d.message);
  assert.ok(cea.kind === 'ok');
  assert.equal(cea.value.resultCode, 2001);
  assert.equal(cea.value.originHost, 'eir.ceir.test');
  assert.equal(cea.value.originRealm, 'ceir.test');
  assert.equal(cea.value.productName, 'OpenCEIR');
  assert.deepEqual(cea.value.hostIpAddresses, ['127.0.0.1']);
  assert.deepEqual(cea.value.vendorSpecificApplicationIds, [
    { vendorId: 10415, authApplicationId: 16777252 },
  ]);
  const info = server.peers().find((p) => p.originHost === 'mme1.epc.test');
  assert.equal(info?.state, 'open');
  c.close();
});

test('CER advertising S13 as a plain Auth-Application-Id is accepted', async () => {
  const { port } = await startServer();
  const c = await openClient(port, {
    vendorSpecificApplicationIds: [],
    authApplicationIds: [APP_S13],
  });
  c.close();
});

test('a relay peer advertising 0xffffffff (a routing agent) is accepted', async () => {
  const { port } = await startServer();
  const c = await openClient(port, {
    originHost: 'dra.epc.test',
    vendorSpecificApplicationIds: [],
    authApplicationIds: [APP_RELAY],
  });
  const a = eca(await c.request(ecr(c, { imei: BLACK })));
  assert.equal(a.equipmentStatus, 1);
  c.close();
});

test('no common application: CEA 5010 and the connection is closed', async () => {
  const { port } = await startServer();
  const c = await Client.connect(port);
  const raw = await c.request(
    cer(c, {
      vendorSpecificApplicationIds: [{ vendorId: VENDOR_3GPP, authApplicationId: 16777251 }],
      authApplicationIds: [4],
    }),
  );
  const d = decodeMessage(raw);
  assert.ok(d.kind === 'ok');
  const cea = parseCapabilitiesExchangeAnswer(d.message);
  assert.ok(cea.kind === 'ok');
  assert.equal(cea.value.resultCode, 5010);
  await c.ended;
});

test('a request before CER is answered 3010 with the E bit and the connection closed', async () => {
  const { port } = await startServer();
  const c = await Client.connect(port);
  const raw = await c.request(ecr(c, {}));
  assert.ok(raw[4]! & CMD_FLAG_E);
  assert.equal(eca(raw).resultCode, 3010);
  await c.ended;
});

test('DWR is answered DWA 2001 with the ids copied', async () => {
  const { port } = await startServer();
  const c = await openClient(port);
  const req = encodeDeviceWatchdogRequest(
    { hopByHop: 0xdeadbeef, endToEnd: 0xcafef00d },
    { originHost: 'mme1.epc.test', originRealm: 'epc.test' },
  );
  const raw = await c.request(req);
  assert.equal(raw.readUInt32BE(12), 0xdeadbeef);
  assert.equal(raw.readUInt32BE(16), 0xcafef00d);
  assert.equal(raw.readUIntBE(5, 3), 280);
  const d = decodeMessage(raw);
  assert.ok(d.kind === 'ok');
  const dwa = parsePeerAnswer(d.message);
  assert.ok(dwa.kind === 'ok');
  assert.equal(dwa.value.resultCode, 2001);
  assert.equal(dwa.value.originHost, 'eir.ceir.test');
  c.close();
});

test('watchdog: a silent peer gets a DWR, and is closed when it stays silent', async () => {
  const { port } = await startServer({ watchdog: { intervalMs: 60 } });
  const c = await openClient(port);
  const start = Date.now();
  await c.count(2, 2000); // CEA, then the server's DWR
  const dwr = c.messages[1]!;
  assert.equal(dwr.readUIntBE(5, 3), 280);
  assert.ok(dwr[4]! & CMD_FLAG_R);
  await c.ended; // no DWA: closed after about 2 Tw
  assert.ok(Date.now() - start >= 100);
});

test('DPR is answered DPA 2001 and the connection closed', async () => {
  const { port } = await startServer();
  const c = await openClient(port);
  const raw = await c.request(
    encodeDisconnectPeerRequest(
      { hopByHop: 7, endToEnd: 8 },
      { originHost: 'mme1.epc.test', originRealm: 'epc.test' },
      DisconnectCause.REBOOTING,
    ),
  );
  const d = decodeMessage(raw);
  assert.ok(d.kind === 'ok');
  assert.equal(d.message.commandCode, 282);
  const dpa = parsePeerAnswer(d.message);
  assert.ok(dpa.kind === 'ok');
  assert.equal(dpa.value.resultCode, 2001);
  c.socket.end();
  await c.ended;
});

test('ECR: white, black, grey (IMSI-aware) and unknown, ids and Session-Id copied', async () => {
  const { port, observations } = await startServer();
  const c = await openClient(port);
  const cases: [Partial<MeIdentityCheckRequestInput> & { imei: string }, number | 'unknown'][] = [
    [{ imei: WHITE }, 0],
    [{ imei: BLACK }, 1],
    [{ imei: GREY }, 2],
    [{ imei: `${GREY}5` }, 2],
    [{ imei: PAIRED }, 1],
    [{ imei: PAIRED, userName: '001019999999999' }, 1],
    [{ imei: PAIRED, userName: PAIRED_IMSI }, 0],
    [{ imei: UNKNOWN }, 'unknown'],
    [{ imei: '', terminalInformation: { imei: GREY.slice(0, 14), softwareVersion: '07' } }, 2],
  ];
  for (const [input, expected] of cases) {
    const req = ecr(c, input);
    const raw = await c.request(req);
    const a = eca(raw);
    assert.equal(a.hopByHop, req.readUInt32BE(12));
    assert.equal(a.endToEnd, req.readUInt32BE(16));
    assert.equal(a.sessionId, `mme1.epc.test;1;${req.readUInt32BE(12)}`);
    assert.equal(a.originHost, 'eir.ceir.test');
    assert.equal(raw[4], CMD_FLAG_P, 'answer flags: P only');
    assert.equal(raw.readUInt32BE(8), APP_S13);
    if (expected === 'unknown') {
      assert.equal(a.resultCode, undefined);
      assert.deepEqual(a.experimentalResult, { vendorId: 10415, code: 5422 });
      assert.equal(a.equipmentStatus, undefined);
    } else {
      assert.equal(a.resultCode, 2001, JSON.stringify(input));
      assert.equal(a.equipmentStatus, expected, JSON.stringify(input));
    }
  }
  const paired = observations.find((o) => o.imsi === PAIRED_IMSI);
  assert.equal(paired?.imei, PAIRED);
  assert.equal(paired?.peer, 'mme1.epc.test');
  assert.equal(paired?.connection, 'mme1.epc.test');
  assert.deepEqual(paired?.result, { kind: 'status', status: 'WHITELISTED', reasons: ['paired'] });
  assert.equal(observations.length, cases.length);
  c.close();
});

test('the checker is asked per request: a swapped snapshot is used at once', async () => {
  let current: EquipmentChecker = new FakeChecker('v1', table);
  const server = createS13Server({
    checker: () => current,
    originHost: 'eir.ceir.test',
    originRealm: 'ceir.test',
    productName: 'OpenCEIR',
    overload: { maxInFlight: 100 },
  });
  servers.push(server);
  const port = await server.listen(0, '127.0.0.1');
  const c = await openClient(port);
  assert.equal(eca(await c.request(ecr(c, { imei: WHITE }))).equipmentStatus, 0);
  current = new FakeChecker('v2', new Map([[WHITE.slice(0, 14), 'BLACKLISTED']]));
  assert.equal(eca(await c.request(ecr(c, { imei: WHITE }))).equipmentStatus, 1);
  c.close();
});

test('missing IMEI: 5005 with a Failed-AVP naming Terminal-Information/IMEI', async () => {
  const { port } = await startServer();
  const c = await openClient(port);
  const raw = await c.request(ecr(c, { terminalInformation: { softwareVersion: '01' } }));
  const a = eca(raw);
  assert.equal(a.resultCode, 5005);
  assert.equal(raw[4]! & CMD_FLAG_E, 0, 'no E bit for 5xxx');
  assert.ok(a.failedAvp);
  const inner = decodeAvps(a.failedAvp, 0, a.failedAvp.length);
  assert.ok(inner.kind === 'ok');
  assert.equal(inner.avps[0]?.code, 1401);
  const member = decodeAvps(inner.avps[0].data, 0, inner.avps[0].data.length);
  assert.ok(member.kind === 'ok');
  assert.equal(member.avps[0]?.code, 1402);
  c.close();
});

test('an unknown AVP with the M bit: 5001 with it in Failed-AVP; without M it is ignored', async () => {
  const { port } = await startServer();
  const c = await openClient(port);
  const unknownM = { code: 99999, flags: 0x40, value: { type: 'UTF8String', value: 'x' } } as const;
  const a = eca(await c.request(ecr(c, { extraAvps: [unknownM] })));
  assert.equal(a.resultCode, 5001);
  assert.ok(a.failedAvp);
  assert.equal(a.failedAvp.readUInt32BE(0), 99999);
  const unknownNoM = { ...unknownM, flags: 0 };
  const vendorNoM = { ...unknownM, flags: 0, vendorId: 12345 };
  const b = eca(await c.request(ecr(c, { imei: GREY, extraAvps: [unknownNoM, vendorNoM] })));
  assert.equal(b.resultCode, 2001);
  assert.equal(b.equipmentStatus, 2);
  c.close();
});

test('an unsupported command is answered 3001 with the E bit', async () => {
  const { port } = await startServer();
  const c = await openClient(port);
  const id = c.id();
  const ulr = encodeMessage({
    flags: CMD_FLAG_R | CMD_FLAG_P,
    commandCode: 316,
    applicationId: 16777251,
    hopByHop: id,
    endToEnd: id,
    avps: [avp(Avp.SessionId, 'mme;ulr;1'), avp(Avp.OriginHost, 'mme1.epc.test')],
  });
  const raw = await c.request(ulr);
  assert.equal(raw.readUIntBE(5, 3), 316);
  assert.equal(raw[4]! & CMD_FLAG_E, CMD_FLAG_E);
  const d = decodeMessage(raw);
  assert.ok(d.kind === 'ok');
  const rc = d.message.avps.find((x) => x.code === 268);
  assert.equal(rc?.data.readUInt32BE(0), 3001);
  c.close();
});

test('overload: excess ECRs are answered 3004 with the E bit at once, without checking', async () => {
  const checker = new FakeChecker('v1', table, pairs);
  const answerDelays = new AnswerDelays();
  const { port, server } = await startServer(
    { overload: { maxInFlight: 8, maxQueueDelayMs: 5_000 }, answerDelays },
    checker,
  );
  const c = await openClient(port);
  const reqs = Array.from({ length: 200 }, () => ecr(c, { imei: BLACK }));
  c.write(Buffer.concat(reqs));
  const answers = await Promise.all(reqs.map((r) => c.answer(r.readUInt32BE(12))));
  let busy = 0;
  for (const raw of answers) {
    const a = eca(raw);
    if (a.resultCode === 3004) {
      busy++;
      assert.equal(raw[4]! & CMD_FLAG_E, CMD_FLAG_E);
      assert.ok(a.sessionId?.startsWith('mme1.epc.test;1;'));
    } else {
      assert.equal(a.equipmentStatus, 1);
    }
  }
  assert.ok(busy > 0, 'some were shed');
  assert.equal(checker.calls, 200 - busy, 'the checker was not asked for shed requests');
  assert.equal(server.stats().shed, busy);
  // Once the burst is over, requests are checked again.
  assert.equal(eca(await c.request(ecr(c, { imei: GREY }))).equipmentStatus, 2);
  c.close();
  // Every answer's read-to-write delay was counted, under its outcome.
  const text = answerDelays.lines().join('\n');
  assert.deepEqual(
    [answerDelaysFromMetrics(text, 'shed').at(-1), answerDelaysFromMetrics(text, 'checked').at(-1)],
    [busy, 201 - busy],
  );
});

test('overload, RFC 7683: realm-routed ECRs are shed 5012, DOIC peers get an overload report', async () => {
  const { port, server } = await startServer({
    overload: { maxInFlight: 8, maxQueueDelayMs: 5_000, report: { periodMs: 1 } },
  });
  const c = await openClient(port);
  const doic = [avp(Avp.OcSupportedFeatures, [avp(Avp.OcFeatureVector, OC_OLR_DEFAULT_ALGO)])];
  const burst = () =>
    Array.from({ length: 200 }, (_, i) =>
      // Realm-routed (no Destination-Host), or naming another host: not ours to answer 3004.
      ecr(c, { destinationHost: i % 2 ? undefined : 'eir2.ceir.test', extraAvps: doic }),
    );
  const first = burst();
  c.write(Buffer.concat(first));
  const answers = await Promise.all(first.map((r) => c.answer(r.readUInt32BE(12))));
  const codes = answers.map((raw) => eca(raw).resultCode);
  assert.ok(codes.includes(5012), 'some were shed');
  assert.ok(!codes.includes(3004), '3004 only for a request naming this server');
  for (const raw of answers) {
    const m = decodeMessage(raw);
    assert.ok(m.kind === 'ok');
    assert.equal(findDoic(m.message.avps).featureVector, OC_OLR_DEFAULT_ALGO);
    if (eca(raw).resultCode === 5012) assert.equal(raw[4]! & CMD_FLAG_E, 0, 'no E bit on 5xxx');
  }
  await new Promise((r) => setTimeout(r, 5));
  // The next answer reports the overload: a host report asking for a reduction.
  const m = decodeMessage(await c.request(ecr(c, { extraAvps: doic })));
  assert.ok(m.kind === 'ok');
  const report = findDoic(m.message.avps).report;
  assert.ok(report && report.reductionPercentage > 0, 'an OC-OLR with a reduction');
  assert.equal(report.reportType, 0, 'HOST_REPORT');
  assert.ok(server.stats().reductionPercentage > 0);
  // A peer that did not advertise DOIC gets no DOIC AVPs.
  const plain = decodeMessage(await c.request(ecr(c, {})));
  assert.ok(plain.kind === 'ok');
  assert.deepEqual(findDoic(plain.message.avps), {});
  c.close();
});

/** A checker with the bulk form; `checkMany` throws when a burst holds `poison`. */
class BulkChecker extends FakeChecker {
  bursts = 0;
  constructor(private readonly poison: string) {
    super('bulk', table, pairs);
  }
  override check(imei: string, imsi?: string): EquipmentCheckResult {
    if (imei === this.poison) throw new Error('poisoned');
    return super.check(imei, imsi);
  }
  checkMany(
    imeis: readonly string[],
    imsis: readonly (string | undefined)[] | undefined,
    out: EquipmentCheckResult[],
    n = imeis.length,
  ): void {
    this.bursts++;
    for (let i = 0; i < n; i++) out[i] = this.check(imeis[i]!, imsis?.[i]);
  }
}

test('a burst of ECRs is checked in bulk; a checker failure fails only its own request', async () => {
  const poison = '35391805111111';
  const checker = new BulkChecker(poison);
  const { port } = await startServer({}, checker);
  const c = await openClient(port);
  const imeis = Array.from({ length: 100 }, (_, i) =>
    i === 37 ? poison : [WHITE, BLACK, GREY][i % 3]!,
  );
  const reqs = imeis.map((imei) => ecr(c, { imei }));
  c.write(Buffer.concat(reqs));
  const answers = await Promise.all(reqs.map((r) => c.answer(r.readUInt32BE(12))));
  answers.forEach((raw, i) => {
    const a = eca(raw);
    if (i === 37) assert.equal(a.resultCode, 5012);
    else assert.equal(a.equipmentStatus, [0, 1, 2][i % 3], `request ${i}`);
  });
  assert.ok(checker.bursts > 0 && checker.bursts < 100, `bulk lookups: ${checker.bursts}`);
  c.close();
});

test('overload per peer: maxInFlightPerPeer bounds one connection', async () => {
  const { port } = await startServer({
    overload: { maxInFlight: 1000, maxInFlightPerPeer: 4, maxQueueDelayMs: 5_000 },
  });
  const c = await openClient(port);
  const reqs = Array.from({ length: 50 }, () => ecr(c, { imei: WHITE }));
  c.write(Buffer.concat(reqs));
  const answers = await Promise.all(reqs.map((r) => c.answer(r.readUInt32BE(12))));
  const codes = answers.map((b) => eca(b).resultCode);
  assert.ok(codes.includes(3004));
  assert.ok(codes.includes(2001));
  c.close();
});

test('many requests in flight on one connection are each answered with their own ids', async () => {
  const { port } = await startServer();
  const c = await openClient(port);
  const imeis = [WHITE, BLACK, GREY, UNKNOWN];
  const expected = [0, 1, 2, -1];
  const reqs = Array.from({ length: 1000 }, (_, i) => ecr(c, { imei: imeis[i % 4]! }));
  for (let i = 0; i < reqs.length; i += 100) c.write(Buffer.concat(reqs.slice(i, i + 100)));
  const answers = await Promise.all(reqs.map((r) => c.answer(r.readUInt32BE(12))));
  answers.forEach((raw, i) => {
    const a = eca(raw);
    assert.equal(a.endToEnd, reqs[i]!.readUInt32BE(16));
    const want = expected[i % 4]!;
    if (want < 0) assert.equal(a.experimentalResult?.code, 5422);
    else assert.equal(a.equipmentStatus, want);
  });
  assert.equal(c.messages.length, 1 + 1000);
  c.close();
});

test('several peers at once', async () => {
  const { server, port } = await startServer();
  const clients = await Promise.all(
    Array.from({ length: 6 }, (_, i) => openClient(port, { originHost: `mme${i}.epc.test` })),
  );
  assert.equal(server.peers().filter((p) => p.state === 'open').length, 6);
  await Promise.all(
    clients.map(async (c, i) => {
      const reqs = Array.from({ length: 50 }, () =>
        ecr(c, { imei: i % 2 ? BLACK : GREY, originHost: `mme${i}.epc.test` }),
      );
      c.write(Buffer.concat(reqs));
      for (const r of reqs) {
        assert.equal(eca(await c.answer(r.readUInt32BE(12))).equipmentStatus, i % 2 ? 1 : 2);
      }
    }),
  );
  for (const c of clients) c.close();
});

test('partial reads: CER and ECRs written one byte at a time', async () => {
  const { port } = await startServer();
  const c = await Client.connect(port);
  const req = cer(c);
  const e1 = ecr(c, { imei: BLACK });
  const e2 = ecr(c, { imei: PAIRED, userName: PAIRED_IMSI });
  const bytes = Buffer.concat([req, e1, e2]);
  for (let i = 0; i < bytes.length; i++) {
    c.write(bytes.subarray(i, i + 1));
    if (i % 8 === 0) await new Promise((r) => setTimeout(r, 1));
  }
  const cea = decodeMessage(await c.answer(req.readUInt32BE(12)));
  assert.ok(cea.kind === 'ok');
  assert.equal(eca(await c.answer(e1.readUInt32BE(12))).equipmentStatus, 1);
  assert.equal(eca(await c.answer(e2.readUInt32BE(12))).equipmentStatus, 0);
  c.close();
});

test('coalesced reads: CER, DWR and 50 ECRs in one write', async () => {
  const { port } = await startServer();
  const c = await Client.connect(port);
  const req = cer(c);
  const dwr = encodeDeviceWatchdogRequest(
    { hopByHop: 42, endToEnd: 42 },
    { originHost: 'mme1.epc.test', originRealm: 'epc.test' },
  );
  const ecrs = Array.from({ length: 50 }, (_, i) => ecr(c, { imei: i % 2 ? WHITE : GREY }));
  c.write(Buffer.concat([req, dwr, ...ecrs]));
  await c.count(52);
  assert.equal(c.messages[0]!.readUIntBE(5, 3), 257, 'CEA first');
  assert.equal((await c.answer(42)).readUIntBE(5, 3), 280);
  for (const [i, r] of ecrs.entries()) {
    assert.equal(eca(await c.answer(r.readUInt32BE(12))).equipmentStatus, i % 2 ? 0 : 2);
  }
  c.close();
});

test('the load client drives the server and counts result codes', async () => {
  const { port } = await startServer();
  const r = await runDiameterLoad({
    port,
    connections: 4,
    seconds: 0.5,
    count: 2000,
    window: 32,
    targets: [{ imei: WHITE }, { imei: BLACK }, { imei: UNKNOWN }],
  });
  assert.deepEqual(r.errors, []);
  assert.equal(r.sent, 2000);
  assert.equal(r.answered, 2000);
  assert.equal((r.resultCodes['2001'] ?? 0) + (r.resultCodes['5422'] ?? 0), 2000);
  assert.ok((r.equipmentStatus['0'] ?? 0) > 0 && (r.equipmentStatus['1'] ?? 0) > 0);
  assert.ok(r.latency.p99Ms > 0);
  await assert.rejects(runDiameterLoad({ port, host: '10.0.0.1', connections: 1, seconds: 1 }));
});

test('the load client as a DOIC reacting node throttles what the overload reports ask', async () => {
  const { port, server } = await startServer({
    overload: { maxInFlight: 8, maxQueueDelayMs: 5_000, report: { periodMs: 1 } },
  });
  const load = (doic: boolean) =>
    runDiameterLoad({
      port,
      connections: 4,
      seconds: 0.6,
      window: 64,
      destinationHost: 'eir.ceir.test',
      doic,
      targets: [{ imei: WHITE }],
    });
  const plain = await load(false);
  assert.ok((plain.resultCodes['3004'] ?? 0) > 0, 'the server sheds');
  assert.equal(plain.overloadReports, 0, 'no reports for a peer without DOIC');
  assert.equal(plain.throttled, 0);
  const r = await load(true);
  assert.deepEqual(r.errors, []);
  assert.ok(r.overloadReports > 0, 'reports taken');
  assert.ok(r.throttled > 0, 'requests throttled at the source');
  assert.equal(r.answered, r.sent, 'every request sent is answered, none for the throttled');
  assert.ok(server.stats().reductionPercentage > 0);
});

// --- tshark as an independent oracle on the real traffic -------------------------------------

const FIELDS = [
  'frame.number',
  'tcp.srcport',
  'diameter.cmd.code',
  'diameter.flags.request',
  'diameter.flags.error',
  'diameter.hopbyhopid',
  'diameter.endtoendid',
  'diameter.Result-Code',
  'diameter.Equipment-Status',
  'diameter.Experimental-Result-Code',
  'diameter.Vendor-Id',
  'diameter.Auth-Application-Id',
  'diameter.IMEI',
  'diameter.Product-Name',
  '_ws.malformed',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

function tsharkAvailable(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

function tsharkRows(file: string, port: number): Row[] {
  const args = ['-r', file, '-d', `tcp.port==${port},diameter`, '-Y', 'diameter'];
  args.push('-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a', '-E', 'aggregator=;');
  args.push(...FIELDS.flatMap((f) => ['-e', f]));
  const r = spawnSync('tshark', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const cols = line.split('|');
      return Object.fromEntries(FIELDS.map((f, i) => [f, cols[i] ?? ''])) as Row;
    });
}

/** Starts a loopback capture; resolves once tshark says it is capturing (or undefined). */
async function startCapture(port: number, file: string) {
  const p = spawn('tshark', ['-i', 'lo', '-f', `tcp port ${port}`, '-w', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ok = await new Promise<boolean>((resolve) => {
    let err = '';
    const t = setTimeout(() => resolve(false), 10_000);
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('Capturing on')) {
        clearTimeout(t);
        resolve(true);
      }
    });
    p.once('exit', () => {
      clearTimeout(t);
      resolve(false);
    });
  });
  if (!ok) {
    p.kill('SIGKILL');
    return undefined;
  }
  // "Capturing on" comes a moment before packets are really captured.
  await new Promise((r) => setTimeout(r, 1500));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        p.once('exit', () => resolve());
        p.kill('SIGINT');
      }),
  };
}

const skipTshark =
  !tsharkAvailable() && process.env.CI !== 'true'
    ? 'tshark not found: apt-get install tshark (required in CI)'
    : false;

test('tshark decodes the captured CEA and ECA traffic', { skip: skipTshark }, async () => {
  assert.ok(tsharkAvailable(), 'tshark is required in CI: apt-get install tshark');
  const { port } = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'ceir-s13-'));
  try {
    const file = join(dir, 's13.pcap');
    const capture = await startCapture(port, file);
    // Fallback when live capture is not possible: the exact bytes, written as a pcap.
    const recorded: { payload: Buffer; fromClient: boolean }[] = [];
    const c = await Client.connect(port);
    const exchange = async (req: Buffer): Promise<Buffer> => {
      recorded.push({ payload: req, fromClient: true });
      const a = await c.request(req);
      recorded.push({ payload: a, fromClient: false });
      await new Promise((r) => setTimeout(r, 20)); // one frame per message on the wire
      return a;
    };
    const reqCer = cer(c);
    await exchange(reqCer);
    const reqs = [
      ecr(c, { imei: WHITE }),
      ecr(c, { imei: BLACK }),
      ecr(c, { imei: PAIRED, userName: PAIRED_IMSI }),
      ecr(c, { imei: GREY }),
      ecr(c, { imei: UNKNOWN }),
    ];
    for (const r of reqs) await exchange(r);
    c.close();
    await new Promise((r) => setTimeout(r, 200));
    if (capture) await capture.stop();
    else writeFileSync(file, encodePcap(recorded, { serverPort: port, clientIp: '127.0.0.1' }));
    assert.ok(readFileSync(file).length > 24, 'capture written');
    const rows = tsharkRows(file, port);
    const answers = rows.filter((r) => r['diameter.flags.request'] === '0');
    assert.equal(answers.length, 1 + reqs.length, JSON.stringify(rows));
    for (const r of rows) assert.equal(r['_ws.malformed'], '', `frame ${r['frame.number']}`);

    // CEA: 2001, our product, VSAI {10415, 16777252}, hop-by-hop copied.
    const ceaRow = answers.find((r) => r['diameter.cmd.code'] === '257')!;
    assert.equal(ceaRow['tcp.srcport'], String(port));
    assert.equal(ceaRow['diameter.Result-Code'], '2001');
    assert.equal(ceaRow['diameter.Product-Name'], 'OpenCEIR');
    assert.ok(ceaRow['diameter.Vendor-Id'].split(';').includes('10415'));
    assert.equal(ceaRow['diameter.Auth-Application-Id'], '16777252');
    assert.equal(Number(ceaRow['diameter.hopbyhopid']), reqCer.readUInt32BE(12));
    assert.equal(Number(ceaRow['diameter.endtoendid']), reqCer.readUInt32BE(16));

    // ECAs, in request order (one at a time on the wire).
    const ecaRows = answers.filter((r) => r['diameter.cmd.code'] === '324');
    const want = [
      ['2001', '0', ''],
      ['2001', '1', ''],
      ['2001', '0', ''],
      ['2001', '2', ''],
      ['', '', '5422'],
    ];
    ecaRows.forEach((r, i) => {
      const [rc, es, exp] = want[i]!;
      assert.equal(r['diameter.Result-Code'], rc, `ECA ${i} Result-Code`);
      assert.equal(r['diameter.Equipment-Status'], es, `ECA ${i} Equipment-Status`);
      assert.equal(r['diameter.Experimental-Result-Code'], exp, `ECA ${i} Experimental-Result`);
      assert.equal(r['diameter.flags.error'], '0', `ECA ${i} E bit`);
      assert.equal(Number(r['diameter.hopbyhopid']), reqs[i]!.readUInt32BE(12), `ECA ${i} h-b-h`);
      assert.equal(Number(r['diameter.endtoendid']), reqs[i]!.readUInt32BE(16), `ECA ${i} e-t-e`);
    });
    // The ECRs as tshark read them carry the IMEIs we sent.
    const ecrRows = rows.filter(
      (r) => r['diameter.cmd.code'] === '324' && r['diameter.flags.request'] !== '0',
    );
    assert.deepEqual(
      ecrRows.map((r) => r['diameter.IMEI']),
      [WHITE, BLACK, PAIRED, GREY, UNKNOWN],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
