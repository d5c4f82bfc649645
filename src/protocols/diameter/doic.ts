/**
 * Diameter Overload Indication Conveyance, DOIC (RFC 7683), as a reporting node (the EIR) uses it:
 * a reacting node (an MME or a routing agent) advertises OC-Supported-Features in its requests;
 * the EIR answers with the abatement algorithm it selected (§5.1.2) and, while it is overloaded,
 * an overload report OC-OLR asking the reacting node to send fewer requests (§5.2).
 *
 *   OC-Supported-Features ::= < AVP Header: 621 > [ OC-Feature-Vector ] *[ AVP ]
 *   OC-OLR ::= < AVP Header: 623 > < OC-Sequence-Number > < OC-Report-Type >
 *              [ OC-Reduction-Percentage ] [ OC-Validity-Duration ] *[ AVP ]
 */
import {
  encodeAvps,
  findAvp,
  readGrouped,
  readUnsigned32,
  readUnsigned64,
  type RawAvp,
} from './avp.js';
import { Avp, avp } from './dictionary.js';

/** OC-Feature-Vector bits (RFC 7683 §7.3): the loss algorithm every DOIC node supports. */
export const OC_OLR_DEFAULT_ALGO = 1n;

/** OC-Report-Type values (RFC 7683 §7.6). */
export const OcReportType = { HOST_REPORT: 0, REALM_REPORT: 1 } as const;

/** Default and largest OC-Validity-Duration in seconds (RFC 7683 §7.4). */
export const OC_DEFAULT_VALIDITY_S = 30;
export const OC_MAX_VALIDITY_S = 86_400;

/** An overload report (RFC 7683 §5.2, §7.4-7.7). */
export interface OverloadReport {
  /** Grows with every new report content (§5.5.2); a reacting node ignores an older one. */
  readonly sequenceNumber: bigint;
  readonly reportType: number;
  /** Share of the traffic, 0-100, the reacting node should not send (the loss algorithm). */
  readonly reductionPercentage: number;
  /** Seconds the report holds; 0 ends the overload condition (§5.5.4). */
  readonly validityDuration: number;
}

/** OC-Supported-Features with the selected algorithm, encoded (for an answer). */
export function encodeOcSupportedFeatures(featureVector: bigint): Buffer {
  return encodeAvps([avp(Avp.OcSupportedFeatures, [avp(Avp.OcFeatureVector, featureVector)])]);
}

/** OC-OLR, encoded (for an answer). Throws a RangeError for a value out of its range. */
export function encodeOcOlr(r: OverloadReport): Buffer {
  if (!(Number.isInteger(r.reductionPercentage) && r.reductionPercentage >= 0))
    throw new RangeError(`OC-Reduction-Percentage ${r.reductionPercentage}`);
  if (r.reductionPercentage > 100)
    throw new RangeError(`OC-Reduction-Percentage ${r.reductionPercentage} > 100`);
  const v = r.validityDuration;
  if (!(Number.isInteger(v) && v >= 0 && v <= OC_MAX_VALIDITY_S))
    throw new RangeError(`OC-Validity-Duration ${v}`);
  return encodeAvps([
    avp(Avp.OcOlr, [
      avp(Avp.OcSequenceNumber, r.sequenceNumber),
      avp(Avp.OcReportType, r.reportType),
      avp(Avp.OcReductionPercentage, r.reductionPercentage),
      avp(Avp.OcValidityDuration, v),
    ]),
  ]);
}

/**
 * The OC-Feature-Vector inside an OC-Supported-Features payload (`buf[start, end)`), read in place;
 * 0n when the vector is absent (§7.1: the node then supports the default algorithm only, which is
 * reported as OLR_DEFAULT_ALGO), undefined when the payload is not a list of AVPs.
 */
export function readOcFeatureVector(buf: Buffer, start: number, end: number): bigint | undefined {
  let q = start;
  while (end - q >= 8) {
    const len = (buf[q + 5]! << 16) | (buf[q + 6]! << 8) | buf[q + 7]!;
    const hl = buf[q + 4]! & 0x80 ? 12 : 8;
    if (len < hl || len > end - q) return undefined;
    if (hl === 8 && buf.readUInt32BE(q) === Avp.OcFeatureVector.code) {
      return len - hl === 8 ? featureVector(buf, q + hl) : undefined;
    }
    q += (len + 3) & ~3;
  }
  return q === end ? 0n : undefined;
}

/** The vectors of up to 8 bits (every feature RFC 7683 defines), made once: no BigInt per read. */
const SMALL_VECTORS = Array.from({ length: 256 }, (_, i) => BigInt(i));

/** The Unsigned64 at `at`. */
function featureVector(buf: Buffer, at: number): bigint {
  if ((buf[at]! | buf[at + 1]! | buf[at + 2]! | buf[at + 3]!) === 0) {
    if ((buf[at + 4]! | buf[at + 5]! | buf[at + 6]!) === 0) return SMALL_VECTORS[buf[at + 7]!]!;
  }
  return buf.readBigUInt64BE(at);
}

/** The DOIC AVPs among an answer's decoded AVPs (for load clients and tests). */
export function findDoic(avps: readonly RawAvp[]): {
  featureVector?: bigint;
  report?: OverloadReport;
} {
  const out: { featureVector?: bigint; report?: OverloadReport } = {};
  const f = findAvp(avps, Avp.OcSupportedFeatures.code);
  if (f) {
    const fv = readOcFeatureVector(f.data, 0, f.data.length);
    if (fv !== undefined) out.featureVector = fv;
  }
  const olr = findAvp(avps, Avp.OcOlr.code);
  const members = olr ? readGrouped(olr) : undefined;
  if (members?.kind === 'ok') {
    const m = members.value;
    const u32 = (code: number, dflt: number) => {
      const a = findAvp(m, code);
      const r = a ? readUnsigned32(a) : undefined;
      return r === undefined ? dflt : r.kind === 'ok' ? r.value : undefined;
    };
    const seqAvp = findAvp(m, Avp.OcSequenceNumber.code);
    const seq = seqAvp ? readUnsigned64(seqAvp) : undefined;
    const type = u32(Avp.OcReportType.code, -1);
    const reduction = u32(Avp.OcReductionPercentage.code, 0);
    const validity = u32(Avp.OcValidityDuration.code, OC_DEFAULT_VALIDITY_S);
    if (seq?.kind === 'ok' && type !== undefined && type >= 0 && reduction !== undefined) {
      if (validity !== undefined)
        out.report = {
          sequenceNumber: seq.value,
          reportType: type,
          reductionPercentage: reduction,
          validityDuration: validity,
        };
    }
  }
  return out;
}
