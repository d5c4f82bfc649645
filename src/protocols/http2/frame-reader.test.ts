/** RFC 9113 §4.1: the same frames come out whatever the split of the byte stream. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeFrame, parseFrameHeader, writeFrameHeader } from './frame.js';
import { FrameReader } from './frame-reader.js';

interface F {
  type: number;
  flags: number;
  id: number;
  payload: string;
}

const frameArb = fc.record({
  type: fc.integer({ min: 0, max: 255 }),
  flags: fc.integer({ min: 0, max: 255 }),
  id: fc.integer({ min: 0, max: 0x7fffffff }),
  payload: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('hex')),
});

function read(chunks: Uint8Array[], max = 16_384): { frames: F[]; tooLong: number[] } {
  const frames: F[] = [];
  const tooLong: number[] = [];
  const r = new FrameReader(
    max,
    (type, flags, id, p) =>
      frames.push({ type, flags, id, payload: Buffer.from(p).toString('hex') }),
    (len) => tooLong.push(len),
  );
  for (const c of chunks) r.push(c);
  return { frames, tooLong };
}

describe('frame header and reader', () => {
  it('writes and parses the 9-byte header, ignoring the reserved bit', () => {
    const b = Buffer.alloc(9);
    writeFrameHeader(b, 0, 0x123456, 1, 0x25, 0x7fffffff);
    assert.equal(b.toString('hex'), '12345601257fffffff');
    b[5] = b[5]! | 0x80;
    assert.deepEqual(parseFrameHeader(b, 0), {
      length: 0x123456,
      type: 1,
      flags: 0x25,
      streamId: 0x7fffffff,
    });
  });

  it('gives the same frames for any split of any stream', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (fs, cuts) => {
          const bytes = Buffer.concat(
            fs.map((f) => encodeFrame(f.type, f.flags, f.id, Buffer.from(f.payload, 'hex'))),
          );
          const points = [
            ...new Set(cuts.map((c) => (bytes.length ? c % (bytes.length + 1) : 0))),
          ].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let at = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.subarray(at, p));
            at = p;
          }
          assert.deepEqual(
            read(chunks).frames,
            fs.map((f) => ({ ...f })),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('stops at a frame longer than the maximum, whole or split', () => {
    const big = encodeFrame(0, 0, 1, Buffer.alloc(100));
    const ok = encodeFrame(6, 0, 0, Buffer.alloc(8));
    assert.deepEqual(read([Buffer.concat([ok, big, ok])], 50).tooLong, [100]);
    const split = read([Buffer.concat([ok, big]).subarray(0, 20), big.subarray(3), ok], 50);
    assert.equal(split.frames.length, 1);
    assert.deepEqual(split.tooLong, [100]);
  });
});
