/**
 * Checking a command's AVPs against its ABNF (RFC 6733 §3.2) and reading typed fields, with the
 * error handling of RFC 6733 §7: an unknown AVP with the M bit is 5001 DIAMETER_AVP_UNSUPPORTED,
 * one without it is ignored (§4.1); a missing required AVP is 5005 DIAMETER_MISSING_AVP; too many
 * is 5009; a bad value 5004 or 5014. Each error carries the Failed-AVP content (§7.5).
 */
import {
  AVP_FLAG_M,
  encodeAvps,
  encodeRawAvp,
  readValue,
  type AvpType,
  type AvpTypeValue,
  type RawAvp,
} from './avp.js';
import { ResultCode, exampleAvp, type AvpDefinition } from './dictionary.js';

/** A message that cannot be accepted, with what to answer (RFC 6733 §7). */
export interface ParseError {
  readonly kind: 'error';
  readonly resultCode: number;
  readonly reason: string;
  /** Offset of the offending AVP in the message, or -1 for a missing one. */
  readonly offset: number;
  /** Encoded AVP(s) to put inside Failed-AVP, if any (RFC 6733 §7.5). */
  readonly failedAvp?: Buffer;
}

export function parseError(
  resultCode: number,
  reason: string,
  offset: number,
  failedAvp?: Buffer,
): ParseError {
  return failedAvp
    ? { kind: 'error', resultCode, reason, offset, failedAvp }
    : { kind: 'error', resultCode, reason, offset };
}

/** One line of a command's ABNF: `{ AVP }` is min 1, `[ AVP ]` max 1, `* [ AVP ]` unbounded. */
export interface AvpRule {
  readonly def: AvpDefinition;
  readonly min: number;
  readonly max: number;
}

export const required = (def: AvpDefinition): AvpRule => ({ def, min: 1, max: 1 });
export const optional = (def: AvpDefinition): AvpRule => ({ def, min: 0, max: 1 });
export const many = (def: AvpDefinition, min = 0): AvpRule => ({ def, min, max: Infinity });

/** Checks presence and counts; returns the first problem found. */
export function checkAvps(
  avps: readonly RawAvp[],
  rules: readonly AvpRule[],
): ParseError | undefined {
  const counts = new Array<number>(rules.length).fill(0);
  for (const a of avps) {
    const i = rules.findIndex((r) => r.def.code === a.code && r.def.vendorId === a.vendorId);
    if (i < 0) {
      if (a.flags & AVP_FLAG_M) {
        const msg = `unsupported AVP ${a.code} (vendor ${a.vendorId}) with the M bit`;
        return parseError(ResultCode.AVP_UNSUPPORTED, msg, a.offset, encodeRawAvp(a));
      }
      continue;
    }
    const rule = rules[i]!;
    if (++counts[i]! > rule.max) {
      const msg = `${rule.def.name} occurs more than ${rule.max} time(s)`;
      return parseError(ResultCode.AVP_OCCURS_TOO_MANY_TIMES, msg, a.offset, encodeRawAvp(a));
    }
  }
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (counts[i]! < rule.min) {
      return parseError(
        ResultCode.MISSING_AVP,
        `missing ${rule.def.name}`,
        -1,
        encodeAvps([exampleAvp(rule.def)]),
      );
    }
  }
  return undefined;
}

/** Reads typed fields from a list of AVPs, remembering the first value that fails to decode. */
export class FieldReader {
  error: ParseError | undefined;

  constructor(readonly avps: readonly RawAvp[]) {}

  private read<T extends AvpType>(a: RawAvp, def: AvpDefinition<T>): AvpTypeValue[T] | undefined {
    const r = readValue(a, def.type);
    if (r.kind === 'ok') return r.value as AvpTypeValue[T];
    this.error ??= parseError(r.resultCode, `${def.name}: ${r.reason}`, a.offset, encodeRawAvp(a));
    return undefined;
  }

  /** The first value of this AVP, if present and valid. */
  one<T extends Exclude<AvpType, 'Grouped'>>(def: AvpDefinition<T>): AvpTypeValue[T] | undefined {
    for (const a of this.avps) {
      if (a.code === def.code && a.vendorId === def.vendorId) return this.read(a, def);
    }
    return undefined;
  }

  /** Every valid value of this AVP, in order. */
  all<T extends Exclude<AvpType, 'Grouped'>>(def: AvpDefinition<T>): AvpTypeValue[T][] {
    const out: AvpTypeValue[T][] = [];
    for (const a of this.avps) {
      if (a.code !== def.code || a.vendorId !== def.vendorId) continue;
      const v = this.read(a, def);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  /** The members of each instance of a Grouped AVP. */
  groups(def: AvpDefinition<'Grouped'>): RawAvp[][] {
    const out: RawAvp[][] = [];
    for (const a of this.avps) {
      if (a.code !== def.code || a.vendorId !== def.vendorId) continue;
      const r = readValue(a, 'Grouped');
      if (r.kind === 'ok') out.push(r.value as RawAvp[]);
      else this.error ??= parseError(r.resultCode, r.reason, a.offset, encodeRawAvp(a));
    }
    return out;
  }
}
