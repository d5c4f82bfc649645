/**
 * Base protocol peer messages (RFC 6733 §5): Capabilities-Exchange (§5.3), Device-Watchdog
 * (§5.5) and Disconnect-Peer (§5.4). All use application 0 and are not proxiable.
 */
import { type OutAvp, type RawAvp } from './avp.js';
import { answerHeader, failedAvp, resultAvp } from './answer.js';
import {
  FieldReader,
  checkAvps,
  many,
  optional,
  parseError,
  required,
  type AvpRule,
  type ParseError,
} from './command-rules.js';
import {
  APP_COMMON,
  APP_RELAY,
  Avp,
  CMD_CAPABILITIES_EXCHANGE,
  CMD_DEVICE_WATCHDOG,
  CMD_DISCONNECT_PEER,
  ResultCode,
  avp,
} from './dictionary.js';
import { CMD_FLAG_R, encodeMessage, type DiameterMessage, type MessageHeader } from './message.js';

/** Vendor-Specific-Application-Id (RFC 6733 §6.11): one of auth or acct application id. */
export interface VendorSpecificApplication {
  readonly vendorId: number;
  readonly authApplicationId?: number;
  readonly acctApplicationId?: number;
}

/** What a peer says about itself in CER/CEA (RFC 6733 §5.3.1-2). */
export interface PeerCapabilities {
  readonly originHost: string;
  readonly originRealm: string;
  readonly hostIpAddresses: readonly string[];
  readonly vendorId: number;
  readonly productName: string;
  readonly originStateId?: number;
  readonly supportedVendorIds?: readonly number[];
  readonly authApplicationIds?: readonly number[];
  readonly inbandSecurityIds?: readonly number[];
  readonly acctApplicationIds?: readonly number[];
  readonly vendorSpecificApplicationIds?: readonly VendorSpecificApplication[];
  readonly firmwareRevision?: number;
}

/** Hop-by-hop and end-to-end ids of a request we originate. */
export interface RequestIds {
  readonly hopByHop: number;
  readonly endToEnd: number;
}

/** Optional parts of any base answer. */
export interface AnswerExtras {
  readonly errorMessage?: string;
  /** Encoded AVP(s) for Failed-AVP. */
  readonly failedAvp?: Uint8Array;
}

function request(commandCode: number, ids: RequestIds, avps: OutAvp[]): Buffer {
  return encodeMessage({ flags: CMD_FLAG_R, commandCode, applicationId: APP_COMMON, ...ids, avps });
}

function answer(req: MessageHeader, resultCode: number, avps: OutAvp[]): Buffer {
  return encodeMessage({ ...answerHeader(req, resultCode), avps });
}

function capabilityAvps(c: PeerCapabilities, extras: AnswerExtras = {}): OutAvp[] {
  const avps: OutAvp[] = [avp(Avp.OriginHost, c.originHost), avp(Avp.OriginRealm, c.originRealm)];
  for (const ip of c.hostIpAddresses) avps.push(avp(Avp.HostIpAddress, ip));
  avps.push(avp(Avp.VendorId, c.vendorId), avp(Avp.ProductName, c.productName));
  if (c.originStateId !== undefined) avps.push(avp(Avp.OriginStateId, c.originStateId));
  if (extras.errorMessage !== undefined) avps.push(avp(Avp.ErrorMessage, extras.errorMessage));
  if (extras.failedAvp) avps.push(failedAvp(extras.failedAvp));
  for (const v of c.supportedVendorIds ?? []) avps.push(avp(Avp.SupportedVendorId, v));
  for (const a of c.authApplicationIds ?? []) avps.push(avp(Avp.AuthApplicationId, a));
  for (const s of c.inbandSecurityIds ?? []) avps.push(avp(Avp.InbandSecurityId, s));
  for (const a of c.acctApplicationIds ?? []) avps.push(avp(Avp.AcctApplicationId, a));
  for (const v of c.vendorSpecificApplicationIds ?? []) {
    const inner = [avp(Avp.VendorId, v.vendorId)];
    if (v.authApplicationId !== undefined)
      inner.push(avp(Avp.AuthApplicationId, v.authApplicationId));
    if (v.acctApplicationId !== undefined)
      inner.push(avp(Avp.AcctApplicationId, v.acctApplicationId));
    avps.push(avp(Avp.VendorSpecificApplicationId, inner));
  }
  if (c.firmwareRevision !== undefined) avps.push(avp(Avp.FirmwareRevision, c.firmwareRevision));
  return avps;
}

/** CER (RFC 6733 §5.3.1). */
export function encodeCapabilitiesExchangeRequest(ids: RequestIds, c: PeerCapabilities): Buffer {
  return request(CMD_CAPABILITIES_EXCHANGE, ids, capabilityAvps(c));
}

/** CEA (RFC 6733 §5.3.2): Result-Code first, then our capabilities. */
export function encodeCapabilitiesExchangeAnswer(
  req: MessageHeader,
  resultCode: number,
  c: PeerCapabilities,
  extras: AnswerExtras = {},
): Buffer {
  return answer(req, resultCode, [
    resultAvp({ kind: 'result', code: resultCode }),
    ...capabilityAvps(c, extras),
  ]);
}

