import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AVP_FLAG_M } from './avp.js';
import { DiameterFramer } from './framer.js';
import {
  CMD_FLAG_E,
  CMD_FLAG_R,
  decodeMessage,
  encodeMessage,
  peekLength,
  type OutMessage,
} from './message.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const message: fc.Arbitrary<OutMessage> = fc.record({
  flags: fc.constantFrom(0x80, 0xc0, 0x40, 0x00, 0x60, 0x50, 0x90),
  commandCode: fc.integer({ min: 0, max: 0xffffff }),
  applicationId: u32,
  hopByHop: u32,
  endToEnd: u32,
  avps: fc.array(
    fc.record({
      code: u32,
      vendorId: fc.oneof(fc.constant(0), u32),
      flags: fc.constantFrom(0, AVP_FLAG_M),
      value: fc
        .uint8Array({ maxLength: 30 })
        .map((value) => ({ type: 'OctetString' as const, value })),
    }),
    { maxLength: 6 },
  ),
});

test('arbitrary messages encode and decode to the same header and AVPs', () => {
  fc.assert(
    fc.property(message, (m) => {
      const bytes = encodeMessage(m);
      assert.equal(peekLength(bytes), bytes.length);
      const d = decodeMessage(bytes);
      assert.equal(d.kind, 'ok', d.kind === 'error' ? d.reason : '');
      if (d.kind !== 'ok') return;
      const got = d.message;
      assert.deepEqual(
        [got.version, got.flags, got.commandCode, got.applicationId, got.hopByHop, got.endToEnd],
        [1, m.flags, m.commandCode, m.applicationId, m.hopByHop, m.endToEnd],
      );
      assert.deepEqual(
        got.avps.map((a) => [
          a.code,
          a.vendorId,
          a.flags & 0x7f,
          Buffer.from(a.data).toString('hex'),
        ]),
        m.avps.map((a) => [
          a.code,
          a.vendorId ?? 0,
          a.flags,
          Buffer.from(a.value.value as Uint8Array).toString('hex'),
        ]),
      );
    }),
  );
});

test('bad headers are values: version 5011, length 5015, flag bits 3008', () => {
  const ok = encodeMessage({
    flags: CMD_FLAG_R,
    commandCode: 280,
    applicationId: 0,
    hopByHop: 1,
    endToEnd: 2,
    avps: [],
  });
  const v2 = Buffer.from(ok);
  v2[0] = 2;
  assert.equal((decodeMessage(v2) as { resultCode: number }).resultCode, 5011);
  assert.equal(
    (decodeMessage(Buffer.concat([ok, Buffer.alloc(4)])) as { resultCode: number }).resultCode,
    5015,
  );
  assert.equal((decodeMessage(ok.subarray(0, 12)) as { resultCode: number }).resultCode, 5015);
  const re = Buffer.from(ok);
  re[4] = CMD_FLAG_R | CMD_FLAG_E;
  assert.equal((decodeMessage(re) as { resultCode: number }).resultCode, 3008);
  const reserved = Buffer.from(ok);
  reserved[4] = CMD_FLAG_R | 0x01;
  assert.equal((decodeMessage(reserved) as { resultCode: number }).resultCode, 3008);
});

test('decoding random or corrupted bytes never throws', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
      decodeMessage(Buffer.from(b));
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(message, fc.nat(), fc.integer({ min: 0, max: 255 }), (m, at, byte) => {
      const bytes = encodeMessage(m);
      bytes[at % bytes.length] = byte;
      decodeMessage(bytes);
    }),
    { numRuns: 2000 },
  );
});

test('the framer reassembles any split and coalescing of a stream of messages', () => {
  fc.assert(
    fc.property(
      fc.array(message, { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
      (msgs, cuts) => {
        const encoded = msgs.map(encodeMessage);
        const stream = Buffer.concat(encoded);
        const framer = new DiameterFramer();
        const out: Buffer[] = [];
        for (let i = 0, k = 0; i < stream.length; k++) {
          const n = cuts[k % cuts.length]!;
          const r = framer.push(stream.subarray(i, i + n));
          assert.equal(r.error, undefined);
          out.push(...r.messages);
          i += n;
        }
        assert.deepEqual(
          out.map((b) => b.toString('hex')),
          encoded.map((b) => b.toString('hex')),
        );
        assert.equal(framer.bufferedBytes, 0);
      },
    ),
  );
});

test('pushEach hands over the same messages and errors as push, without a Buffer each', () => {
  fc.assert(
    fc.property(
      fc.array(message, { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
      fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }))),
      (msgs, cuts, damage) => {
        const stream = Buffer.concat(msgs.map(encodeMessage));
        if (damage) stream[damage[0] % stream.length] = damage[1];
        const a = new DiameterFramer();
        const b = new DiameterFramer();
        for (let i = 0, k = 0; i < stream.length; k++) {
          const chunk = stream.subarray(i, i + cuts[k % cuts.length]!);
          const r = a.push(chunk);
          const got: string[] = [];
          const error = b.pushEach(chunk, (buf, start, end) => {
            got.push(buf.toString('hex', start, end));
          });
          assert.deepEqual(
            got,
            r.messages.map((m) => m.toString('hex')),
          );
          assert.deepEqual(error, r.error);
          assert.equal(b.bufferedBytes, a.bufferedBytes);
          i += chunk.length;
        }
      },
    ),
    { numRuns: 1000 },
  );
});

test('the framer rejects a bad version or length, once and for good', () => {
  const ok = encodeMessage({
    flags: CMD_FLAG_R,
    commandCode: 280,
    applicationId: 0,
    hopByHop: 1,
    endToEnd: 2,
    avps: [],
  });
  const f = new DiameterFramer();
  const bad = Buffer.from(ok);
  bad[0] = 2;
  const r = f.push(Buffer.concat([ok, bad.subarray(0, 2)]));
  assert.equal(r.messages.length, 1);
  assert.equal(r.error, undefined);
  const r2 = f.push(bad.subarray(2));
  assert.deepEqual(
    [r2.messages.length, r2.error?.resultCode, r2.error?.streamOffset],
    [0, 5011, 20],
  );
  assert.equal(f.push(ok).error?.resultCode, 5011);

  const tooShort = Buffer.from(ok);
  tooShort.writeUIntBE(16, 1, 3);
  assert.equal(new DiameterFramer().push(tooShort).error?.resultCode, 5015);
  const tooLong = Buffer.from(ok);
  tooLong.writeUIntBE(1 << 21, 1, 3);
  assert.equal(
    new DiameterFramer({ maxMessageLength: 1 << 20 }).push(tooLong).error?.resultCode,
    5015,
  );
  assert.equal(peekLength(ok.subarray(0, 3)), -1);
});
