/**
 * The in-place ECR decoder (s13-request-decoder.ts) against the decoder it replaced
 * (s13-request-decoder-reference.ts): over random ECRs (every optional AVP, unicode and invalid
 * UTF-8, Proxy-Info, OC-Supported-Features, vendor-specific and M-bit unknown AVPs, repeats,
 * missing mandatory AVPs) and over the same bytes garbled and truncated, the result is the same:
 * every field of a request, every error (Result-Code, reason, offset, Failed-AVP, context). The
 * answer built from the Session-Id bytes is byte for byte the answer built from its text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pad4 } from './avp.js';
import { LastText } from './last-text.js';
import { InPlaceEcr } from './s13-request-in-place.js';
import {
  decodeMeIdentityCheckRequest,
  type MeIdentityCheckRequest,
  type MeIdentityCheckRequestResult,
} from './s13-request-decoder.js';
import {
  decodeMeIdentityCheckRequestReference,
  type ReferenceEcrResult,
} from './s13-request-decoder-reference.js';
import { encodeMeIdentityCheckAnswer, type MeIdentityCheckResult } from './s13.js';

const M = 0x40;
const V3GPP = 10415;

/** One AVP as bytes; `vendor` sets the V bit (even vendor 0); `lengthDelta` lies about length. */
function rawAvp(
  code: number,
  flags: number,
  vendor: number | undefined,
  data: Uint8Array,
  lengthDelta = 0,
): Buffer {
  const hl = vendor === undefined ? 8 : 12;
  const len = hl + data.length;
  const out = Buffer.alloc(pad4(len));
  out.writeUInt32BE(code >>> 0, 0);
  out.writeUInt32BE(Math.max(0, len + lengthDelta) & 0xffffff, 4);
  out[4] = (flags & 0x7f) | (vendor === undefined ? 0 : 0x80);
  if (vendor !== undefined) out.writeUInt32BE(vendor >>> 0, 8);
  out.set(data, hl);
  return out;
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** UTF8String values: mostly valid (ASCII, unicode), some not UTF-8 at all. */
const textBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }).map((s) => Buffer.from(s, 'utf8')) },
  {
    weight: 3,
    arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => Buffer.from(s, 'utf8')),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constant(Buffer.from([0x61, 0xc3])) }, // cut multibyte sequence
);

