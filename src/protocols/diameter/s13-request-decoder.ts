/**
 * The hot path of S13: decoding an ME-Identity-Check-Request (TS 29.272 §7.2.19) straight from
 * its wire bytes. One pass over the AVPs that validates them all (UTF-8 included) and notes where
 * each value is; no closure, no per-AVP object. The request it returns holds the buffer and those
 * offsets: a string is made when a caller first reads it (the server reads the IMEI, User-Name and
 * Origin-Host; the Session-Id goes back into the answer as bytes). Errors follow RFC 6733 §7 with
 * the Failed-AVP content (§7.5) ready to answer with. s13-request-decoder.test.ts proves it equal,
 * field by field and error by error, to the decoder it replaced (s13-request-decoder-reference.ts).
 * The pass is s13-request-scanner.ts; the request it returns, s13-request-in-place.ts.
 *
 *   < ME-Identity-Check-Request > ::= < Diameter Header: 324, REQ, PXY, 16777252 >
 *     < Session-Id > [ DRMP ] [ Vendor-Specific-Application-Id ] { Auth-Session-State }
 *     { Origin-Host } { Origin-Realm } [ Destination-Host ] { Destination-Realm }
 *     { Terminal-Information } [ User-Name ] *[ AVP ] *[ Proxy-Info ] *[ Route-Record ]
 */
import type { RequestContext } from './answer.js';
import { parseError, type ParseError } from './command-rules.js';
import { APP_S13, CMD_ME_IDENTITY_CHECK, ResultCode } from './dictionary.js';
import type { LastText } from './last-text.js';
import {
  CMD_FLAG_R,
  HEADER_LENGTH,
  checkHeader,
  readHeader,
  type DiameterMessage,
} from './message.js';
import { InPlaceEcr } from './s13-request-in-place.js';
import { EcrScanner, SESSION_ID } from './s13-request-scanner.js';

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

const scanner = new EcrScanner();
const NO_BYTES = Buffer.alloc(0);

/**
 * Decodes one whole ECR message (as cut by the framer); never throws. A request reads its strings
 * from `buf` when first asked: `buf` must not change while the request is in use. `originHosts`,
 * kept per connection, lets requests with the same Origin-Host bytes share one string. With
 * `into`, a valid request is read into that object (`InPlaceEcr.load`), which the result then is:
 * the request it held before is gone (a server keeps one per request in flight).
 */
export function decodeMeIdentityCheckRequest(
  buf: Buffer,
  originHosts?: LastText,
  into?: InPlaceEcr,
): MeIdentityCheckRequestResult {
  const bad = checkHeader(buf);
  if (bad) {
    const ctx = buf.length >= HEADER_LENGTH ? readHeader(buf) : undefined;
    return withContext(parseError(bad.resultCode, bad.reason, bad.offset), ctx);
  }
  const flags = buf[4]!;
  const commandCode = (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!;
  if (commandCode !== CMD_ME_IDENTITY_CHECK || !(flags & CMD_FLAG_R)) {
    return withContext(
      parseError(ResultCode.COMMAND_UNSUPPORTED, 'not an ECR', 4),
      readHeader(buf),
    );
  }
  const applicationId = buf.readUInt32BE(8);
  if (applicationId !== APP_S13) {
    const r = `application ${applicationId} is not S13`;
    return withContext(parseError(ResultCode.APPLICATION_UNSUPPORTED, r, 8), readHeader(buf));
  }
  const r = scanner;
  r.reset(buf);
  r.scan();
  const error = r.error;
  let result: MeIdentityCheckRequestResult;
  if (error) {
    const context: RequestContext = {
      ...readHeader(buf),
      sessionId: r.text(SESSION_ID),
      proxyInfo: r.proxyInfo,
    };
    result = withContext(error, context);
  } else {
    if (into === undefined) result = new InPlaceEcr(r, originHosts).result;
    else {
      into.load(r, originHosts);
      result = into.result;
    }
  }
  r.buf = NO_BYTES; // not kept alive by the scanner
  r.proxyInfo = undefined;
  r.error = undefined;
  return result;
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
