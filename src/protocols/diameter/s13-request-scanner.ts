/**
 * One pass over the AVPs of an ME-Identity-Check-Request (TS 29.272 §7.2.19), in place: checks
 * every AVP as RFC 6733 §7 asks (lengths, repeats, UTF-8, M-bit unknown AVPs, the mandatory ones)
 * and notes where each value is, for s13-request-decoder.ts. No closure, no per-AVP object; the
 * errors carry the Failed-AVP content (§7.5).
 */
import { isUtf8 } from 'node:buffer';
import { AVP_FLAG_M, AVP_FLAG_V, encodeAvps, pad4 } from './avp.js';
import { parseError, type ParseError } from './command-rules.js';
import { Avp, ResultCode, VENDOR_3GPP, avp, exampleAvp } from './dictionary.js';
import { readOcFeatureVector } from './doic.js';
import { HEADER_LENGTH } from './message.js';

// The UTF8String fields of an ECR (a bit each in `nonAscii`), as the scanner and request note them.
export const SESSION_ID = 0;
export const ORIGIN_HOST = 1;
export const ORIGIN_REALM = 2;
export const DESTINATION_REALM = 3;
export const DESTINATION_HOST = 4;
export const USER_NAME = 5;
export const IMEI = 6;
export const SOFTWARE_VERSION = 7;
const TEXT_FIELDS = 8;

/** A copy of the AVP at `off` (as much as exists), padded, for Failed-AVP. */
function copyAvp(buf: Buffer, off: number, len: number, end: number): Buffer {
  const n = Math.min(Math.max(len, 0), end - off);
  const out = Buffer.alloc(pad4(n));
  buf.copy(out, 0, off, off + n);
  return out;
}

/** A Terminal-Information around one member, for a Failed-AVP about that member (§7.5). */
function inTerminalInformation(member: Buffer): Buffer {
  const out = Buffer.alloc(12 + member.length);
  out.writeUInt32BE(Avp.TerminalInformation.code, 0);
  out.writeUInt32BE(12 + member.length, 4);
  out[4] = AVP_FLAG_V | AVP_FLAG_M;
  out.writeUInt32BE(VENDOR_3GPP, 8);
  member.copy(out, 12);
  return out;
}

const missing = (name: string, failed: Buffer): ParseError =>
  parseError(ResultCode.MISSING_AVP, `missing ${name}`, -1, failed);

/**
 * Whether bytes [start, end) of `view` are all ASCII (then valid UTF-8, read as Latin-1). Four
 * bytes a step and no branch per step: the values are tens of bytes, almost always ASCII.
 */
function isAscii(view: DataView<ArrayBufferLike>, start: number, end: number): boolean {
  let any = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) any |= view.getUint32(i);
  for (; i < end; i++) any |= view.getUint8(i);
  return (any & 0x80808080) === 0;
}

/** The text of a UTF8String already found valid; ASCII read as Latin-1, the fast path. */
export function textAt(buf: Buffer, start: number, end: number, ascii: boolean): string {
  return buf.toString(ascii ? 'latin1' : 'utf8', start, end);
}

/**
 * One pass over an ECR's AVPs (the state of one decode; one instance serves every call, the
 * decoder being synchronous). Notes where each value is and stops at the first error.
 */
export class EcrScanner {
  buf: Buffer = Buffer.alloc(0);
  /**
   * A view of the memory under `buf` (offset `base`), for reading several bytes at a time. Kept
   * while messages come from the same memory (a socket read, the Buffer pool): one per read, not
   * per message; it keeps that memory alive until the next decode from other memory.
   */
  view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  base = 0;
  end = 0;
  /** The AVP being read: offset and length (what `fail` reports). */
  off = 0;
  len = 0;
  error: ParseError | undefined = undefined;
  /** Value offsets of the UTF8String fields, by field number; start -1: absent. */
  readonly starts = new Int32Array(TEXT_FIELDS);
  readonly ends = new Int32Array(TEXT_FIELDS);
  nonAscii = 0;
  authSessionState = -1;
  terminal = false;
  meidStart = -1;
  meidEnd = -1;
  proxyInfo: Buffer[] | undefined = undefined;
  ocFeatureVector: bigint | undefined = undefined;