const CAPABILITY_RULES: AvpRule[] = [
  required(Avp.OriginHost),
  required(Avp.OriginRealm),
  many(Avp.HostIpAddress, 1),
  required(Avp.VendorId),
  required(Avp.ProductName),
  optional(Avp.OriginStateId),
  many(Avp.SupportedVendorId),
  many(Avp.AuthApplicationId),
  many(Avp.InbandSecurityId),
  many(Avp.AcctApplicationId),
  many(Avp.VendorSpecificApplicationId),
  optional(Avp.FirmwareRevision),
];
const ANSWER_RULES: AvpRule[] = [
  required(Avp.ResultCode),
  optional(Avp.ErrorMessage),
  optional(Avp.FailedAvp),
];

/** A parsed answer's common fields. */
export interface AnswerFields {
  readonly resultCode: number;
  readonly errorMessage?: string;
}

type Parsed<T> = { kind: 'ok'; value: T } | ParseError;

function vendorApps(r: FieldReader): VendorSpecificApplication[] {
  return r.groups(Avp.VendorSpecificApplicationId).map((members: RawAvp[]) => {
    const g = new FieldReader(members);
    const vendorId = g.one(Avp.VendorId);
    const auth = g.one(Avp.AuthApplicationId);
    const acct = g.one(Avp.AcctApplicationId);
    r.error ??= g.error;
    return {
      vendorId: vendorId ?? 0,
      ...(auth !== undefined ? { authApplicationId: auth } : {}),
      ...(acct !== undefined ? { acctApplicationId: acct } : {}),
    };
  });
}

function parseCapabilities(m: DiameterMessage, rules: AvpRule[]): Parsed<PeerCapabilities> {
  const bad = checkAvps(m.avps, rules);
  if (bad) return bad;
  const r = new FieldReader(m.avps);
  const c: PeerCapabilities = {
    originHost: r.one(Avp.OriginHost) ?? '',
    originRealm: r.one(Avp.OriginRealm) ?? '',
    hostIpAddresses: r.all(Avp.HostIpAddress),
    vendorId: r.one(Avp.VendorId) ?? 0,
    productName: r.one(Avp.ProductName) ?? '',
    originStateId: r.one(Avp.OriginStateId),
    supportedVendorIds: r.all(Avp.SupportedVendorId),
    authApplicationIds: r.all(Avp.AuthApplicationId),
    inbandSecurityIds: r.all(Avp.InbandSecurityId),
    acctApplicationIds: r.all(Avp.AcctApplicationId),
    vendorSpecificApplicationIds: vendorApps(r),
    firmwareRevision: r.one(Avp.FirmwareRevision),
  };
  if (c.originStateId === undefined) delete (c as { originStateId?: number }).originStateId;
  if (c.firmwareRevision === undefined)
    delete (c as { firmwareRevision?: number }).firmwareRevision;
  return r.error ?? { kind: 'ok', value: c };
}

function answerFields(m: DiameterMessage): AnswerFields {
  const r = new FieldReader(m.avps);
  const errorMessage = r.one(Avp.ErrorMessage);
  const resultCode = r.one(Avp.ResultCode) ?? 0;
  return errorMessage === undefined ? { resultCode } : { resultCode, errorMessage };
}

function expect(
  m: DiameterMessage,
  commandCode: number,
  isRequest: boolean,
): ParseError | undefined {
  if (m.commandCode !== commandCode || ((m.flags & CMD_FLAG_R) !== 0) !== isRequest) {
    return parseError(ResultCode.COMMAND_UNSUPPORTED, `not command ${commandCode}`, 0);
  }
  return undefined;
}

/** Parses a CER. */
export function parseCapabilitiesExchangeRequest(m: DiameterMessage): Parsed<PeerCapabilities> {
  return expect(m, CMD_CAPABILITIES_EXCHANGE, true) ?? parseCapabilities(m, CAPABILITY_RULES);
}

/** Parses a CEA (capabilities and Result-Code). */
export function parseCapabilitiesExchangeAnswer(
  m: DiameterMessage,
): Parsed<PeerCapabilities & AnswerFields> {
  const bad = expect(m, CMD_CAPABILITIES_EXCHANGE, false);
  if (bad) return bad;
  const c = parseCapabilities(m, [...ANSWER_RULES, ...CAPABILITY_RULES]);
  return c.kind === 'error' ? c : { kind: 'ok', value: { ...c.value, ...answerFields(m) } };
}

/** Every application a peer advertised (auth, acct and vendor-specific). */
export function advertisedApplications(c: PeerCapabilities): Set<number> {
  const s = new Set<number>([...(c.authApplicationIds ?? []), ...(c.acctApplicationIds ?? [])]);
  for (const v of c.vendorSpecificApplicationIds ?? []) {
    if (v.authApplicationId !== undefined) s.add(v.authApplicationId);
    if (v.acctApplicationId !== undefined) s.add(v.acctApplicationId);
  }
  return s;
}

