/**
 * The hot path of S13: decoding an ME-Identity-Check-Request (TS 29.272 §7.2.19) straight from
 * its wire bytes. One pass over the AVPs that validates them all (UTF-8 included) and notes where
 * each value is; no closure, no per-AVP object. The request it returns holds the buffer and those
 * offsets: a string is made when a caller first reads it (the server reads the IMEI, User-Name and
 * Origin-Host; the Session-Id goes back into the answer as bytes). Errors follow RFC 6733 §7 with
 * the Failed-AVP content (§7.5) ready to answer with. s13-request-decoder.test.ts proves it equal,
 * field by field and error by error, to the decoder it replaced (s13-request-decoder-reference.ts).
 *
 *   < ME-Identity-Check-Request > ::= < Diameter Header: 324, REQ, PXY, 16777252 >
 *     < Session-Id > [ DRMP ] [ Vendor-Specific-Application-Id ] { Auth-Session-State }
 *     { Origin-Host } { Origin-Realm } [ Destination-Host ] { Destination-Realm }
 *     { Terminal-Information } [ User-Name ] *[ AVP ] *[ Proxy-Info ] *[ Route-Record ]
 */
import { isUtf8 } from 'node:buffer';
import { AVP_FLAG_M, AVP_FLAG_V, encodeAvps, pad4 } from './avp.js';
import { parseError, type ParseError } from './command-rules.js';
import type { RequestContext } from './answer.js';
import {
  APP_S13,
  Avp,
  CMD_ME_IDENTITY_CHECK,
  ResultCode,
  VENDOR_3GPP,
  avp,
  exampleAvp,
} from './dictionary.js';
import { readOcFeatureVector } from './doic.js';
import { CMD_FLAG_R, HEADER_LENGTH, checkHeader, type DiameterMessage } from './message.js';
import type { LastText } from './last-text.js';

/** Terminal-Information (TS 29.272 §7.3.3). */
export interface TerminalInformation {
  /** IMEI (§7.3.4): 14 digits, or 15 with a check digit or spare; as sent, not validated here. */
  readonly imei?: string;
  /** Software-Version (§7.3.5): 2 digits, the SVN. */
  readonly softwareVersion?: string;
  /** 3GPP2-MEID (§7.3.6), the raw octets. */
  readonly meid?: Uint8Array;
}

/**
 * A decoded ECR, every AVP checked. The strings are made on first read (then kept), from the
 * message's bytes; `sessionIdBytes` is the Session-Id as received.
 */
export interface MeIdentityCheckRequest extends RequestContext {
  readonly sessionId: string;
  readonly originHost: string;
  readonly originRealm: string;
  readonly destinationRealm: string;
  readonly destinationHost?: string;
  readonly authSessionState: number;
  readonly terminalInformation: TerminalInformation;
  /** User-Name: the IMSI, when the MME sends it. */
  readonly userName?: string;
  /**
   * OC-Feature-Vector of OC-Supported-Features (RFC 7683 §7.1-7.2) when the sender is a DOIC
   * reacting node (0n: the AVP without a vector); undefined when it did not advertise DOIC.
   */
  readonly ocFeatureVector?: bigint;
}

/** An ECR that cannot be served; `context` has what was read, so the error can be answered. */
export interface MeIdentityCheckRequestError extends ParseError {
  readonly context?: RequestContext;
}

export type MeIdentityCheckRequestResult =
  { readonly kind: 'ok'; readonly request: MeIdentityCheckRequest } | MeIdentityCheckRequestError;

// The UTF8String fields of an ECR (a bit each in `nonAscii`), as the scanner and request note them.
const SESSION_ID = 0;
const ORIGIN_HOST = 1;
const ORIGIN_REALM = 2;
const DESTINATION_REALM = 3;
const DESTINATION_HOST = 4;
const USER_NAME = 5;
const IMEI = 6;
const SOFTWARE_VERSION = 7;
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
function textAt(buf: Buffer, start: number, end: number, ascii: boolean): string {
  return buf.toString(ascii ? 'latin1' : 'utf8', start, end);
}

/**
 * One pass over an ECR's AVPs (the state of one decode; one instance serves every call, the
 * decoder being synchronous). Notes where each value is and stops at the first error.
 */
