/**
 * The ECA encoder (s13.ts) against the encoder it replaced (s13-answer-reference.ts): for any
 * request context (Session-Id as text or as bytes, Proxy-Info), any result (Equipment-Status,
 * Experimental-Result, Result-Code with or without Failed-AVP or Error-Message) and any DOIC
 * trailer, the bytes are the same (or both throw).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RequestContext } from './answer.js';
import { encodeMeIdentityCheckAnswerReference } from './s13-answer-reference.js';
import { OutBuffer } from './out-buffer.js';
import {
  encodeMeIdentityCheckAnswer,
  writeMeIdentityCheckAnswer,
  type MeIdentityCheckAnswerOptions,
} from './s13.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b));

const request: fc.Arbitrary<RequestContext> = fc
  .record(
    {
      flags: fc.nat(255),
      commandCode: fc.oneof(fc.constant(324), fc.nat(0xffffff)),
      applicationId: u32,
      hopByHop: u32,
      endToEnd: u32,
      sessionId: fc.string({ unit: 'grapheme', maxLength: 70 }),
      proxyInfo: fc.array(bytes(24), { maxLength: 3 }),
    },
    { requiredKeys: ['flags', 'commandCode', 'applicationId', 'hopByHop', 'endToEnd'] },
  )
  .chain((r) =>
    fc.tuple(fc.constantFrom('text', 'bytes', 'copy'), bytes(8)).map(([form, before]) => {
      // The in-place decoder's requests carry all three; a context made elsewhere only the text.
      if (form === 'text' || r.sessionId === undefined) return r;
      const sid = Buffer.from(r.sessionId, 'utf8');
      if (form === 'bytes') return { ...r, sessionIdBytes: sid };
      // As a request read in place copies it: from inside a larger message buffer.
      const message = Buffer.concat([before, sid, Buffer.from([0xee])]);
      return {
        ...r,
        sessionIdBytes: sid,
        sessionIdLength: sid.length,
        copySessionId(target: Uint8Array, at: number): number {
          target.set(message.subarray(before.length, before.length + sid.length), at);
          return at + sid.length;
        },
      };
    }),
  );

const result: fc.Arbitrary<MeIdentityCheckAnswerOptions['result']> = fc.oneof(
  fc.constantFrom(0, 1, 2).map((equipmentStatus) => ({ kind: 'status' as const, equipmentStatus })),
  fc.oneof(fc.constant(5422), u32).map((code) => ({ kind: 'experimental' as const, code })),
  fc.record(
    {
      kind: fc.constant('result' as const),
      code: fc.oneof(fc.constantFrom(3004, 5001, 5005, 5012), u32),
      failedAvp: bytes(30),
      errorMessage: fc.string({ maxLength: 20 }),
    },
    { requiredKeys: ['kind', 'code'] },
  ),
);

const options: fc.Arbitrary<MeIdentityCheckAnswerOptions> = fc.record(
  {
    request,
    originHost: fc.constantFrom('eir1.test', 'eir2.test', 'éir'),
    originRealm: fc.constantFrom('test', 'other.test'),
    result,
    trailer: bytes(40),
  },
  { requiredKeys: ['request', 'originHost', 'originRealm', 'result'] },
);

/** The bytes, or the error's name when the encoder throws. */
function attempt(
  encode: (o: MeIdentityCheckAnswerOptions) => Buffer,
  o: MeIdentityCheckAnswerOptions,
) {
  try {
    return encode(o);
  } catch (e) {
    return (e as Error).name;
  }
}

test('the ECA encoder writes the same bytes as the reference encoder', () => {
  fc.assert(
    fc.property(options, (o) => {
      assert.deepStrictEqual(
        attempt(encodeMeIdentityCheckAnswer, o),
        attempt(encodeMeIdentityCheckAnswerReference, o),
      );
    }),
    { numRuns: 5000 },
  );
});

test('an ECA written into an OutBuffer after other bytes is the encoded ECA; a refused one leaves the buffer as it was', () => {
  fc.assert(
    fc.property(fc.array(options, { maxLength: 4 }), bytes(50), fc.nat(64), (os, first, size) => {
      const out = new OutBuffer(size + 1);
      out.push(first);
      const want: Buffer[] = [first];
      for (const o of os) {
        const encoded = attempt(encodeMeIdentityCheckAnswer, o);
        const before = Buffer.from(out.buf.subarray(0, out.at));
        try {
          writeMeIdentityCheckAnswer(
            out,
            o.request,
            o.originHost,
            o.originRealm,
            o.result,
            o.trailer,
          );
          want.push(encoded as Buffer);
        } catch (e) {
          assert.equal((e as Error).name, encoded, 'both refuse');
          assert.deepStrictEqual(out.buf.subarray(0, out.at), before);
        }
      }
      assert.deepStrictEqual(out.take(), Buffer.concat(want));
      assert.equal(out.at, 0);
    }),
    { numRuns: 2000 },
  );
});

test('... including out-of-range codes, which both refuse', () => {
  const o: MeIdentityCheckAnswerOptions = {
    request: { flags: 0xc0, commandCode: 324, applicationId: 16777252, hopByHop: 1, endToEnd: 2 },
    originHost: 'eir',
    originRealm: 'test',
    result: { kind: 'experimental', code: -1 },
  };
  assert.equal(attempt(encodeMeIdentityCheckAnswer, o), 'RangeError');
  assert.equal(attempt(encodeMeIdentityCheckAnswerReference, o), 'RangeError');
  const badCommand: MeIdentityCheckAnswerOptions = {
    ...o,
    request: { ...o.request, commandCode: -1 },
    result: { kind: 'status', equipmentStatus: 1 },
  };
  assert.equal(attempt(encodeMeIdentityCheckAnswer, badCommand), 'RangeError');
  assert.equal(attempt(encodeMeIdentityCheckAnswerReference, badCommand), 'RangeError');
});
