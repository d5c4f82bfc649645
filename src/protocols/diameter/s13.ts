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
  HEADER_LENGTH,
  decodeMessage,
  encodeMessage,
  writeHeader,
} from './message.js';
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

function writeU32Avp(buf: Buffer, p: number, code: number, vendor: number, value: number): number {
  buf.writeUInt32BE(code, p);
  buf.writeUInt32BE(vendor ? 16 : 12, p + 4);
  buf[p + 4] = vendor ? AVP_FLAG_V | AVP_FLAG_M : AVP_FLAG_M;
  if (vendor) buf.writeUInt32BE(vendor, p + 8);
  buf.writeUInt32BE(value, p + (vendor ? 12 : 8));
  return p + (vendor ? 16 : 12);
}

/**
 * Encodes an ECA into one Buffer of exactly its size (the hot path: no AVP objects). A 3xxx
 * result (3004 TOO_BUSY under overload) sets the E bit (RFC 6733 §7.2; `{ }` and `[ ]` AVPs may
 * come in any order, so the same layout serves). With an Error-Message the generic
 * `encodeErrorAnswer` layout is used.
 */
export function encodeMeIdentityCheckAnswer(o: MeIdentityCheckAnswerOptions): Buffer {
  const { request: req, result } = o;
  if (result.kind === 'result' && result.errorMessage !== undefined) {
    return encodeErrorAnswer({
      request: req,
      originHost: o.originHost,
      originRealm: o.originRealm,
      result,
      errorMessage: result.errorMessage,
      failedAvp: result.failedAvp,
      extraAvps: isProtocolError(result.code) ? [] : [avp(Avp.AuthSessionState, 1)],
    });
  }
  const origin = originBytes(o.originHost, o.originRealm);
  // The Session-Id as bytes when the request kept them (no string made or encoded), else its text.
  const sidBytes = req.sessionIdBytes;
  const sid = sidBytes === undefined ? req.sessionId : undefined;
  const hasSid = sidBytes !== undefined || sid !== undefined;
  const sidLen =
    sidBytes !== undefined ? sidBytes.length : sid === undefined ? 0 : Buffer.byteLength(sid);
  const failed = result.kind === 'result' ? result.failedAvp : undefined;
  let length = HEADER_LENGTH + origin.length;
  if (hasSid) length += pad4(8 + sidLen);
  length += result.kind === 'experimental' ? 32 : 12;
  if (result.kind === 'status') length += 16;
  if (failed) length += 8 + pad4(failed.length);
  if (o.trailer) length += o.trailer.length;
  if (req.proxyInfo) for (const p of req.proxyInfo) length += p.length;

  const buf = Buffer.allocUnsafe(length);
  const e = result.kind === 'result' && isProtocolError(result.code) ? CMD_FLAG_E : 0;
  writeHeader(buf, 0, req, length);
  buf[4] = (req.flags & CMD_FLAG_P) | e;
  let p = HEADER_LENGTH;
  if (hasSid) {
    buf.writeUInt32BE(Avp.SessionId.code, p);
    buf.writeUInt32BE(8 + sidLen, p + 4);
    buf[p + 4] = AVP_FLAG_M;
    if (sidBytes !== undefined) buf.set(sidBytes, p + 8);
    else buf.write(sid!, p + 8, 'utf8');
    const end = p + pad4(8 + sidLen);
    buf.fill(0, p + 8 + sidLen, end);
    p = end;
  }
  if (result.kind === 'experimental') {
    buf.writeUInt32BE(Avp.ExperimentalResult.code, p);
    buf.writeUInt32BE(32, p + 4);
    buf[p + 4] = AVP_FLAG_M;
    p = writeU32Avp(buf, p + 8, Avp.VendorId.code, 0, VENDOR_3GPP);
    p = writeU32Avp(buf, p, Avp.ExperimentalResultCode.code, 0, result.code);
  } else {
    p = writeU32Avp(buf, p, Avp.ResultCode.code, 0, result.kind === 'status' ? 2001 : result.code);
  }
  origin.copy(buf, p);
  p += origin.length;
  if (result.kind === 'status') {
    p = writeU32Avp(buf, p, Avp.EquipmentStatus.code, VENDOR_3GPP, result.equipmentStatus);
  }
  if (failed) {
    buf.writeUInt32BE(Avp.FailedAvp.code, p);
    buf.writeUInt32BE(8 + failed.length, p + 4);
    buf[p + 4] = AVP_FLAG_M;
    buf.set(failed, p + 8);
    buf.fill(0, p + 8 + failed.length, p + 8 + pad4(failed.length));
    p += 8 + pad4(failed.length);
  }
  if (o.trailer) {
    buf.set(o.trailer, p);
    p += o.trailer.length;
  }
  if (req.proxyInfo) for (const pi of req.proxyInfo) p += pi.copy(buf, p);
  return buf;
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
