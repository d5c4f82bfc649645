import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AVP_FLAG_M, decodeAvps } from './avp.js';
import { encodeErrorAnswer } from './answer.js';
import {
  commonApplications,
  encodeCapabilitiesExchangeAnswer,
  encodeCapabilitiesExchangeRequest,
  encodeDeviceWatchdogRequest,
  encodeDisconnectPeerRequest,
  parseCapabilitiesExchangeAnswer,
  parseCapabilitiesExchangeRequest,
  parsePeerRequest,
  type PeerCapabilities,
} from './base.js';
import { APP_RELAY, APP_S13 } from './dictionary.js';
import { decodeMessage, encodeMessage, readHeader, type DiameterMessage } from './message.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const caps: fc.Arbitrary<PeerCapabilities> = fc.record(
  {
    originHost: fc.string({ minLength: 1 }),
    originRealm: fc.string({ minLength: 1 }),
    hostIpAddresses: fc.array(fc.oneof(fc.ipV4(), fc.constant('2001:db8::1')), {
      minLength: 1,
      maxLength: 3,
    }),
    vendorId: u32,
    productName: fc.string(),
    originStateId: u32,
    supportedVendorIds: fc.array(u32, { maxLength: 3 }),
    authApplicationIds: fc.array(u32, { maxLength: 3 }),
    inbandSecurityIds: fc.array(fc.constantFrom(0, 1), { maxLength: 1 }),
    acctApplicationIds: fc.array(u32, { maxLength: 2 }),
    vendorSpecificApplicationIds: fc.array(
      fc.oneof(
        fc.record({ vendorId: u32, authApplicationId: u32 }),
        fc.record({ vendorId: u32, acctApplicationId: u32 }),
      ),
      { maxLength: 3 },
    ),
    firmwareRevision: u32,
  },
  { requiredKeys: ['originHost', 'originRealm', 'hostIpAddresses', 'vendorId', 'productName'] },
);

function decoded(b: Buffer): DiameterMessage {
  const d = decodeMessage(b);
  assert.ok(d.kind === 'ok', d.kind === 'error' ? d.reason : '');
  return d.message;
}

/** The parsed form: absent lists are empty; plain objects (fast-check makes null-prototype ones). */
const full = (c: PeerCapabilities): PeerCapabilities =>
  JSON.parse(
    JSON.stringify({
      supportedVendorIds: [],
      authApplicationIds: [],
      inbandSecurityIds: [],
      acctApplicationIds: [],
      vendorSpecificApplicationIds: [],
      ...c,
    }),
  ) as PeerCapabilities;

test('CER and CEA round-trip any capabilities', () => {
  fc.assert(
    fc.property(caps, u32, (c, id) => {
      const cer = encodeCapabilitiesExchangeRequest({ hopByHop: id, endToEnd: id }, c);
      const p = parseCapabilitiesExchangeRequest(decoded(cer));
      assert.ok(p.kind === 'ok', JSON.stringify(p));
      assert.deepEqual(p.value, full(c));
      const cea = encodeCapabilitiesExchangeAnswer(readHeader(cer), 5010, c, {
        errorMessage: 'none',
      });
      const a = parseCapabilitiesExchangeAnswer(decoded(cea));
      assert.ok(a.kind === 'ok', JSON.stringify(a));
      assert.deepEqual(a.value, { ...full(c), resultCode: 5010, errorMessage: 'none' });
      assert.equal(readHeader(cea).hopByHop, id);
    }),
  );
});

test('common applications: the relay application shares everything; none means 5010', () => {
  const peer = (ids: number[]): PeerCapabilities => ({
    originHost: 'h',
    originRealm: 'r',
    hostIpAddresses: ['10.0.0.1'],
    vendorId: 0,
    productName: 'p',
    authApplicationIds: ids,
  });
  assert.deepEqual(commonApplications([APP_S13], peer([APP_RELAY])), [APP_S13]);
  assert.deepEqual(commonApplications([APP_S13], peer([16777251])), []);
  assert.deepEqual(
    commonApplications([APP_S13], {
      ...peer([]),
      vendorSpecificApplicationIds: [{ vendorId: 10415, authApplicationId: APP_S13 }],
    }),
    [APP_S13],
  );
});

test('CER errors: missing Origin-Host 5005, unknown M-bit AVP 5001, both with Failed-AVP', () => {
  const c: PeerCapabilities = {
    originHost: 'h',
    originRealm: 'r',
    hostIpAddresses: ['10.0.0.1'],
    vendorId: 0,
    productName: 'p',
  };
  const m = decoded(encodeCapabilitiesExchangeRequest({ hopByHop: 1, endToEnd: 1 }, c));
  const missing = parseCapabilitiesExchangeRequest({
    ...m,
    avps: m.avps.filter((a) => a.code !== 264),
  });
  assert.ok(missing.kind === 'error');
  assert.equal(missing.resultCode, 5005);
  const f = decodeAvps(missing.failedAvp!);
  assert.equal(f.kind === 'ok' && f.avps[0]!.code, 264);
  const extra = encodeMessage({
    ...readHeader(m.bytes),
    avps: [{ code: 4242, flags: AVP_FLAG_M, value: { type: 'Unsigned32', value: 1 } }],
  });
  const unknown = parseCapabilitiesExchangeRequest({
    ...m,
    avps: [...m.avps, ...decoded(extra).avps],
  });
  assert.equal(unknown.kind === 'error' && unknown.resultCode, 5001);
});

test('DWR and DPR parse; an error answer carries E for 3xxx only and copies the ids', () => {
  const dwr = decoded(
    encodeDeviceWatchdogRequest(
      { hopByHop: 5, endToEnd: 6 },
      { originHost: 'h', originRealm: 'r', originStateId: 3 },
    ),
  );
  assert.deepEqual(parsePeerRequest(dwr), {
    kind: 'ok',
    value: { originHost: 'h', originRealm: 'r', originStateId: 3 },
  });
  const dpr = decoded(
    encodeDisconnectPeerRequest(
      { hopByHop: 5, endToEnd: 6 },
      { originHost: 'h', originRealm: 'r' },
      2,
    ),
  );
  assert.deepEqual(parsePeerRequest(dpr), {
    kind: 'ok',
    value: { originHost: 'h', originRealm: 'r', disconnectCause: 2 },
  });
  for (const [code, flags] of [
    [3001, 0x20],
    [5012, 0],
  ] as const) {
    const a = decoded(
      encodeErrorAnswer({
        request: dwr,
        originHost: 'e',
        originRealm: 'r',
        result: { kind: 'result', code },
      }),
    );
    assert.deepEqual([a.flags, a.commandCode, a.hopByHop, a.endToEnd], [flags, 280, 5, 6]);
  }
});
