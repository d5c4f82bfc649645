/**
 * HPACK Huffman code (RFC 7541 §5.2, Appendix B). The code of Appendix B is canonical: codes are
 * handed out in order of (length, symbol), so the 257 code lengths alone define it. The lengths
 * below are Appendix B's, one character per symbol (`'0'` + length); the codes are rebuilt from
 * them at load time (the tests check the Kraft sum is exactly 1 and a few codes against the RFC).
 *
 * Decoding walks the code tree four bits at a time through a table built once from the tree
 * (256 internal nodes x 16 nibbles): no code is shorter than 5 bits, so one nibble emits at most
 * one symbol.
 */
import { HpackError } from './hpack-error.js';

const LENGTHS =
  '=GLLLLLLLHNLLNLLLLLLLLNLLLLLLLLL6::<=68;::8;8666555666666678?6<:=67777777777777777777777878=C' +
  '=>6?56565666577666567655677777?;>=LDFDDFFFGFGGGGGHGHHFGHGGGGEFGFGGHFEDFFGGEGFFHEFGGEEFEGFGGDF' +
  'FFGFFGJJDCFGFIJJJKKJHICEJKKJKHEEJJLKKKDHDEFEEGFFIIHHJGJKJJKKKKKLKKKKKJN';

/** Symbol 256, end of string; never valid inside a string (§5.2). */
const EOS = 256;

/** Code length in bits per symbol 0..256. */
export const HUFFMAN_LENGTHS: readonly number[] = Array.from(LENGTHS, (c) => c.charCodeAt(0) - 48);

/** Code per symbol 0..256 (right-aligned, `HUFFMAN_LENGTHS[s]` bits). */
export const HUFFMAN_CODES: readonly number[] = (() => {
  const order = HUFFMAN_LENGTHS.map((_, s) => s).sort(
    (a, b) => HUFFMAN_LENGTHS[a]! - HUFFMAN_LENGTHS[b]! || a - b,
  );
  const codes = new Array<number>(257).fill(0);
  let code = 0;
  let prev = HUFFMAN_LENGTHS[order[0]!]!;
  order.forEach((s, i) => {
    const len = HUFFMAN_LENGTHS[s]!;
    if (i > 0) {
      code = (code + 1) * 2 ** (len - prev);
      prev = len;
    }
    codes[s] = code;
  });
  return codes;
})();

// Decode table entry: bits 0-7 next state, bits 8-15 symbol, then flags.
const EMIT = 1 << 16;
const FAIL = 1 << 17;
/** After this nibble the bits since the last symbol are a valid padding (all ones, < 8 bits). */
const ACCEPT = 1 << 18;

const DECODE: Int32Array = (() => {
  // The code tree: internal nodes 0..255 (root 0); child < 0 is leaf -(symbol + 1).
  const children: number[][] = [[0, 0]];
  const depthOnes: number[] = [0]; // depth if the path from the root is all ones, else -1
  for (let s = 0; s <= EOS; s++) {
    const len = HUFFMAN_LENGTHS[s]!;
    const code = HUFFMAN_CODES[s]!;
    let node = 0;
    for (let i = len - 1; i >= 0; i--) {
      const bit = Math.floor(code / 2 ** i) % 2;
      if (i === 0) {
        children[node]![bit] = -(s + 1);
      } else {
        let next = children[node]![bit]!;
        if (next === 0) {
          next = children.length;
          children.push([0, 0]);
          depthOnes.push(bit === 1 && depthOnes[node]! >= 0 ? depthOnes[node]! + 1 : -1);
          children[node]![bit] = next;
        }
        node = next;
      }
    }
  }
  const table = new Int32Array(children.length * 16);
  for (let state = 0; state < children.length; state++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let entry = 0;
      for (let i = 3; i >= 0; i--) {
        const next = children[node]![(nibble >> i) & 1]!;
        if (next < 0) {
          const sym = -next - 1;
          if (sym === EOS) {
            entry = FAIL;
            break;
          }
          entry = EMIT | (sym << 8);
          node = 0;
        } else node = next;
      }
      if ((entry & FAIL) === 0) {
        entry |= node;
        const d = depthOnes[node]!;
        if (d >= 0 && d < 8) entry |= ACCEPT;
      }
      table[state * 16 + nibble] = entry;
    }
  }
  return table;
})();

/** Decode `src[start, end)` as Huffman-coded latin1 text; throws HpackError when invalid (§5.2). */
export function huffmanDecode(src: Uint8Array, start: number, end: number): string {
  let state = 0;
  let accept = true;
  let out = '';
  const codes: number[] = [];
  for (let i = start; i < end; i++) {
    const b = src[i]!;
    let e = DECODE[state * 16 + (b >> 4)]!;
    if (e & FAIL) throw new HpackError('Huffman string contains EOS');
    if (e & EMIT) codes.push((e >> 8) & 0xff);
    e = DECODE[(e & 0xff) * 16 + (b & 15)]!;
    if (e & FAIL) throw new HpackError('Huffman string contains EOS');
    if (e & EMIT) codes.push((e >> 8) & 0xff);
    state = e & 0xff;
    accept = (e & ACCEPT) !== 0;
    if (codes.length >= 4096) {
      out += String.fromCharCode.apply(null, codes);
      codes.length = 0;
    }
  }
  if (!accept) throw new HpackError('Huffman string has invalid padding');
  return codes.length === 0 ? out : out + String.fromCharCode.apply(null, codes);
}

/** Encoded length in bytes of latin1 `s` (§5.2). */
export function huffmanLength(s: string): number {
  let bits = 0;
  for (let i = 0; i < s.length; i++) bits += HUFFMAN_LENGTHS[s.charCodeAt(i) & 0xff]!;
  return Math.ceil(bits / 8);
}

/** Write latin1 `s` Huffman-coded at `dst[pos]`, padded with ones (§5.2); returns the end. */
export function huffmanEncode(s: string, dst: Uint8Array, pos: number): number {
  let acc = 0; // pending bits, at most 7 + 30 < 53 (exact in a double)
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff;
    const len = HUFFMAN_LENGTHS[c]!;
    acc = acc * 2 ** len + HUFFMAN_CODES[c]!;
    n += len;
    while (n >= 8) {
      n -= 8;
      const div = 2 ** n;
      dst[pos++] = Math.floor(acc / div) & 0xff;
      acc %= div;
    }
  }
  if (n > 0) dst[pos++] = ((acc << (8 - n)) | (0xff >> n)) & 0xff;
  return pos;
}