class EcrScanner {
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

const scanner = new EcrScanner();
const NO_BYTES = Buffer.alloc(0);

/**
 * A valid ECR read in place: the header numbers, Auth-Session-State, Proxy-Info and the DOIC
 * feature vector at once; each string on first read (then kept). `sessionIdBytes` is the
 * Session-Id as received, for the answer to copy (RFC 6733 §8.8).
 */
class InPlaceEcr implements MeIdentityCheckRequest, TerminalInformation {
  readonly flags: number;
  readonly commandCode: number;
  readonly applicationId: number;
  readonly hopByHop: number;
  readonly endToEnd: number;
  readonly authSessionState: number;
  readonly proxyInfo: Buffer[] | undefined;
  readonly ocFeatureVector: bigint | undefined;
  private readonly buf: Buffer;
  private readonly nonAscii: number;
  // [start, end) of each value; start -1: absent (the required ones are always there).
  private readonly sidS: number;
  private readonly sidE: number;
  private readonly ohS: number;
  private readonly ohE: number;
  private readonly orS: number;
  private readonly orE: number;
  private readonly drS: number;
  private readonly drE: number;
  private readonly dhS: number;
  private readonly dhE: number;
  private readonly unS: number;
  private readonly unE: number;
  private readonly imS: number;
  private readonly imE: number;
  private readonly svS: number;
  private readonly svE: number;
  private readonly meS: number;
  private readonly meE: number;
  #hosts: LastText | undefined;
  #sessionId: string | undefined;
  #originHost: string | undefined;
  #originRealm: string | undefined;
  #destinationRealm: string | undefined;
  #destinationHost: string | undefined;
  #userName: string | undefined;
  #imei: string | undefined;
  #softwareVersion: string | undefined;
  #meid: Uint8Array | undefined;

  constructor(r: EcrScanner, hosts: LastText | undefined) {
    const b = r.buf;
    this.buf = b;
    this.flags = b[4]!;
    this.commandCode = (b[5]! << 16) | (b[6]! << 8) | b[7]!;
    this.applicationId = b.readUInt32BE(8);
    this.hopByHop = b.readUInt32BE(12);
    this.endToEnd = b.readUInt32BE(16);
    this.authSessionState = r.authSessionState;
    this.proxyInfo = r.proxyInfo;
    this.ocFeatureVector = r.ocFeatureVector;
    this.nonAscii = r.nonAscii;
    const s = r.starts;
    const e = r.ends;
    this.sidS = s[SESSION_ID]!;
    this.sidE = e[SESSION_ID]!;
    this.ohS = s[ORIGIN_HOST]!;
    this.ohE = e[ORIGIN_HOST]!;
    this.orS = s[ORIGIN_REALM]!;
    this.orE = e[ORIGIN_REALM]!;
    this.drS = s[DESTINATION_REALM]!;
    this.drE = e[DESTINATION_REALM]!;
    this.dhS = s[DESTINATION_HOST]!;
    this.dhE = e[DESTINATION_HOST]!;
    this.unS = s[USER_NAME]!;
    this.unE = e[USER_NAME]!;
    this.imS = s[IMEI]!;
    this.imE = e[IMEI]!;
    this.svS = s[SOFTWARE_VERSION]!;
    this.svE = e[SOFTWARE_VERSION]!;
    this.meS = r.meidStart;
    this.meE = r.meidEnd;
    this.#hosts = hosts;
  }

  private ascii(field: number): boolean {
    return (this.nonAscii & (1 << field)) === 0;
  }

