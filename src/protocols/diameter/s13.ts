/**
 * S13 ME-Identity-Check (TS 29.272 §5.2.1.1, §7.2.19-20): the request encoder (for our load
 * client and tests), the answer encoder on the hot path, and the answer parser.
 *
 *   < ME-Identity-Check-Answer > ::= < Diameter Header: 324, PXY, 16777252 >
 *     < Session-Id > [ DRMP ] [ Vendor-Specific-Application-Id ] [ Result-Code ]
 *     [ Experimental-Result ] { Auth-Session-State } { Origin-Host } { Origin-Realm }
 *     [ Equipment-Status ] *[ AVP ] [ Failed-AVP ] *[ Proxy-Info ] *[ Route-Record ]
 */
import { AVP_FLAG_M, AVP_FLAG_V, encodeAvps, pad4, type OutAvp } from './avp.js';
import { encodeErrorAnswer, type RequestContext } from './answer.js';
import { FieldReader, type ParseError } from './command-rules.js';
import {
  APP_S13,
  Avp,
  AuthSessionState,
  CMD_ME_IDENTITY_CHECK,
  VENDOR_3GPP,
  avp,
  isProtocolError,
  type EquipmentStatusValue,
} from './dictionary.js';
import {
  CMD_FLAG_E,
  CMD_FLAG_P,
  CMD_FLAG_R,
  DIAMETER_VERSION,
  HEADER_LENGTH,
  decodeMessage,
  encodeMessage,
} from './message.js';
import type { OutBuffer } from './out-buffer.js';
import type { TerminalInformation } from './s13-request-decoder.js';

/** What an ECA reports. */
export type MeIdentityCheckResult =
  /** Result-Code 2001 with Equipment-Status. */
  | { readonly kind: 'status'; readonly equipmentStatus: EquipmentStatusValue }
  /** Experimental-Result {10415, code}, e.g. 5422 DIAMETER_ERROR_EQUIPMENT_UNKNOWN. */
  | { readonly kind: 'experimental'; readonly code: number }
  /** Any other Result-Code (3004, 5001, 5005...), with Failed-AVP content when relevant. */
  | {
      readonly kind: 'result';
      readonly code: number;
      readonly failedAvp?: Uint8Array;
      readonly errorMessage?: string;
    };

export interface MeIdentityCheckAnswerOptions {
  readonly request: RequestContext;
  readonly originHost: string;
  readonly originRealm: string;
  readonly result: MeIdentityCheckResult;
  /**
   * Encoded AVPs appended to the answer (the `*[ AVP ]` of the ABNF), e.g. the DOIC
   * OC-Supported-Features and OC-OLR (RFC 7683). Not used with an Error-Message.
   */
  readonly trailer?: Uint8Array;
}

// The Auth-Session-State, Origin-Host and Origin-Realm AVPs are the same in every answer a server
// sends: they are encoded once and copied.
let cachedHost = '';
let cachedRealm = '';
let cachedOrigin: Buffer = Buffer.alloc(0);

function originBytes(host: string, realm: string): Buffer {
  if (host !== cachedHost || realm !== cachedRealm || cachedOrigin.length === 0) {
    cachedOrigin = encodeAvps([
      avp(Avp.AuthSessionState, AuthSessionState.NO_STATE_MAINTAINED),
      avp(Avp.OriginHost, host),
      avp(Avp.OriginRealm, realm),
    ]);
    cachedHost = host;
    cachedRealm = realm;
  }
  return cachedOrigin;
}

/** A 32-bit value known to be in range (a length, a code of ours, `>>> 0`'d ids), byte by byte. */
function u32(buf: Buffer, p: number, v: number): void {
  buf[p] = v >>> 24;
  buf[p + 1] = v >>> 16;
  buf[p + 2] = v >>> 8;
  buf[p + 3] = v;
}

/** An AVP header (RFC 6733 §4.1): code, M (and V with the vendor) flags, length. */
function avpHeader(buf: Buffer, p: number, code: number, vendor: number, length: number): number {
  u32(buf, p, code);
  u32(buf, p + 4, length);
  if (vendor) {
    buf[p + 4] = AVP_FLAG_V | AVP_FLAG_M;
    u32(buf, p + 8, vendor);
    return p + 12;
  }
  buf[p + 4] = AVP_FLAG_M;
  return p + 8;
}

