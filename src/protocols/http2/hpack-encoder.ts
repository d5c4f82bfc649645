/**
 * Response header block encoder without encoder state (RFC 7541 §6.1, §6.2.2): `:status` as an
 * indexed field when the static table has it (200 = 0x88, 204, 206, 304, 400, 404, 500), every
 * other field as a literal without indexing, with the static table's name index when it has the
 * name. The peer's dynamic table is never touched, so no size update is ever needed.
 */
import { encodeInteger, encodeString, stringLength } from './hpack-primitives.js';
import { STATIC_TABLE, staticNameIndex } from './hpack-static-table.js';

/** Static index of `:status` name (RFC 7541 Appendix A). */
const STATUS_NAME = 8;

/** Encode `:status` and `fields` (lowercase names) as one header block. */
export function encodeResponseHeaders(
  status: number,
  fields: readonly (readonly [string, string])[] = [],
): Buffer {
  let max = 8;
  for (const [n, v] of fields) max += 6 + stringLength(n) + stringLength(v);
  const dst = Buffer.allocUnsafe(max);
  const code = String(status);
  const full = STATIC_TABLE.findIndex(([n, v]) => n === ':status' && v === code);
  let pos = 0;
  if (full >= 0) pos = encodeInteger(full + 1, 7, 0x80, dst, 0);
  else {
    pos = encodeInteger(STATUS_NAME, 4, 0, dst, 0);
    pos = encodeString(code, dst, pos, false);
  }
  for (const [name, value] of fields) {
    const idx = staticNameIndex(name);
    pos = encodeInteger(idx, 4, 0, dst, pos);
    if (idx === 0) pos = encodeString(name, dst, pos);
    pos = encodeString(value, dst, pos);
  }
  return Buffer.from(dst.subarray(0, pos));
}