/**
 * The applications both sides support (RFC 6733 §5.3): a peer advertising the relay application
 * 0xffffffff shares all of ours. Empty means 5010 DIAMETER_NO_COMMON_APPLICATION.
 */
export function commonApplications(ours: readonly number[], peer: PeerCapabilities): number[] {
  const theirs = advertisedApplications(peer);
  if (theirs.has(APP_RELAY)) return [...ours];
  return ours.filter((a) => theirs.has(a) || a === APP_RELAY);
}

/** Origin identity of DWR/DPR and their answers. */
export interface Origin {
  readonly originHost: string;
  readonly originRealm: string;
}

/** DWR (RFC 6733 §5.5.1). */
export function encodeDeviceWatchdogRequest(
  ids: RequestIds,
  o: Origin & { originStateId?: number },
): Buffer {
  const avps = [avp(Avp.OriginHost, o.originHost), avp(Avp.OriginRealm, o.originRealm)];
  if (o.originStateId !== undefined) avps.push(avp(Avp.OriginStateId, o.originStateId));
  return request(CMD_DEVICE_WATCHDOG, ids, avps);
}

/** DWA (RFC 6733 §5.5.2). */
export function encodeDeviceWatchdogAnswer(
  req: MessageHeader,
  resultCode: number,
  o: Origin & { originStateId?: number },
  extras: AnswerExtras = {},
): Buffer {
  const avps = [resultAvp({ kind: 'result', code: resultCode })];
  avps.push(avp(Avp.OriginHost, o.originHost), avp(Avp.OriginRealm, o.originRealm));
  if (extras.errorMessage !== undefined) avps.push(avp(Avp.ErrorMessage, extras.errorMessage));
  if (extras.failedAvp) avps.push(failedAvp(extras.failedAvp));
  if (o.originStateId !== undefined) avps.push(avp(Avp.OriginStateId, o.originStateId));
  return answer(req, resultCode, avps);
}

/** DPR (RFC 6733 §5.4.1) with a Disconnect-Cause (§5.4.3). */
export function encodeDisconnectPeerRequest(
  ids: RequestIds,
  o: Origin,
  disconnectCause: number,
): Buffer {
  return request(CMD_DISCONNECT_PEER, ids, [
    avp(Avp.OriginHost, o.originHost),
    avp(Avp.OriginRealm, o.originRealm),
    avp(Avp.DisconnectCause, disconnectCause),
  ]);
}

/** DPA (RFC 6733 §5.4.2). */
export function encodeDisconnectPeerAnswer(
  req: MessageHeader,
  resultCode: number,
  o: Origin,
  extras: AnswerExtras = {},
): Buffer {
  const avps = [resultAvp({ kind: 'result', code: resultCode })];
  avps.push(avp(Avp.OriginHost, o.originHost), avp(Avp.OriginRealm, o.originRealm));
  if (extras.errorMessage !== undefined) avps.push(avp(Avp.ErrorMessage, extras.errorMessage));
  if (extras.failedAvp) avps.push(failedAvp(extras.failedAvp));
  return answer(req, resultCode, avps);
}

/** Parses a DWR or DPR: origin, Origin-State-Id (DWR) and Disconnect-Cause (DPR). */
export function parsePeerRequest(
  m: DiameterMessage,
): Parsed<Origin & { originStateId?: number; disconnectCause?: number }> {
  const dpr = m.commandCode === CMD_DISCONNECT_PEER;
  const bad =
    expect(m, dpr ? CMD_DISCONNECT_PEER : CMD_DEVICE_WATCHDOG, true) ??
    checkAvps(m.avps, [
      required(Avp.OriginHost),
      required(Avp.OriginRealm),
      dpr ? required(Avp.DisconnectCause) : optional(Avp.OriginStateId),
    ]);
  if (bad) return bad;
  const r = new FieldReader(m.avps);
  const o = { originHost: r.one(Avp.OriginHost) ?? '', originRealm: r.one(Avp.OriginRealm) ?? '' };
  const extra = dpr ? r.one(Avp.DisconnectCause) : r.one(Avp.OriginStateId);
  const key = dpr ? 'disconnectCause' : 'originStateId';
  return r.error ?? { kind: 'ok', value: extra === undefined ? o : { ...o, [key]: extra } };
}

/** Parses a DWA or DPA: origin and result. */
export function parsePeerAnswer(m: DiameterMessage): Parsed<Origin & AnswerFields> {
  const dpa = m.commandCode === CMD_DISCONNECT_PEER;
  const bad =
    expect(m, dpa ? CMD_DISCONNECT_PEER : CMD_DEVICE_WATCHDOG, false) ??
    checkAvps(m.avps, [
      ...ANSWER_RULES,
      required(Avp.OriginHost),
      required(Avp.OriginRealm),
      optional(Avp.OriginStateId),
    ]);
  if (bad) return bad;
  const r = new FieldReader(m.avps);
  const o = { originHost: r.one(Avp.OriginHost) ?? '', originRealm: r.one(Avp.OriginRealm) ?? '' };
  return r.error ?? { kind: 'ok', value: { ...o, ...answerFields(m) } };
}