/** An Unsigned32/Enumerated AVP; the value is the caller's, range-checked by writeUInt32BE. */
function writeU32Avp(buf: Buffer, p: number, code: number, vendor: number, value: number): number {
  const q = avpHeader(buf, p, code, vendor, vendor ? 16 : 12);
  buf.writeUInt32BE(value, q);
  return q + 4;
}

/** Zeroes the padding [from, to) (at most 3 bytes: a loop beats `fill`). */
function zero(buf: Buffer, from: number, to: number): void {
  for (let i = from; i < to; i++) buf[i] = 0;
}

/**
 * Encodes an ECA into one Buffer of exactly its size (no AVP objects, bytes written directly). A
 * 3xxx result (3004 TOO_BUSY under overload) sets the E bit (RFC 6733 §7.2; `{ }` and `[ ]` AVPs
 * may come in any order, so the same layout serves). With an Error-Message the generic
 * `encodeErrorAnswer` layout is used. s13-answer.test.ts proves it byte-identical to the encoder
 * it replaced (s13-answer-reference.ts).
 */
export function encodeMeIdentityCheckAnswer(o: MeIdentityCheckAnswerOptions): Buffer {
  const { request, result } = o;
  if (result.kind === 'result' && result.errorMessage !== undefined) {
    return errorAnswer(request, o.originHost, o.originRealm, result, result.errorMessage);
  }
  const origin = originBytes(o.originHost, o.originRealm);
  const sidLen = sessionIdLength(request);
  const length = ecaLength(sidLen, request, result, origin, o.trailer);
  const buf = Buffer.allocUnsafe(length);
  writeEca(buf, 0, length, sidLen, request, result, origin, o.trailer);
  return buf;
}

/**
 * The same ECA as `encodeMeIdentityCheckAnswer`, written at the end of `out` (the hot path: no
 * Buffer, no options object, and a request that can copy its Session-Id bytes gives no view
 * either). On a throw (a code out of range) `out` is left as it was.
 */
export function writeMeIdentityCheckAnswer(
  out: OutBuffer,
  request: RequestContext,
  originHost: string,
  originRealm: string,
  result: MeIdentityCheckResult,
  trailer?: Uint8Array,
): void {
  if (result.kind === 'result' && result.errorMessage !== undefined) {
    out.push(errorAnswer(request, originHost, originRealm, result, result.errorMessage));
    return;
  }
  const origin = originBytes(originHost, originRealm);
  const sidLen = sessionIdLength(request);
  const length = ecaLength(sidLen, request, result, origin, trailer);
  writeEca(out.room(length), out.at, length, sidLen, request, result, origin, trailer);
  out.at += length;
}

function errorAnswer(
  req: RequestContext,
  originHost: string,
  originRealm: string,
  result: MeIdentityCheckResult & { kind: 'result' },
  errorMessage: string,
): Buffer {
  return encodeErrorAnswer({
    request: req,
    originHost,
    originRealm,
    result,
    errorMessage,
    failedAvp: result.failedAvp,
    extraAvps: isProtocolError(result.code) ? [] : [avp(Avp.AuthSessionState, 1)],
  });
}

/** The Session-Id's length in bytes, -1 when the request has none. */
function sessionIdLength(req: RequestContext): number {
  if (req.copySessionId !== undefined) return req.sessionIdLength!;
  if (req.sessionIdBytes !== undefined) return req.sessionIdBytes.length;
  return req.sessionId === undefined ? -1 : Buffer.byteLength(req.sessionId);
}