  get sessionId(): string {
    return (this.#sessionId ??= textAt(this.buf, this.sidS, this.sidE, this.ascii(SESSION_ID)));
  }

  get sessionIdBytes(): Uint8Array {
    return this.buf.subarray(this.sidS, this.sidE);
  }

  get originHost(): string {
    if (this.#originHost === undefined) {
      const ascii = this.ascii(ORIGIN_HOST);
      this.#originHost = this.#hosts
        ? this.#hosts.read(this.buf, this.ohS, this.ohE, ascii)
        : textAt(this.buf, this.ohS, this.ohE, ascii);
    }
    return this.#originHost;
  }

  get originRealm(): string {
    return (this.#originRealm ??= textAt(this.buf, this.orS, this.orE, this.ascii(ORIGIN_REALM)));
  }

  get destinationRealm(): string {
    return (this.#destinationRealm ??= textAt(
      this.buf,
      this.drS,
      this.drE,
      this.ascii(DESTINATION_REALM),
    ));
  }

  get destinationHost(): string | undefined {
    if (this.dhS < 0) return undefined;
    return (this.#destinationHost ??= textAt(
      this.buf,
      this.dhS,
      this.dhE,
      this.ascii(DESTINATION_HOST),
    ));
  }

  get userName(): string | undefined {
    if (this.unS < 0) return undefined;
    return (this.#userName ??= textAt(this.buf, this.unS, this.unE, this.ascii(USER_NAME)));
  }

  /** Terminal-Information: this request, which has its members' getters (no object per read). */
  get terminalInformation(): TerminalInformation {
    return this;
  }

  get imei(): string | undefined {
    if (this.imS < 0) return undefined;
    return (this.#imei ??= textAt(this.buf, this.imS, this.imE, this.ascii(IMEI)));
  }

  get softwareVersion(): string | undefined {
    if (this.svS < 0) return undefined;
    return (this.#softwareVersion ??= textAt(
      this.buf,
      this.svS,
      this.svE,
      this.ascii(SOFTWARE_VERSION),
    ));
  }

  get meid(): Uint8Array | undefined {
    if (this.meS < 0) return undefined;
    return (this.#meid ??= this.buf.subarray(this.meS, this.meE));
  }
}

/**
 * Decodes one whole ECR message (as cut by the framer); never throws. A request reads its strings
 * from `buf` when first asked: `buf` must not change while the request is in use. `originHosts`,
 * kept per connection, lets requests with the same Origin-Host bytes share one string.
 */
export function decodeMeIdentityCheckRequest(
  buf: Buffer,
  originHosts?: LastText,
): MeIdentityCheckRequestResult {
  const bad = checkHeader(buf);
  if (bad) {
    const ctx = buf.length >= HEADER_LENGTH ? header(buf) : undefined;
    return withContext(parseError(bad.resultCode, bad.reason, bad.offset), ctx);
  }
  const flags = buf[4]!;
  const commandCode = (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!;
  if (commandCode !== CMD_ME_IDENTITY_CHECK || !(flags & CMD_FLAG_R)) {
    return withContext(parseError(ResultCode.COMMAND_UNSUPPORTED, 'not an ECR', 4), header(buf));
  }
  const applicationId = buf.readUInt32BE(8);
  if (applicationId !== APP_S13) {
    const r = `application ${applicationId} is not S13`;
    return withContext(parseError(ResultCode.APPLICATION_UNSUPPORTED, r, 8), header(buf));
  }
  const r = scanner;
  r.reset(buf);
  r.scan();
  const error = r.error;
  let result: MeIdentityCheckRequestResult;
  if (error) {
    const context: RequestContext = {
      ...header(buf),
      sessionId: r.text(SESSION_ID),
      proxyInfo: r.proxyInfo,
    };
    result = withContext(error, context);
  } else {
    result = { kind: 'ok', request: new InPlaceEcr(r, originHosts) };
  }
  r.buf = NO_BYTES; // not kept alive by the scanner
  r.proxyInfo = undefined;
  r.error = undefined;
  return result;
}

function header(buf: Buffer): RequestContext {
  return {
    flags: buf[4]!,
    commandCode: (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!,
    applicationId: buf.readUInt32BE(8),
    hopByHop: buf.readUInt32BE(12),
    endToEnd: buf.readUInt32BE(16),
  };
}

function withContext(
  e: ParseError,
  context: RequestContext | undefined,
): MeIdentityCheckRequestError {
  return context ? { ...e, context } : e;
}

/** Parses an ECR already decoded by `decodeMessage` (same rules, over its bytes). */
export function parseMeIdentityCheckRequest(m: DiameterMessage): MeIdentityCheckRequestResult {
  return decodeMeIdentityCheckRequest(m.bytes);
}
