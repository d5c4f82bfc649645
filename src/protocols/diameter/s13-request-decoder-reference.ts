/**
 * TEST ONLY: the ECR decoder as it was before the in-place decoder of s13-request-decoder.ts
 * (commit df307b4), kept verbatim as the reference that s13-request-decoder.test.ts proves the
 * new decoder equal to (every field, every error with its Result-Code, Failed-AVP and context).
 * Not exported from index.ts; do not use outside tests.
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
import { CMD_FLAG_R, HEADER_LENGTH, checkHeader } from './message.js';

/** Terminal-Information (TS 29.272 §7.3.3). */
export interface ReferenceTerminalInformation {
  /** IMEI (§7.3.4): 14 digits, or 15 with a check digit or spare; as sent, not validated here. */
  readonly imei?: string;
  /** Software-Version (§7.3.5): 2 digits, the SVN. */
  readonly softwareVersion?: string;
  /** 3GPP2-MEID (§7.3.6), the raw octets. */
  readonly meid?: Uint8Array;
}

/** A decoded ECR. */
export interface ReferenceEcr extends RequestContext {
  readonly sessionId: string;
  readonly originHost: string;
  readonly originRealm: string;
  readonly destinationRealm: string;
  readonly destinationHost?: string;
  readonly authSessionState: number;
  readonly terminalInformation: ReferenceTerminalInformation;
  /** User-Name: the IMSI, when the MME sends it. */
  readonly userName?: string;
  /**
   * OC-Feature-Vector of OC-Supported-Features (RFC 7683 §7.1-7.2) when the sender is a DOIC
   * reacting node (0n: the AVP without a vector); undefined when it did not advertise DOIC.
   */
  readonly ocFeatureVector?: bigint;
}

/** An ECR that cannot be served; `context` has what was read, so the error can be answered. */
export interface ReferenceEcrError extends ParseError {
  readonly context?: RequestContext;
}

export type ReferenceEcrResult =
  { readonly kind: 'ok'; readonly request: ReferenceEcr } | ReferenceEcrError;

/** Reads a UTF8String, ASCII fast; undefined if it is not valid UTF-8. */
function text(buf: Buffer, s: number, e: number): string | undefined {
  for (let i = s; i < e; i++) {
    if (buf[i]! >= 0x80) return isUtf8(buf.subarray(s, e)) ? buf.toString('utf8', s, e) : undefined;
  }
  return buf.toString('latin1', s, e);
}

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