/** The ECA's length; `sidLen` from sessionIdLength (read once per answer). */
function ecaLength(
  sidLen: number,
  req: RequestContext,
  result: MeIdentityCheckResult,
  origin: Buffer,
  trailer: Uint8Array | undefined,
): number {
  let length = HEADER_LENGTH + origin.length;
  if (sidLen >= 0) length += 8 + pad4(sidLen);
  length += result.kind === 'experimental' ? 32 : 12;
  if (result.kind === 'status') length += 16;
  else if (result.kind === 'result' && result.failedAvp)
    length += 8 + pad4(result.failedAvp.length);
  if (trailer) length += trailer.length;
  if (req.proxyInfo) for (const p of req.proxyInfo) length += p.length;
  return length;
}

/** Writes the ECA of `length` bytes at `b0`. */
function writeEca(
  buf: Buffer,
  b0: number,
  length: number,
  sidLen: number,
  req: RequestContext,
  result: MeIdentityCheckResult,
  origin: Buffer,
  trailer: Uint8Array | undefined,
): void {
  const e = result.kind === 'result' && isProtocolError(result.code) ? CMD_FLAG_E : 0;
  // The header (RFC 6733 §3), as writeHeader writes it.
  u32(buf, b0, length);
  buf[b0] = DIAMETER_VERSION;
  buf.writeUInt32BE(req.commandCode, b0 + 4);
  buf[b0 + 4] = (req.flags & CMD_FLAG_P) | e;
  u32(buf, b0 + 8, req.applicationId >>> 0);
  u32(buf, b0 + 12, req.hopByHop >>> 0);
  u32(buf, b0 + 16, req.endToEnd >>> 0);
  let p = b0 + HEADER_LENGTH;
  if (sidLen >= 0) {
    p = avpHeader(buf, p, Avp.SessionId.code, 0, 8 + sidLen);
    if (req.copySessionId !== undefined) req.copySessionId(buf, p);
    else if (req.sessionIdBytes !== undefined) buf.set(req.sessionIdBytes, p);
    else buf.write(req.sessionId!, p, 'utf8');
    zero(buf, p + sidLen, p + pad4(sidLen));
    p += pad4(sidLen);
  }
  if (result.kind === 'experimental') {
    p = avpHeader(buf, p, Avp.ExperimentalResult.code, 0, 32);
    p = avpHeader(buf, p, Avp.VendorId.code, 0, 12);
    u32(buf, p, VENDOR_3GPP);
    p = writeU32Avp(buf, p + 4, Avp.ExperimentalResultCode.code, 0, result.code);
  } else {
    p = writeU32Avp(buf, p, Avp.ResultCode.code, 0, result.kind === 'status' ? 2001 : result.code);
  }
  buf.set(origin, p);
  p += origin.length;
  if (result.kind === 'status') {
    p = writeU32Avp(buf, p, Avp.EquipmentStatus.code, VENDOR_3GPP, result.equipmentStatus);
  } else if (result.kind === 'result' && result.failedAvp) {
    const failed = result.failedAvp;
    p = avpHeader(buf, p, Avp.FailedAvp.code, 0, 8 + failed.length);
    buf.set(failed, p);
    zero(buf, p + failed.length, p + pad4(failed.length));
    p += pad4(failed.length);
  }
  if (trailer) {
    buf.set(trailer, p);
    p += trailer.length;
  }
  if (req.proxyInfo) {
    for (const pi of req.proxyInfo) {
      buf.set(pi, p);
      p += pi.length;
    }
  }
}

/** Fields of an ECR to encode (the shape `decodeMeIdentityCheckRequest` returns). */
export interface MeIdentityCheckRequestInput {
  readonly hopByHop: number;
  readonly endToEnd: number;
  readonly sessionId: string;
  readonly originHost: string;
  readonly originRealm: string;
  readonly destinationRealm: string;
  readonly destinationHost?: string;
  readonly authSessionState?: number;
  readonly terminalInformation: TerminalInformation;
  readonly userName?: string;
  /** Add Vendor-Specific-Application-Id {10415, 16777252}, as many MMEs do. */
  readonly vendorSpecificApplicationId?: boolean;
  /** Further AVPs, placed before Proxy-Info/Route-Record (the `*[ AVP ]` of the ABNF). */
  readonly extraAvps?: readonly OutAvp[];
}