  reset(buf: Buffer): void {
    this.buf = buf;
    if (buf.buffer !== this.view.buffer) this.view = new DataView(buf.buffer);
    this.base = buf.byteOffset;
    this.end = buf.length;
    this.off = HEADER_LENGTH;
    this.len = 0;
    this.error = undefined;
    this.starts.fill(-1);
    this.nonAscii = 0;
    this.authSessionState = -1;
    this.terminal = false;
    this.meidStart = -1;
    this.meidEnd = -1;
    this.proxyInfo = undefined;
    this.ocFeatureVector = undefined;
  }

  /** An error about the AVP being read, with a copy of it for Failed-AVP. */
  fail(rc: number, reason: string): ParseError {
    return parseError(rc, reason, this.off, copyAvp(this.buf, this.off, this.len, this.end));
  }

  /** A single-valued UTF8String AVP's value [s, e): 5009 if repeated, 5004 if not UTF-8. */
  single(field: number, s: number, e: number): void {
    if (this.starts[field]! >= 0) {
      this.error = this.fail(ResultCode.AVP_OCCURS_TOO_MANY_TIMES, `AVP at ${this.off} repeated`);
      return;
    }
    const buf = this.buf;
    if (!isAscii(this.view, this.base + s, this.base + e)) {
      if (!isUtf8(buf.subarray(s, e))) {
        this.error = this.fail(ResultCode.INVALID_AVP_VALUE, `AVP at ${this.off}: bad UTF-8`);
        return;
      }
      this.nonAscii |= 1 << field;
    }
    this.starts[field] = s;
    this.ends[field] = e;
  }

  /** The text of a field found valid, or undefined when absent. */
  text(field: number): string | undefined {
    const s = this.starts[field]!;
    if (s < 0) return undefined;
    return textAt(this.buf, s, this.ends[field]!, (this.nonAscii & (1 << field)) === 0);
  }

  /** Scans the AVPs after the header; `error` is the first problem, if any. */
  scan(): void {
    const buf = this.buf;
    const view = this.view;
    const base = this.base;
    const end = this.end;
    while (this.off < end && !this.error) {
      const off = this.off;
      // Flags and length in one read (RFC 6733 §4.1: flags, then a 24-bit length).
      const word = end - off >= 8 ? view.getUint32(base + off + 4) : 0;
      const len = word & 0xffffff;
      this.len = len;
      const flags = word >>> 24;
      const hl = flags & AVP_FLAG_V ? 12 : 8;
      if (len < hl || len > end - off) {
        this.error = this.fail(ResultCode.INVALID_AVP_LENGTH, `AVP at ${off}: bad length ${len}`);
        break;
      }
      const code = view.getUint32(base + off);
      const vendor = hl === 12 ? view.getUint32(base + off + 8) : 0;
      const s = off + hl;
      const e = off + len;
      if (vendor === 0) {
        switch (code) {
          case 263:
            this.single(SESSION_ID, s, e);
            break;
          case 264:
            this.single(ORIGIN_HOST, s, e);
            break;
          case 296:
            this.single(ORIGIN_REALM, s, e);
            break;
          case 283:
            this.single(DESTINATION_REALM, s, e);
            break;
          case 293:
            this.single(DESTINATION_HOST, s, e);
            break;
          case 1:
            this.single(USER_NAME, s, e);
            break;
          case 277:
            if (this.authSessionState >= 0) {
              this.error = this.fail(
                ResultCode.AVP_OCCURS_TOO_MANY_TIMES,
                'Auth-Session-State repeated',
              );
            } else if (len - hl !== 4) {
              this.error = this.fail(
                ResultCode.INVALID_AVP_LENGTH,
                'Auth-Session-State is not 4 bytes',
              );
            } else if ((this.authSessionState = buf.readUInt32BE(s)) > 1) {
              this.error = this.fail(
                ResultCode.INVALID_AVP_VALUE,
                `Auth-Session-State ${this.authSessionState}`,
              );
            }
            break;
          case 284: // Proxy-Info, copied into the answer (RFC 6733 §6.2)
            (this.proxyInfo ??= []).push(buf.subarray(off, Math.min(off + pad4(len), end)));
            break;
          case 621: // OC-Supported-Features (RFC 7683): M bit clear, a malformed one is ignored
            this.ocFeatureVector = readOcFeatureVector(buf, s, e);
            break;
          case 282: // Route-Record
          case 260: // Vendor-Specific-Application-Id
          case 301: // DRMP
            break;
          default:
            if (flags & AVP_FLAG_M) this.unsupported(code, vendor);
        }
      } else if (vendor === VENDOR_3GPP && code === 1401) {
        if (this.terminal) {
          this.error = this.fail(
            ResultCode.AVP_OCCURS_TOO_MANY_TIMES,
            'Terminal-Information repeated',
          );
        }
        this.terminal = true;
        this.scanTerminalInformation(s, e);
      } else if (flags & AVP_FLAG_M) {
        this.unsupported(code, vendor);
      }
      this.off = off + pad4(len);
    }
    if (!this.error) this.error = this.checkMandatory();
  }