/** Decodes one whole ECR message (as cut by the framer); never throws. */
export function decodeMeIdentityCheckRequestReference(buf: Buffer): ReferenceEcrResult {
  const bad = checkHeader(buf);
  if (bad) {
    const ctx = buf.length >= HEADER_LENGTH ? header(buf) : undefined;
    return withContext(parseError(bad.resultCode, bad.reason, bad.offset), ctx);
  }
  const ctx0 = header(buf);
  if (ctx0.commandCode !== CMD_ME_IDENTITY_CHECK || !(ctx0.flags & CMD_FLAG_R)) {
    return withContext(parseError(ResultCode.COMMAND_UNSUPPORTED, 'not an ECR', 4), ctx0);
  }
  if (ctx0.applicationId !== APP_S13) {
    const r = `application ${ctx0.applicationId} is not S13`;
    return withContext(parseError(ResultCode.APPLICATION_UNSUPPORTED, r, 8), ctx0);
  }

  let sessionId: string | undefined;
  let originHost: string | undefined;
  let originRealm: string | undefined;
  let destinationRealm: string | undefined;
  let destinationHost: string | undefined;
  let userName: string | undefined;
  let authSessionState = -1;
  let terminal = false;
  let imei: string | undefined;
  let softwareVersion: string | undefined;
  let meid: Uint8Array | undefined;
  let proxyInfo: Buffer[] | undefined;
  let ocFeatureVector: bigint | undefined;
  let error: ParseError | undefined;

  const end = buf.length;
  let off = HEADER_LENGTH;
  let len = 0;
  const fail = (rc: number, reason: string, at = off, l = len): ParseError =>
    parseError(rc, reason, at, copyAvp(buf, at, l, end));
  /** A single-valued UTF8String AVP: 5009 if repeated, 5004 if not UTF-8. */
  const single = (prev: string | undefined, s: number, e: number): string | undefined => {
    if (prev !== undefined) {
      error = fail(ResultCode.AVP_OCCURS_TOO_MANY_TIMES, `AVP at ${off} repeated`);
      return prev;
    }
    const v = text(buf, s, e);
    if (v === undefined) error = fail(ResultCode.INVALID_AVP_VALUE, `AVP at ${off}: bad UTF-8`);
    return v;
  };

  while (off < end && !error) {
    len = end - off >= 8 ? (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]! : 0;
    const flags = end - off >= 8 ? buf[off + 4]! : 0;
    const hl = flags & AVP_FLAG_V ? 12 : 8;
    if (len < hl || len > end - off) {
      error = fail(ResultCode.INVALID_AVP_LENGTH, `AVP at ${off}: bad length ${len}`);
      break;
    }
    const code = buf.readUInt32BE(off);
    const vendor = hl === 12 ? buf.readUInt32BE(off + 8) : 0;
    const s = off + hl;
    const e = off + len;
    if (vendor === 0) {
      switch (code) {
        case 263:
          sessionId = single(sessionId, s, e);
          break;
        case 264:
          originHost = single(originHost, s, e);
          break;
        case 296:
          originRealm = single(originRealm, s, e);
          break;
        case 283:
          destinationRealm = single(destinationRealm, s, e);
          break;
        case 293:
          destinationHost = single(destinationHost, s, e);
          break;
        case 1:
          userName = single(userName, s, e);
          break;
        case 277:
          if (authSessionState >= 0) {
            error = fail(ResultCode.AVP_OCCURS_TOO_MANY_TIMES, 'Auth-Session-State repeated');
          } else if (len - hl !== 4) {
            error = fail(ResultCode.INVALID_AVP_LENGTH, 'Auth-Session-State is not 4 bytes');
          } else if ((authSessionState = buf.readUInt32BE(s)) > 1) {
            error = fail(ResultCode.INVALID_AVP_VALUE, `Auth-Session-State ${authSessionState}`);
          }
          break;
        case 284: // Proxy-Info, copied into the answer (RFC 6733 §6.2)
          (proxyInfo ??= []).push(buf.subarray(off, Math.min(off + pad4(len), end)));
          break;
        case 621: // OC-Supported-Features (RFC 7683): M bit clear, a malformed one is ignored
          ocFeatureVector = readOcFeatureVector(buf, s, e);
          break;
        case 282: // Route-Record
        case 260: // Vendor-Specific-Application-Id
        case 301: // DRMP
          break;
        default:
          if (flags & AVP_FLAG_M) error = unsupported(code, vendor);
      }
    } else if (vendor === VENDOR_3GPP && code === 1401) {
      if (terminal)
        error = fail(ResultCode.AVP_OCCURS_TOO_MANY_TIMES, 'Terminal-Information repeated');
      terminal = true;
      scanTerminalInformation(s, e);
    } else if (flags & AVP_FLAG_M) {
      error = unsupported(code, vendor);
    }
    off += pad4(len);
  }

  if (!error) error = checkMandatory();
  if (error) return withContext(error, { ...ctx0, sessionId, proxyInfo });
  // A literal with every field (no spread): one stable object shape for the optimiser.
  const request: ReferenceEcr = {
    flags: ctx0.flags,
    commandCode: ctx0.commandCode,
    applicationId: ctx0.applicationId,
    hopByHop: ctx0.hopByHop,
    endToEnd: ctx0.endToEnd,
    sessionId: sessionId!,
    originHost: originHost!,
    originRealm: originRealm!,
    destinationRealm: destinationRealm!,
    destinationHost,
    authSessionState,
    terminalInformation: { imei, softwareVersion, meid },
    userName,
    proxyInfo,
    ocFeatureVector,
  };
  return { kind: 'ok', request };

  function unsupported(code: number, vendor: number): ParseError {
    return fail(
      ResultCode.AVP_UNSUPPORTED,
      `unsupported AVP ${code} (vendor ${vendor}) with M bit`,
    );
  }

  /** Terminal-Information members (TS 29.272 §7.3.3), scanned in place. */
  function scanTerminalInformation(s: number, e: number): void {
    let q = s;
    while (q < e && !error) {
      const l = e - q >= 8 ? (buf[q + 5]! << 16) | (buf[q + 6]! << 8) | buf[q + 7]! : 0;
      const f = e - q >= 8 ? buf[q + 4]! : 0;
      const h = f & AVP_FLAG_V ? 12 : 8;
      const member = (rc: number, reason: string): ParseError =>
        parseError(rc, reason, q, inTerminalInformation(copyAvp(buf, q, l, e)));
      if (l < h || l > e - q) {
        error = member(
          ResultCode.INVALID_AVP_LENGTH,
          `Terminal-Information member at ${q}: length ${l}`,
        );
        return;
      }
      const c = buf.readUInt32BE(q);
      const v = h === 12 ? buf.readUInt32BE(q + 8) : 0;
      const known = v === VENDOR_3GPP && (c === 1402 || c === 1403 || c === 1471);
      if (known) {
        const seen = c === 1402 ? imei : c === 1403 ? softwareVersion : meid;
        if (seen !== undefined) {
          error = member(ResultCode.AVP_OCCURS_TOO_MANY_TIMES, `AVP ${c} repeated`);
        } else if (c === 1471) {
          meid = buf.subarray(q + h, q + l);
        } else {
          const t = text(buf, q + h, q + l);
          if (t === undefined) error = member(ResultCode.INVALID_AVP_VALUE, `AVP ${c}: bad UTF-8`);
          else if (c === 1402) imei = t;
          else softwareVersion = t;
        }
      } else if (f & AVP_FLAG_M) {
        error = member(ResultCode.AVP_UNSUPPORTED, `unsupported AVP ${c} (vendor ${v}) with M bit`);
      }
      q += pad4(l);
    }
  }

  function checkMandatory(): ParseError | undefined {
    const ex = (d: Parameters<typeof exampleAvp>[0]): Buffer => encodeAvps([exampleAvp(d)]);
    if (sessionId === undefined) return missing('Session-Id', ex(Avp.SessionId));
    if (authSessionState < 0) return missing('Auth-Session-State', ex(Avp.AuthSessionState));
    if (originHost === undefined) return missing('Origin-Host', ex(Avp.OriginHost));
    if (originRealm === undefined) return missing('Origin-Realm', ex(Avp.OriginRealm));
    if (destinationRealm === undefined)
      return missing('Destination-Realm', ex(Avp.DestinationRealm));
    if (!terminal) return missing('Terminal-Information', ex(Avp.TerminalInformation));
    if (imei === undefined && meid === undefined) {
      const failed = encodeAvps([avp(Avp.TerminalInformation, [exampleAvp(Avp.Imei)])]);
      return missing('IMEI (or 3GPP2-MEID) in Terminal-Information', failed);
    }
    return undefined;
  }
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

function withContext(e: ParseError, context: RequestContext | undefined): ReferenceEcrError {
  return context ? { ...e, context } : e;
}