/** Encodes an ECR (TS 29.272 §7.2.19) with flags R and P. */
export function encodeMeIdentityCheckRequest(r: MeIdentityCheckRequestInput): Buffer {
  const avps: OutAvp[] = [avp(Avp.SessionId, r.sessionId)];
  if (r.vendorSpecificApplicationId) {
    avps.push(
      avp(Avp.VendorSpecificApplicationId, [
        avp(Avp.VendorId, VENDOR_3GPP),
        avp(Avp.AuthApplicationId, APP_S13),
      ]),
    );
  }
  avps.push(avp(Avp.AuthSessionState, r.authSessionState ?? AuthSessionState.NO_STATE_MAINTAINED));
  avps.push(avp(Avp.OriginHost, r.originHost), avp(Avp.OriginRealm, r.originRealm));
  if (r.destinationHost !== undefined) avps.push(avp(Avp.DestinationHost, r.destinationHost));
  avps.push(avp(Avp.DestinationRealm, r.destinationRealm));
  const t = r.terminalInformation;
  const ti: OutAvp[] = [];
  if (t.imei !== undefined) ti.push(avp(Avp.Imei, t.imei));
  if (t.meid !== undefined) ti.push(avp(Avp.Meid3gpp2, t.meid));
  if (t.softwareVersion !== undefined) ti.push(avp(Avp.SoftwareVersion, t.softwareVersion));
  avps.push(avp(Avp.TerminalInformation, ti));
  if (r.userName !== undefined) avps.push(avp(Avp.UserName, r.userName));
  if (r.extraAvps) avps.push(...r.extraAvps);
  return encodeMessage({
    flags: CMD_FLAG_R | CMD_FLAG_P,
    commandCode: CMD_ME_IDENTITY_CHECK,
    applicationId: APP_S13,
    hopByHop: r.hopByHop,
    endToEnd: r.endToEnd,
    avps,
  });
}

/** A decoded ECA. */
export interface MeIdentityCheckAnswer {
  readonly flags: number;
  readonly hopByHop: number;
  readonly endToEnd: number;
  readonly sessionId?: string;
  readonly originHost?: string;
  readonly originRealm?: string;
  readonly resultCode?: number;
  readonly experimentalResult?: { readonly vendorId: number; readonly code: number };
  readonly equipmentStatus?: number;
  readonly errorMessage?: string;
  /** The Failed-AVP content, whole encoded AVPs. */
  readonly failedAvp?: Buffer;
}

/** Decodes an ECA (or an E-bit answer to an ECR); never throws. */
export function decodeMeIdentityCheckAnswer(
  buf: Buffer,
): { kind: 'ok'; answer: MeIdentityCheckAnswer } | ParseError {
  const d = decodeMessage(buf);
  if (d.kind === 'error') return { ...d, kind: 'error' };
  const m = d.message;
  if (m.commandCode !== CMD_ME_IDENTITY_CHECK || m.flags & CMD_FLAG_R) {
    return { kind: 'error', resultCode: 3001, reason: 'not an ECA', offset: 4 };
  }
  const r = new FieldReader(m.avps);
  const exp = r.groups(Avp.ExperimentalResult)[0];
  const er = exp ? new FieldReader(exp) : undefined;
  const failed = m.avps.find((a) => a.code === Avp.FailedAvp.code && a.vendorId === 0);
  const answer: MeIdentityCheckAnswer = {
    flags: m.flags,
    hopByHop: m.hopByHop,
    endToEnd: m.endToEnd,
    sessionId: r.one(Avp.SessionId),
    originHost: r.one(Avp.OriginHost),
    originRealm: r.one(Avp.OriginRealm),
    resultCode: r.one(Avp.ResultCode),
    experimentalResult: er
      ? { vendorId: er.one(Avp.VendorId) ?? 0, code: er.one(Avp.ExperimentalResultCode) ?? 0 }
      : undefined,
    equipmentStatus: r.one(Avp.EquipmentStatus),
    errorMessage: r.one(Avp.ErrorMessage),
    failedAvp: failed?.data,
  };
  const err = r.error ?? er?.error;
  return err ?? { kind: 'ok', answer };
}