  unsupported(code: number, vendor: number): void {
    this.error = this.fail(
      ResultCode.AVP_UNSUPPORTED,
      `unsupported AVP ${code} (vendor ${vendor}) with M bit`,
    );
  }

  /** Terminal-Information members (TS 29.272 §7.3.3), scanned in place. */
  scanTerminalInformation(s: number, e: number): void {
    const view = this.view;
    const base = this.base;
    let q = s;
    while (q < e && !this.error) {
      const word = e - q >= 8 ? view.getUint32(base + q + 4) : 0;
      const l = word & 0xffffff;
      const f = word >>> 24;
      const h = f & AVP_FLAG_V ? 12 : 8;
      if (l < h || l > e - q) {
        this.member(
          q,
          l,
          e,
          ResultCode.INVALID_AVP_LENGTH,
          `Terminal-Information member at ${q}: length ${l}`,
        );
        return;
      }
      const c = view.getUint32(base + q);
      const v = h === 12 ? view.getUint32(base + q + 8) : 0;
      const known = v === VENDOR_3GPP && (c === 1402 || c === 1403 || c === 1471);
      if (known) {
        const seen =
          c === 1402
            ? this.starts[IMEI]! >= 0
            : c === 1403
              ? this.starts[SOFTWARE_VERSION]! >= 0
              : this.meidStart >= 0;
        if (seen) {
          this.member(q, l, e, ResultCode.AVP_OCCURS_TOO_MANY_TIMES, `AVP ${c} repeated`);
        } else if (c === 1471) {
          this.meidStart = q + h;
          this.meidEnd = q + l;
        } else {
          const field = c === 1402 ? IMEI : SOFTWARE_VERSION;
          let ok = true;
          if (!isAscii(this.view, this.base + q + h, this.base + q + l)) {
            ok = isUtf8(this.buf.subarray(q + h, q + l));
            this.nonAscii |= 1 << field;
          }
          if (!ok) this.member(q, l, e, ResultCode.INVALID_AVP_VALUE, `AVP ${c}: bad UTF-8`);
          else {
            this.starts[field] = q + h;
            this.ends[field] = q + l;
          }
        }
      } else if (f & AVP_FLAG_M) {
        this.member(
          q,
          l,
          e,
          ResultCode.AVP_UNSUPPORTED,
          `unsupported AVP ${c} (vendor ${v}) with M bit`,
        );
      }
      q += pad4(l);
    }
  }

  /** An error about a Terminal-Information member: Failed-AVP is the group holding just it. */
  member(q: number, l: number, e: number, rc: number, reason: string): void {
    this.error = parseError(rc, reason, q, inTerminalInformation(copyAvp(this.buf, q, l, e)));
  }

  checkMandatory(): ParseError | undefined {
    const ex = (d: Parameters<typeof exampleAvp>[0]): Buffer => encodeAvps([exampleAvp(d)]);
    const st = this.starts;
    if (st[SESSION_ID]! < 0) return missing('Session-Id', ex(Avp.SessionId));
    if (this.authSessionState < 0) return missing('Auth-Session-State', ex(Avp.AuthSessionState));
    if (st[ORIGIN_HOST]! < 0) return missing('Origin-Host', ex(Avp.OriginHost));
    if (st[ORIGIN_REALM]! < 0) return missing('Origin-Realm', ex(Avp.OriginRealm));
    if (st[DESTINATION_REALM]! < 0) return missing('Destination-Realm', ex(Avp.DestinationRealm));
    if (!this.terminal) return missing('Terminal-Information', ex(Avp.TerminalInformation));
    if (st[IMEI]! < 0 && this.meidStart < 0) {
      const failed = encodeAvps([avp(Avp.TerminalInformation, [exampleAvp(Avp.Imei)])]);
      return missing('IMEI (or 3GPP2-MEID) in Terminal-Information', failed);
    }
    return undefined;
  }
}