const digits = (min: number, max: number): fc.Arbitrary<Uint8Array> =>
  fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`)).map((s) => Buffer.from(s));

const textAvp = (code: number, value: fc.Arbitrary<Uint8Array> = textBytes) =>
  fc.tuple(value, fc.constantFrom(M, 0, M | 0x20)).map(([v, f]) => rawAvp(code, f, undefined, v));

const authSessionState = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, 1).map((v) => rawAvp(277, M, undefined, u32(v))) },
  { weight: 1, arbitrary: fc.nat().map((v) => rawAvp(277, M, undefined, u32(v))) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 6 }).map((d) => rawAvp(277, M, undefined, d)),
  },
);

const unknownAvp = fc
  .tuple(
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.constantFrom(0, M),
    fc.option(fc.constantFrom(0, V3GPP, 9, 0xffffffff), { nil: undefined }),
    fc.uint8Array({ maxLength: 10 }),
  )
  .map(([c, f, v, d]) => rawAvp(c, f, v, d));

const terminalMember = fc.oneof(
  { weight: 4, arbitrary: digits(14, 16).map((d) => rawAvp(1402, M, V3GPP, d)) },
  { weight: 1, arbitrary: textBytes.map((d) => rawAvp(1402, M, V3GPP, d)) },
  { weight: 3, arbitrary: digits(2, 2).map((d) => rawAvp(1403, M, V3GPP, d)) },
  { weight: 1, arbitrary: textBytes.map((d) => rawAvp(1403, M, V3GPP, d)) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 8 }).map((d) => rawAvp(1471, M, V3GPP, d)) },
  { weight: 1, arbitrary: digits(14, 14).map((d) => rawAvp(1402, M, undefined, d)) }, // no vendor
  { weight: 1, arbitrary: unknownAvp },
  {
    weight: 1,
    arbitrary: fc
      .tuple(digits(14, 14), fc.integer({ min: -12, max: 12 }))
      .map(([d, delta]) => rawAvp(1402, M, V3GPP, d, delta)),
  },
);

const terminalInformation = fc
  .array(terminalMember, { maxLength: 4 })
  .map((ms) => rawAvp(1401, M, V3GPP, Buffer.concat(ms)));

const proxyInfo = fc
  .tuple(textBytes, fc.uint8Array({ maxLength: 9 }))
  .map(([host, state]) =>
    rawAvp(
      284,
      M,
      undefined,
      Buffer.concat([rawAvp(280, M, undefined, host), rawAvp(33, M, undefined, state)]),
    ),
  );

/** Proxy-Info whose own length is not a multiple of 4 (a sender that pads only the message). */
const oddProxyInfo = fc
  .uint8Array({ minLength: 1, maxLength: 7 })
  .filter((d) => d.length % 4 !== 0)
  .map((d) => rawAvp(284, M, undefined, d));

const ocSupportedFeatures = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((v) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(v);
    return rawAvp(621, 0, undefined, rawAvp(622, 0, undefined, b));
  }),
  fc.constant(rawAvp(621, 0, undefined, Buffer.alloc(0))),
  fc.uint8Array({ maxLength: 12 }).map((d) => rawAvp(621, 0, undefined, d)),
);

const otherKnown = fc.oneof(
  fc.constant(
    rawAvp(
      260,
      M,
      undefined,
      Buffer.concat([
        rawAvp(266, M, undefined, u32(V3GPP)),
        rawAvp(258, M, undefined, u32(16777252)),
      ]),
    ),
  ),
  fc.constant(rawAvp(301, 0, undefined, u32(0))),
  textBytes.map((d) => rawAvp(282, M, undefined, d)),
);

const extraAvp = fc.oneof(
  { weight: 2, arbitrary: proxyInfo },
  { weight: 1, arbitrary: oddProxyInfo },
  { weight: 2, arbitrary: ocSupportedFeatures },
  { weight: 2, arbitrary: otherKnown },
  { weight: 2, arbitrary: unknownAvp },
  { weight: 1, arbitrary: textAvp(263) },
  { weight: 1, arbitrary: textAvp(264) },
  { weight: 1, arbitrary: textAvp(1) },
  { weight: 1, arbitrary: authSessionState },
  { weight: 1, arbitrary: terminalInformation },
  // A base AVP sent with the V bit and vendor 0, or a 3GPP AVP with our codes.
  { weight: 1, arbitrary: textBytes.map((d) => rawAvp(264, M, 0, d)) },
  { weight: 1, arbitrary: textBytes.map((d) => rawAvp(263, M, V3GPP, d)) },
);

/** The mandatory and optional AVPs of an ECR, each present with high probability. */
const mainAvps = fc.record({
  sessionId: fc.option(textAvp(263), { freq: 12, nil: undefined }),
  authSessionState: fc.option(authSessionState, { freq: 12, nil: undefined }),
  originHost: fc.option(textAvp(264), { freq: 12, nil: undefined }),
  originRealm: fc.option(textAvp(296), { freq: 12, nil: undefined }),
  destinationHost: fc.option(textAvp(293), { freq: 2, nil: undefined }),
  destinationRealm: fc.option(textAvp(283), { freq: 12, nil: undefined }),
  terminalInformation: fc.option(terminalInformation, { freq: 12, nil: undefined }),
  userName: fc.option(textAvp(1, fc.oneof(digits(5, 15), textBytes)), { freq: 2, nil: undefined }),
});

const header = fc.record({
  flags: fc.oneof(
    { weight: 8, arbitrary: fc.constant(0xc0) },
    { weight: 1, arbitrary: fc.nat(255) },
  ),
  command: fc.oneof(
    { weight: 8, arbitrary: fc.constant(324) },
    { weight: 1, arbitrary: fc.nat(400) },
  ),
  application: fc.oneof(
    { weight: 8, arbitrary: fc.constant(16777252) },
    { weight: 1, arbitrary: fc.constantFrom(0, 16777251) },
  ),
  hopByHop: fc.integer({ min: 0, max: 0xffffffff }),
  endToEnd: fc.integer({ min: 0, max: 0xffffffff }),
});

/** Valid UTF8String values: ASCII and unicode. */
const validText: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => Buffer.from(s, 'utf8')),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => Buffer.from(s, 'utf8')),
);

/** An AVP we do not know, without the M bit (to be ignored), any vendor. */
const ignoredAvp = fc
  .tuple(
    fc.integer({ min: 2000, max: 0xffffffff }),
    fc.option(fc.constantFrom(0, V3GPP, 9), { nil: undefined }),
    fc.uint8Array({ maxLength: 10 }),
  )
  .map(([c, v, d]) => rawAvp(c, 0, v, d));

/** Terminal-Information as an MME sends it: IMEI (or only a MEID), maybe SV, MEID, extensions. */
const validTerminalInformation = fc
  .tuple(
    fc.oneof(
      { weight: 5, arbitrary: digits(14, 16).map((d) => rawAvp(1402, M, V3GPP, d)) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    fc.option(
      digits(2, 2).map((d) => rawAvp(1403, M, V3GPP, d)),
      { nil: undefined },
    ),
    fc.option(
      fc.uint8Array({ maxLength: 8 }).map((d) => rawAvp(1471, M, V3GPP, d)),
      { nil: undefined },
    ),
    fc.option(ignoredAvp, { nil: undefined }),
  )
  .map(([imei, sv, meid, other]) => {
    // Without an IMEI, a MEID makes it valid.
    const ms = [imei ?? rawAvp(1471, M, V3GPP, Buffer.alloc(7, 1)), sv, meid, other];
    return ms.filter((m): m is Buffer => m !== undefined);
  })
  .chain((ms) => fc.shuffledSubarray(ms, { minLength: ms.length, maxLength: ms.length }))
  .map((ms) => rawAvp(1401, M, V3GPP, Buffer.concat(ms)));

const validTextAvp = (code: number) => textAvp(code, validText);

/** An ECR a well-behaved MME could send: every mandatory AVP once, valid values, any extras. */
const tidyAvps = fc
  .tuple(
    fc.record({
      sessionId: validTextAvp(263),
      authSessionState: fc.constantFrom(0, 1).map((v) => rawAvp(277, M, undefined, u32(v))),
      originHost: validTextAvp(264),
      originRealm: validTextAvp(296),
      destinationHost: fc.option(validTextAvp(293), { nil: undefined }),
      destinationRealm: validTextAvp(283),
      terminalInformation: validTerminalInformation,
      userName: fc.option(textAvp(1, fc.oneof(digits(5, 15), validText)), { nil: undefined }),
    }),
    fc.array(fc.oneof(proxyInfo, oddProxyInfo, ocSupportedFeatures, otherKnown, ignoredAvp), {
      maxLength: 5,
    }),
  )
  .map(([main, extras]) => [
    ...Object.values(main).filter((a): a is Buffer => a !== undefined),
    ...extras,
  ]);

/** Anything goes: AVPs missing, repeated, invalid, unknown with the M bit. */
const wildAvps = fc
  .tuple(mainAvps, fc.array(extraAvp, { maxLength: 5 }))
  .map(([main, extras]) => [
    ...Object.values(main).filter((a): a is Buffer => a !== undefined),
    ...extras,
  ]);

const tidyHeader = fc.record({
  flags: fc.constantFrom(0xc0, 0x80),
  command: fc.constant(324),
  application: fc.constant(16777252),
  hopByHop: fc.integer({ min: 0, max: 0xffffffff }),
  endToEnd: fc.integer({ min: 0, max: 0xffffffff }),
});

/** A random ECR: its AVPs in a random order; tidy (mostly valid) or wild. */
const ecr: fc.Arbitrary<Buffer> = fc
  .oneof(
    { weight: 3, arbitrary: fc.tuple(tidyHeader, tidyAvps) },
    { weight: 2, arbitrary: fc.tuple(header, wildAvps) },
  )
  .chain(([h, avps]) =>
    fc.tuple(
      fc.constant(h),
      fc.shuffledSubarray(avps, { minLength: avps.length, maxLength: avps.length }),
    ),
  )
  .map(([h, avps]) => {
    const body = Buffer.concat(avps);
    const out = Buffer.alloc(20 + body.length);
    out.writeUInt32BE(out.length, 0);
    out[0] = 1;
    out.writeUInt32BE(h.command, 4);
    out[4] = h.flags;
    out.writeUInt32BE(h.application, 8);
    out.writeUInt32BE(h.hopByHop, 12);
    out.writeUInt32BE(h.endToEnd, 16);
    body.copy(out, 20);
    return out;
  });

const validEcr = ecr.filter((b) => decodeMeIdentityCheckRequestReference(b).kind === 'ok');

/**
 * An ECR with a few bytes changed (mostly in the AVPs) and maybe cut short: mostly at a multiple
 * of 4 with the header's length made to match, so that the AVPs, not the header, are at fault.
 */
const garbled: fc.Arbitrary<Buffer> = fc
  .tuple(
    ecr,
    fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.nat(9)), { maxLength: 3 }),
    fc.option(fc.nat(), { nil: undefined }),
    fc.nat(5),
    fc.option(fc.nat(255), { freq: 20, nil: undefined }),
  )
  .map(([bytes, edits, cut, how, version]) => {
    let b = Buffer.from(bytes);
    if (version !== undefined) b[0] = version;
    for (const [at, v, where] of edits) {
      b[where === 0 || b.length <= 20 ? at % b.length : 20 + (at % (b.length - 20))] = v;
    }
    if (cut !== undefined) {
      const n = cut % (b.length + 1);
      b = Buffer.from(b.subarray(0, how === 0 ? n : n & ~3));
      if (how > 1 && b.length >= 4) b.writeUIntBE(b.length, 1, 3);
    }
    return b;
  });

/** Every field a caller can read, as a plain object (the reference decoder's shape). */
function fields(r: MeIdentityCheckRequest): object {
  return {
    flags: r.flags,
    commandCode: r.commandCode,
    applicationId: r.applicationId,
    hopByHop: r.hopByHop,
    endToEnd: r.endToEnd,
    sessionId: r.sessionId,
    originHost: r.originHost,
    originRealm: r.originRealm,
    destinationRealm: r.destinationRealm,
    destinationHost: r.destinationHost,
    authSessionState: r.authSessionState,
    terminalInformation: {
      imei: r.terminalInformation.imei,
      softwareVersion: r.terminalInformation.softwareVersion,
      meid: r.terminalInformation.meid,
    },
    userName: r.userName,
    proxyInfo: r.proxyInfo,
    ocFeatureVector: r.ocFeatureVector,
  };
}

const results: MeIdentityCheckResult[] = [
  { kind: 'status', equipmentStatus: 1 },
  { kind: 'experimental', code: 5422 },
  { kind: 'result', code: 3004 },
];

function assertSame(bytes: Buffer, got: MeIdentityCheckRequestResult, want: ReferenceEcrResult) {
  assert.equal(got.kind, want.kind, want.kind === 'error' ? want.reason : 'ok');
  if (got.kind === 'ok' && want.kind === 'ok') {
    const r = got.request;
    assert.deepStrictEqual(fields(r), want.request);
    // Read twice: a memoised string stays the same.
    assert.deepStrictEqual(fields(r), want.request);
    assert.deepStrictEqual(Buffer.from(r.sessionIdBytes!), Buffer.from(r.sessionId, 'utf8'));
    for (const result of results) {
      const o = { originHost: 'eir', originRealm: 'realm', result };
      assert.deepStrictEqual(
        encodeMeIdentityCheckAnswer({ request: r, ...o }),
        encodeMeIdentityCheckAnswer({ request: want.request, ...o }),
      );
    }
  } else {
    assert.deepStrictEqual(got, want, bytes.toString('hex'));
  }
}

test('the in-place ECR decoder equals the reference decoder over random ECRs', () => {
  fc.assert(
    fc.property(ecr, (bytes) => {
      assertSame(
        bytes,
        decodeMeIdentityCheckRequest(bytes),
        decodeMeIdentityCheckRequestReference(bytes),
      );
    }),
    { numRuns: 4000 },
  );
});

test('... and over garbled, truncated and random bytes', () => {
  fc.assert(
    fc.property(garbled, (bytes) => {
      assertSame(
        bytes,
        decodeMeIdentityCheckRequest(bytes),
        decodeMeIdentityCheckRequestReference(bytes),
      );
    }),
    { numRuns: 4000 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      const bytes = Buffer.from(b);
      assertSame(
        bytes,
        decodeMeIdentityCheckRequest(bytes),
        decodeMeIdentityCheckRequestReference(bytes),
      );
    }),
  );
});

test('decoded one after another into one reused request, each equals the reference', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(ecr, garbled), { minLength: 1, maxLength: 6 }), (list) => {
      const reused = new InPlaceEcr();
      for (const bytes of list) {
        const got = decodeMeIdentityCheckRequest(bytes, undefined, reused);
        assertSame(bytes, got, decodeMeIdentityCheckRequestReference(bytes));
        if (got.kind === 'ok') assert.equal(got.request, reused, 'read into the given request');
      }
    }),
    { numRuns: 1500 },
  );
});

test('the random ECRs reach every outcome (the equality above is not vacuous)', () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(fc.oneof(ecr, garbled), (bytes) => {
      const d = decodeMeIdentityCheckRequest(bytes);
      if (d.kind === 'error') seen.add(String(d.resultCode));
      else {
        seen.add('ok');
        if (d.request.proxyInfo) seen.add('ok+proxy');
        if (d.request.ocFeatureVector !== undefined) seen.add('ok+doic');
        if (Buffer.byteLength(d.request.originHost) > d.request.originHost.length)
          seen.add('ok+unicode');
        if (d.request.terminalInformation.meid) seen.add('ok+meid');
      }
    }),
    { numRuns: 4000 },
  );
  for (const want of ['ok', 'ok+proxy', 'ok+doic', 'ok+unicode', 'ok+meid'])
    assert.ok(seen.has(want), want);
  for (const rc of [3001, 3007, 3008, 5001, 5004, 5005, 5009, 5011, 5014, 5015])
    assert.ok(seen.has(String(rc)), String(rc));
});

test('Origin-Host read through a per-connection LastText equals the reference, request by request', () => {
  const host = fc.oneof(
    fc.constantFrom('mme1', 'mme2', 'mmé', 'mme1.realm'),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
  );
  fc.assert(
    fc.property(validEcr, fc.array(host, { maxLength: 12 }), (bytes, list) => {
      const hosts = new LastText();
      for (const h of list) {
        // Replace the Origin-Host by `h` (the rest stays valid).
        const re = Buffer.concat([
          bytes.subarray(0, 20),
          rawAvp(264, M, undefined, Buffer.from(h)),
          stripOriginHost(bytes),
        ]);
        re.writeUIntBE(re.length, 1, 3);
        const want = decodeMeIdentityCheckRequestReference(re);
        const got = decodeMeIdentityCheckRequest(re, hosts);
        assert.ok(got.kind === 'ok' && want.kind === 'ok');
        assert.equal(got.request.originHost, h);
        assert.deepStrictEqual(fields(got.request), want.request);
      }
    }),
    { numRuns: 300 },
  );
});

/** The AVPs of a valid message without its Origin-Host. */
function stripOriginHost(bytes: Buffer): Buffer {
  const kept: Buffer[] = [];
  let off = 20;
  while (off < bytes.length) {
    const len = bytes.readUIntBE(off + 5, 3);
    const vendor = bytes[off + 4]! & 0x80 ? bytes.readUInt32BE(off + 8) : 0;
    if (!(bytes.readUInt32BE(off) === 264 && vendor === 0)) {
      kept.push(bytes.subarray(off, off + pad4(len)));
    }
    off += pad4(len);
  }
  return Buffer.concat(kept);
}

test('an answer from Session-Id bytes is byte for byte the answer from its text', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.option(fc.array(proxyInfo, { maxLength: 2 }), { nil: undefined }),
      fc.constantFrom(...results),
      (sid, proxy, result) => {
        const request = {
          flags: 0xc0,
          commandCode: 324,
          applicationId: 16777252,
          hopByHop: 1,
          endToEnd: 2,
          proxyInfo: proxy,
        };
        const o = { originHost: 'eir', originRealm: 'realm', result };
        const text = encodeMeIdentityCheckAnswer({ request: { ...request, sessionId: sid }, ...o });
        const bytes = encodeMeIdentityCheckAnswer({
          request: { ...request, sessionIdBytes: Buffer.from(sid, 'utf8') },
          ...o,
        });
        assert.deepStrictEqual(bytes, text);
      },
    ),
  );
});
