/**
 * Answers in general (RFC 6733 §6.2, §7): an answer copies the request's command code,
 * application id, P bit, hop-by-hop and end-to-end ids and Proxy-Info AVPs; it reports a
 * Result-Code or, for vendor-specific results, an Experimental-Result (§7.6); 3xxx protocol
 * errors set the E bit and use the generic answer-message format (§7.2).
 */
import { AVP_FLAG_M, AVP_FLAG_V, type OutAvp } from './avp.js';
import { Avp, VENDOR_3GPP, avp, isProtocolError } from './dictionary.js';
import { CMD_FLAG_E, CMD_FLAG_P, encodeMessage, type MessageHeader } from './message.js';

/** The outcome an answer reports. */
export type AnswerResult =
  | { readonly kind: 'result'; readonly code: number }
  | { readonly kind: 'experimental'; readonly code: number; readonly vendorId?: number };

/** The request fields an answer needs. */
export interface RequestContext extends MessageHeader {
  /** Session-Id of the request, copied first into the answer (RFC 6733 §8.8). */
  readonly sessionId?: string;
  /**
   * The same Session-Id as the UTF-8 bytes received, when the request has them (the in-place ECR
   * decoder): the answer copies them instead of encoding `sessionId`, byte for byte the same.
   */
  readonly sessionIdBytes?: Uint8Array;
  /**
   * The same bytes again, copied straight from the received message (no view made): their length
   * and a copy into `target` at `at` (returns the end). Given together or not at all.
   */
  readonly sessionIdLength?: number;
  copySessionId?(target: Uint8Array, at: number): number;
  /** Proxy-Info AVPs of the request as received (whole encoded AVPs), copied in order (§6.2). */
  readonly proxyInfo?: readonly Buffer[];
}

/** The answer header for a request: same ids, command and application; P copied; E for 3xxx. */
export function answerHeader(request: MessageHeader, resultCode?: number): MessageHeader {
  const e = resultCode !== undefined && isProtocolError(resultCode) ? CMD_FLAG_E : 0;
  return {
    flags: (request.flags & CMD_FLAG_P) | e,
    commandCode: request.commandCode,
    applicationId: request.applicationId,
    hopByHop: request.hopByHop,
    endToEnd: request.endToEnd,
  };
}

/** The Result-Code AVP, or an Experimental-Result {Vendor-Id, Experimental-Result-Code}. */
export function resultAvp(result: AnswerResult): OutAvp {
  if (result.kind === 'result') return avp(Avp.ResultCode, result.code);
  return avp(Avp.ExperimentalResult, [
    avp(Avp.VendorId, result.vendorId ?? VENDOR_3GPP),
    avp(Avp.ExperimentalResultCode, result.code),
  ]);
}

/** A Failed-AVP (RFC 6733 §7.5) around already encoded AVPs. */
export function failedAvp(content: Uint8Array): OutAvp {
  // Grouped data is the concatenation of its members, so the encoded members go in verbatim.
  return {
    code: Avp.FailedAvp.code,
    flags: AVP_FLAG_M,
    value: { type: 'OctetString', value: content },
  };
}

/** Whole encoded AVPs copied verbatim (Proxy-Info, Failed-AVP contents). */
export function verbatimAvp(encoded: Buffer): OutAvp {
  // Re-emit the same header fields around the same data.
  const flags = encoded[4]!;
  const vendor = flags & AVP_FLAG_V ? encoded.readUInt32BE(8) : 0;
  const len = encoded.readUIntBE(5, 3);
  return {
    code: encoded.readUInt32BE(0),
    vendorId: vendor,
    flags: flags & ~AVP_FLAG_V,
    value: { type: 'OctetString', value: encoded.subarray(vendor ? 12 : 8, len) },
  };
}

export interface ErrorAnswerOptions {
  readonly request: RequestContext;
  readonly originHost: string;
  readonly originRealm: string;
  readonly result: AnswerResult;
  readonly errorMessage?: string;
  /** Encoded AVP(s) for Failed-AVP. */
  readonly failedAvp?: Uint8Array;
  /** Extra AVPs the command's answer requires (e.g. Auth-Session-State), after Origin-Realm. */
  readonly extraAvps?: readonly OutAvp[];
}

/**
 * An error answer. For a 3xxx Result-Code it has the E bit and the answer-message layout of
 * RFC 6733 §7.2: Session-Id, Origin-Host, Origin-Realm, Result-Code, [Error-Message],
 * [Failed-AVP], *Proxy-Info. Other codes use the same layout without the E bit.
 */
export function encodeErrorAnswer(o: ErrorAnswerOptions): Buffer {
  const code = o.result.kind === 'result' ? o.result.code : undefined;
  const avps: OutAvp[] = [];
  if (o.request.sessionId !== undefined) avps.push(avp(Avp.SessionId, o.request.sessionId));
  avps.push(avp(Avp.OriginHost, o.originHost), avp(Avp.OriginRealm, o.originRealm));
  avps.push(resultAvp(o.result));
  if (o.extraAvps) avps.push(...o.extraAvps);
  if (o.errorMessage !== undefined) avps.push(avp(Avp.ErrorMessage, o.errorMessage));
  if (o.failedAvp) avps.push(failedAvp(o.failedAvp));
  for (const p of o.request.proxyInfo ?? []) avps.push(verbatimAvp(p));
  return encodeMessage({ ...answerHeader(o.request, code), avps });
}
