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
  const dst = Buffer.allocUnsafe(8 + maxLength(fields));
  const code = String(status);
  const full = STATIC_TABLE.findIndex(([n, v]) => n === ':status' && v === code);
  const pos =
    full >= 0
      ? encodeInteger(full + 1, 7, 0x80, dst, 0)
      : encodeString(code, dst, encodeInteger(STATUS_NAME, 4, 0, dst, 0), false);
  return Buffer.from(dst.subarray(0, writeFields(fields, dst, pos)));
}

/** Encode `fields` alone (to append to a block from encodeResponseHeaders). */
export function encodeHeaderFields(fields: readonly (readonly [string, string])[]): Buffer {
  const dst = Buffer.allocUnsafe(maxLength(fields));
  return Buffer.from(dst.subarray(0, writeFields(fields, dst, 0)));
}

function maxLength(fields: readonly (readonly [string, string])[]): number {
  let max = 0;
  for (const [n, v] of fields) max += 6 + stringLength(n) + stringLength(v);
  return max;
}

/** §6.2.2 literals without indexing, static name index when there is one. */
function writeFields(
  fields: readonly (readonly [string, string])[],
  dst: Buffer,
  pos: number,
): number {
  for (const [name, value] of fields) {
    const idx = staticNameIndex(name);
    pos = encodeInteger(idx, 4, 0, dst, pos);
    if (idx === 0) pos = encodeString(name, dst, pos);
    pos = encodeString(value, dst, pos);
  }
  return pos;
}
