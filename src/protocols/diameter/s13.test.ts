import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AVP_FLAG_M, decodeAvps, encodeAvps, type OutAvp } from './avp.js';
import { Avp, avp } from './dictionary.js';
import { encodeMessage, decodeMessage } from './message.js';
import {
  decodeMeIdentityCheckRequest,
  parseMeIdentityCheckRequest,
} from './s13-request-decoder.js';
import {
  decodeMeIdentityCheckAnswer,
  encodeMeIdentityCheckAnswer,
  encodeMeIdentityCheckRequest,
  type MeIdentityCheckRequestInput,
} from './s13.js';

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const input: fc.Arbitrary<MeIdentityCheckRequestInput> = fc.record(
  {
    hopByHop: fc.integer({ min: 0, max: 0xffffffff }),
    endToEnd: fc.integer({ min: 0, max: 0xffffffff }),
    sessionId: text,
    originHost: text,
    originRealm: text,
    destinationRealm: text,
    destinationHost: text,
    authSessionState: fc.constantFrom(0, 1),
    terminalInformation: fc.record(
      {
        imei: fc.stringMatching(/^[0-9]{14,16}$/),
        softwareVersion: fc.stringMatching(/^[0-9]{2}$/),
        meid: fc.uint8Array({ minLength: 7, maxLength: 7 }),
      },
      { requiredKeys: ['imei'] },
    ),
    userName: fc.stringMatching(/^[0-9]{6,15}$/),
    vendorSpecificApplicationId: fc.boolean(),
  },
  {
    requiredKeys: [
      'hopByHop',
      'endToEnd',
      'sessionId',
      'originHost',
      'originRealm',
      'destinationRealm',
      'terminalInformation',
    ],
  },
);

const base: MeIdentityCheckRequestInput = {
  hopByHop: 7,
  endToEnd: 9,
  sessionId: 'mme;1;2',
  originHost: 'mme',
  originRealm: 'realm',
  destinationRealm: 'eir.realm',
  terminalInformation: { imei: '35693803564380', softwareVersion: '01' },
};

test('any ECR encodes and decodes (fast path and decoded message) to the same fields', () => {
  fc.assert(
    fc.property(input, (r) => {
      const bytes = encodeMeIdentityCheckRequest(r);
      const d = decodeMeIdentityCheckRequest(bytes);
      assert.equal(d.kind, 'ok', d.kind === 'error' ? d.reason : '');
      if (d.kind !== 'ok') return;
      const q = d.request;
      assert.deepEqual(
        [q.hopByHop, q.endToEnd, q.flags, q.commandCode, q.applicationId],
        [r.hopByHop, r.endToEnd, 0xc0, 324, 16777252],
      );
      assert.deepEqual(
        [
          q.sessionId,
          q.originHost,
          q.originRealm,
          q.destinationRealm,
          q.destinationHost,
          q.userName,
        ],
        [
          r.sessionId,
          r.originHost,
          r.originRealm,
          r.destinationRealm,
          r.destinationHost,
          r.userName,
        ],
      );
      assert.equal(q.authSessionState, r.authSessionState ?? 1);
      assert.equal(q.terminalInformation.imei, r.terminalInformation.imei);
      assert.equal(q.terminalInformation.softwareVersion, r.terminalInformation.softwareVersion);
      assert.deepEqual(
        q.terminalInformation.meid && new Uint8Array(q.terminalInformation.meid),
        r.terminalInformation.meid,
      );
      const m = decodeMessage(bytes);
      assert.ok(m.kind === 'ok');
      assert.deepEqual(parseMeIdentityCheckRequest(m.message), d);
    }),
  );
});

test('the ECR decoder never throws on random or corrupted input', () => {
  fc.assert(
    fc.property(
      input,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      fc.nat(),
      (r, edits, cut) => {
        const bytes = encodeMeIdentityCheckRequest(r);
        for (const [at, b] of edits) bytes[20 + (at % (bytes.length - 20))] = b;
        decodeMeIdentityCheckRequest(bytes);
        decodeMeIdentityCheckRequest(bytes.subarray(0, cut % bytes.length));
      },
    ),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 100 }),
      (b) => void decodeMeIdentityCheckRequest(Buffer.from(b)),
    ),
  );
});

function without(name: string): Buffer {
  const m = decodeMessage(encodeMeIdentityCheckRequest(base));
  assert.ok(m.kind === 'ok');
  const def = Object.values(Avp).find((d) => d.name === name)!;
  const kept = m.message.avps.filter((a) => a.code !== def.code);
  const body = Buffer.concat(
    kept.map((a) =>
      m.message.bytes.subarray(
        a.offset,
        a.offset + ((a.data.length + (a.vendorId ? 12 : 8) + 3) & ~3),
      ),
    ),
  );
  const out = Buffer.concat([m.message.bytes.subarray(0, 20), body]);
  out.writeUIntBE(out.length, 1, 3);
  return out;
}

test('a missing mandatory AVP is 5005 with an example of it in Failed-AVP', () => {
  for (const name of [
    'Session-Id',
    'Auth-Session-State',
    'Origin-Host',
    'Origin-Realm',
    'Destination-Realm',
    'Terminal-Information',
  ]) {
    const d = decodeMeIdentityCheckRequest(without(name));
    assert.equal(d.kind, 'error', name);
    if (d.kind !== 'error') continue;
    assert.equal(d.resultCode, 5005, name);
    const f = decodeAvps(d.failedAvp!);
    assert.ok(f.kind === 'ok');
    assert.equal(Object.values(Avp).find((x) => x.code === f.avps[0]!.code)?.name, name);
    assert.equal(d.context?.hopByHop, 7);
  }
  const noImei = decodeMeIdentityCheckRequest(
    encodeMeIdentityCheckRequest({ ...base, terminalInformation: { softwareVersion: '01' } }),
  );
  assert.equal(noImei.kind === 'error' && noImei.resultCode, 5005);
});

