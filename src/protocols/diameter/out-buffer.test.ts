import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OutBuffer } from './out-buffer.js';

test('taken bytes are what was pushed; after detach they stay as they were while new bytes come', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), { maxLength: 6 }),
      fc.nat(32),
      (rounds, initial) => {
        const out = new OutBuffer(initial);
        const held: [Buffer, Buffer][] = []; // a view the "socket" holds, and its expected bytes
        for (const round of rounds) {
          for (const b of round) out.push(b);
          const want = Buffer.concat(round);
          const view = out.take();
          assert.deepStrictEqual(view, want);
          assert.equal(out.at, 0);
          held.push([view, want]);
          // As the S13 server does when the socket could not send at once.
          out.detach();
        }
        for (const [view, want] of held) assert.deepStrictEqual(view, want);
      },
    ),
  );
});

test('without detach the next bytes reuse the same memory (nothing allocated per write)', () => {
  const out = new OutBuffer(64);
  out.push(Buffer.from('first'));
  const a = out.take();
  out.push(Buffer.from('again'));
  const b = out.take();
  assert.equal(a.buffer, b.buffer);
  assert.equal(a.byteOffset, b.byteOffset);
  assert.equal(b.toString(), 'again');
});
