/**
 * TEST ONLY: the ECA encoder's fast path as it was at commit df307b4 (before the Session-Id
 * bytes and the byte-level writes of s13.ts), kept verbatim as the reference that
 * s13-answer.test.ts proves the current encoder byte-identical to. Do not use outside tests.
 */
import { AVP_FLAG_M, AVP_FLAG_V, encodeAvps, pad4 } from './avp.js';
import { encodeErrorAnswer } from './answer.js';
import { Avp, AuthSessionState, VENDOR_3GPP, avp, isProtocolError } from './dictionary.js';
import { CMD_FLAG_E, CMD_FLAG_P, HEADER_LENGTH, writeHeader } from './message.js';
import type { MeIdentityCheckAnswerOptions } from './s13.js';

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
export function encodeMeIdentityCheckAnswerReference(o: MeIdentityCheckAnswerOptions): Buffer {
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
  const sid = req.sessionId;
  const sidLen = sid === undefined ? 0 : Buffer.byteLength(sid, 'utf8');
  const failed = result.kind === 'result' ? result.failedAvp : undefined;
  let length = HEADER_LENGTH + origin.length;
  if (sid !== undefined) length += pad4(8 + sidLen);
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
  if (sid !== undefined) {
    buf.writeUInt32BE(Avp.SessionId.code, p);
    buf.writeUInt32BE(8 + sidLen, p + 4);
    buf[p + 4] = AVP_FLAG_M;
    buf.write(sid, p + 8, 'utf8');
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