test('unknown AVPs: ignored without the M bit, 5001 with Failed-AVP with it', () => {
  const plain: OutAvp = { code: 99999, flags: 0, value: { type: 'UTF8String', value: 'x' } };
  const mandatory: OutAvp = { ...plain, flags: AVP_FLAG_M };
  assert.equal(
    decodeMeIdentityCheckRequest(encodeMeIdentityCheckRequest({ ...base, extraAvps: [plain] }))
      .kind,
    'ok',
  );
  const d = decodeMeIdentityCheckRequest(
    encodeMeIdentityCheckRequest({ ...base, extraAvps: [mandatory] }),
  );
  assert.ok(d.kind === 'error');
  assert.equal(d.resultCode, 5001);
  assert.deepEqual(d.failedAvp, encodeAvps([mandatory]));
  // Inside Terminal-Information: Failed-AVP is the group holding just the offending member.
  const ti = avp(Avp.TerminalInformation, [avp(Avp.Imei, '35693803564380'), mandatory]);
  const bytes = encodeMessage({
    flags: 0xc0,
    commandCode: 324,
    applicationId: 16777252,
    hopByHop: 1,
    endToEnd: 1,
    avps: [
      avp(Avp.SessionId, 's'),
      avp(Avp.AuthSessionState, 1),
      avp(Avp.OriginHost, 'h'),
      avp(Avp.OriginRealm, 'r'),
      avp(Avp.DestinationRealm, 'd'),
      ti,
    ],
  });
  const e = decodeMeIdentityCheckRequest(bytes);
  assert.ok(e.kind === 'error');
  assert.equal(e.resultCode, 5001);
  assert.deepEqual(e.failedAvp, encodeAvps([avp(Avp.TerminalInformation, [mandatory])]));
});

test('other request errors: repeats 5009, bad values 5004, wrong command 3001, application 3007', () => {
  const dup = encodeMeIdentityCheckRequest({ ...base, extraAvps: [avp(Avp.OriginHost, 'again')] });
  assert.equal((decodeMeIdentityCheckRequest(dup) as { resultCode: number }).resultCode, 5009);
  const ass = encodeMeIdentityCheckRequest({ ...base, authSessionState: 7 });
  assert.equal((decodeMeIdentityCheckRequest(ass) as { resultCode: number }).resultCode, 5004);
  const utf = encodeMeIdentityCheckRequest({ ...base, userName: 'ab' });
  utf[utf.length - 4] = 0xff; // the User-Name's first byte
  assert.equal((decodeMeIdentityCheckRequest(utf) as { resultCode: number }).resultCode, 5004);
  const cmd = encodeMeIdentityCheckRequest(base);
  cmd.writeUIntBE(316, 5, 3);
  assert.equal((decodeMeIdentityCheckRequest(cmd) as { resultCode: number }).resultCode, 3001);
  const app = encodeMeIdentityCheckRequest(base);
  app.writeUInt32BE(16777251, 8);
  assert.equal((decodeMeIdentityCheckRequest(app) as { resultCode: number }).resultCode, 3007);
});

test('ECA: ids and P copied, Proxy-Info copied, E bit only for 3xxx, decodes back', () => {
  const proxy = avp(Avp.ProxyInfo, [
    avp(Avp.ProxyHost, 'dra1'),
    avp(Avp.ProxyState, new Uint8Array([1, 2, 3])),
  ]);
  const d = decodeMeIdentityCheckRequest(
    encodeMeIdentityCheckRequest({ ...base, extraAvps: [proxy] }),
  );
  assert.ok(d.kind === 'ok');
  for (const result of [
    { kind: 'status', equipmentStatus: 1 },
    { kind: 'experimental', code: 5422 },
    { kind: 'result', code: 3004 },
    { kind: 'result', code: 5005, failedAvp: encodeAvps([avp(Avp.Imei, '')]) },
    { kind: 'result', code: 5012, errorMessage: 'snapshot not loaded' },
  ] as const) {
    for (const host of ['eir1', 'eir2']) {
      const bytes = encodeMeIdentityCheckAnswer({
        request: d.request,
        originHost: host,
        originRealm: 'r',
        result,
      });
      const a = decodeMeIdentityCheckAnswer(bytes);
      assert.ok(a.kind === 'ok', JSON.stringify(a));
      const x = a.answer;
      assert.deepEqual(
        [x.hopByHop, x.endToEnd, x.sessionId, x.originHost],
        [7, 9, 'mme;1;2', host],
      );
      assert.equal(x.flags, result.kind === 'result' && result.code < 4000 ? 0x60 : 0x40);
      assert.equal(x.equipmentStatus, result.kind === 'status' ? 1 : undefined);
      assert.equal(x.experimentalResult?.code, result.kind === 'experimental' ? 5422 : undefined);
      assert.equal(
        x.resultCode,
        result.kind === 'status' ? 2001 : result.kind === 'result' ? result.code : undefined,
      );
      assert.ok(bytes.includes(encodeAvps([proxy])), 'Proxy-Info copied verbatim');
      if (result.kind === 'result' && 'failedAvp' in result)
        assert.deepEqual(x.failedAvp, result.failedAvp);
    }
  }
});
