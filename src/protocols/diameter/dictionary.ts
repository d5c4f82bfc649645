/**
 * The Diameter dictionary we speak: base protocol AVPs (RFC 6733 §4.5, §8), the S13 AVPs of
 * 3GPP TS 29.272 §7.3 (vendor 10415), application ids, command codes and result codes.
 */
import { AVP_FLAG_M, type AvpType, type AvpTypeValue, type OutAvp } from './avp.js';

/** 3GPP's IANA enterprise number, the Vendor-Id of every 3GPP AVP and application. */
export const VENDOR_3GPP = 10415;

/** Application ids (RFC 6733 §2.4; TS 29.272 §7.1.1 for S13). */
export const APP_COMMON = 0;
export const APP_S13 = 16777252;
/** The relay application: a relay or routing agent advertises it and shares every application. */
export const APP_RELAY = 0xffffffff;

/** Command codes (RFC 6733 §3.1; TS 29.272 §7.2.2). */
export const CMD_CAPABILITIES_EXCHANGE = 257;
export const CMD_DEVICE_WATCHDOG = 280;
export const CMD_DISCONNECT_PEER = 282;
export const CMD_ME_IDENTITY_CHECK = 324;

/** Result-Code values (RFC 6733 §7.1). 1xxx informational, 2xxx success, 3xxx protocol, 5xxx permanent. */
export const ResultCode = {
  SUCCESS: 2001,
  COMMAND_UNSUPPORTED: 3001,
  UNABLE_TO_DELIVER: 3002,
  REALM_NOT_SERVED: 3003,
  TOO_BUSY: 3004,
  APPLICATION_UNSUPPORTED: 3007,
  INVALID_HDR_BITS: 3008,
  INVALID_AVP_BITS: 3009,
  UNKNOWN_PEER: 3010,
  AVP_UNSUPPORTED: 5001,
  INVALID_AVP_VALUE: 5004,
  MISSING_AVP: 5005,
  AVP_OCCURS_TOO_MANY_TIMES: 5009,
  NO_COMMON_APPLICATION: 5010,
  UNSUPPORTED_VERSION: 5011,
  UNABLE_TO_COMPLY: 5012,
  INVALID_AVP_LENGTH: 5014,
  INVALID_MESSAGE_LENGTH: 5015,
} as const;

/** Experimental-Result-Code values of TS 29.272 §7.4.3 (with Vendor-Id 10415). */
export const ExperimentalResultCode = {
  ERROR_EQUIPMENT_UNKNOWN: 5422,
} as const;

/** True for the 3xxx protocol errors, whose answers carry the E bit (RFC 6733 §7.1.3). */
export function isProtocolError(resultCode: number): boolean {
  return resultCode >= 3000 && resultCode < 4000;
}

/** Equipment-Status (TS 29.272 §7.3.51). */
export const EquipmentStatus = { WHITELISTED: 0, BLACKLISTED: 1, GREYLISTED: 2 } as const;
export type EquipmentStatusValue = (typeof EquipmentStatus)[keyof typeof EquipmentStatus];

/** Auth-Session-State (RFC 6733 §8.11); S13 uses NO_STATE_MAINTAINED. */
export const AuthSessionState = { STATE_MAINTAINED: 0, NO_STATE_MAINTAINED: 1 } as const;

/** Disconnect-Cause (RFC 6733 §5.4.3). */
export const DisconnectCause = { REBOOTING: 0, BUSY: 1, DO_NOT_WANT_TO_TALK_TO_YOU: 2 } as const;

/** One AVP's definition: code, vendor, data format and whether its M bit is set when we send it. */
export interface AvpDefinition<T extends AvpType = AvpType> {
  readonly name: string;
  readonly code: number;
  readonly vendorId: number;
  readonly type: T;
  /** RFC 6733 §4.5 / TS 29.272 §7.3.1 flag rules: "must" set M, "mustNot" leave it clear. */
  readonly mBit: 'must' | 'mustNot';
}

function def<T extends AvpType>(
  name: string,
  code: number,
  type: T,
  mBit: 'must' | 'mustNot' = 'must',
  vendorId = 0,
): AvpDefinition<T> {
  return Object.freeze({ name, code, vendorId, type, mBit });
}

/** The AVPs we encode and decode by name. */
export const Avp = {
  // RFC 6733 §4.5 (base protocol) and §8 (session and accounting AVPs).
  UserName: def('User-Name', 1, 'UTF8String'),
  HostIpAddress: def('Host-IP-Address', 257, 'Address'),
  AuthApplicationId: def('Auth-Application-Id', 258, 'Unsigned32'),
  AcctApplicationId: def('Acct-Application-Id', 259, 'Unsigned32'),
  VendorSpecificApplicationId: def('Vendor-Specific-Application-Id', 260, 'Grouped'),
  SessionId: def('Session-Id', 263, 'UTF8String'),
  OriginHost: def('Origin-Host', 264, 'DiameterIdentity'),
  SupportedVendorId: def('Supported-Vendor-Id', 265, 'Unsigned32'),
  VendorId: def('Vendor-Id', 266, 'Unsigned32'),
  FirmwareRevision: def('Firmware-Revision', 267, 'Unsigned32', 'mustNot'),
  ResultCode: def('Result-Code', 268, 'Unsigned32'),
  ProductName: def('Product-Name', 269, 'UTF8String', 'mustNot'),
  DisconnectCause: def('Disconnect-Cause', 273, 'Enumerated'),
  AuthSessionState: def('Auth-Session-State', 277, 'Enumerated'),
  OriginStateId: def('Origin-State-Id', 278, 'Unsigned32'),
  FailedAvp: def('Failed-AVP', 279, 'Grouped'),
  ProxyHost: def('Proxy-Host', 280, 'DiameterIdentity'),
  ErrorMessage: def('Error-Message', 281, 'UTF8String', 'mustNot'),
  RouteRecord: def('Route-Record', 282, 'DiameterIdentity'),
  DestinationRealm: def('Destination-Realm', 283, 'DiameterIdentity'),
  ProxyInfo: def('Proxy-Info', 284, 'Grouped'),
  DestinationHost: def('Destination-Host', 293, 'DiameterIdentity'),
  ErrorReportingHost: def('Error-Reporting-Host', 294, 'DiameterIdentity', 'mustNot'),
  OriginRealm: def('Origin-Realm', 296, 'DiameterIdentity'),
  ExperimentalResult: def('Experimental-Result', 297, 'Grouped'),
  ExperimentalResultCode: def('Experimental-Result-Code', 298, 'Unsigned32'),
  InbandSecurityId: def('Inband-Security-Id', 299, 'Unsigned32'),
  ProxyState: def('Proxy-State', 33, 'OctetString'),
  // RFC 7944 §8.1: DRMP, M bit must not be set.
  Drmp: def('DRMP', 301, 'Enumerated', 'mustNot'),
  // RFC 7683 §7 (DOIC): sent without the M bit, so that a peer without DOIC ignores them.
  OcSupportedFeatures: def('OC-Supported-Features', 621, 'Grouped', 'mustNot'),
  OcFeatureVector: def('OC-Feature-Vector', 622, 'Unsigned64', 'mustNot'),
  OcOlr: def('OC-OLR', 623, 'Grouped', 'mustNot'),
  OcSequenceNumber: def('OC-Sequence-Number', 624, 'Unsigned64', 'mustNot'),
  OcValidityDuration: def('OC-Validity-Duration', 625, 'Unsigned32', 'mustNot'),
  OcReportType: def('OC-Report-Type', 626, 'Enumerated', 'mustNot'),
  OcReductionPercentage: def('OC-Reduction-Percentage', 627, 'Unsigned32', 'mustNot'),
  // TS 29.229 §6.3.29-31 (used by S13 per TS 29.272 §7.3.10): V set, M not set.
  SupportedFeatures: def('Supported-Features', 628, 'Grouped', 'mustNot', VENDOR_3GPP),
  FeatureListId: def('Feature-List-ID', 629, 'Unsigned32', 'mustNot', VENDOR_3GPP),
  FeatureList: def('Feature-List', 630, 'Unsigned32', 'mustNot', VENDOR_3GPP),
  // TS 29.272 §7.3.1 table 7.3.1-1: V and M set.
  TerminalInformation: def('Terminal-Information', 1401, 'Grouped', 'must', VENDOR_3GPP),
  Imei: def('IMEI', 1402, 'UTF8String', 'must', VENDOR_3GPP),
  SoftwareVersion: def('Software-Version', 1403, 'UTF8String', 'must', VENDOR_3GPP),
  EquipmentStatus: def('Equipment-Status', 1445, 'Enumerated', 'must', VENDOR_3GPP),
  Meid3gpp2: def('3GPP2-MEID', 1471, 'OctetString', 'must', VENDOR_3GPP),
} as const;

export type AvpName = keyof typeof Avp;

const byVendor = new Map<number, Map<number, AvpDefinition>>();
for (const d of Object.values(Avp) as AvpDefinition[]) {
  let m = byVendor.get(d.vendorId);
  if (!m) byVendor.set(d.vendorId, (m = new Map()));
  m.set(d.code, d);
}

/** The definition of the AVP with this code and vendor (0 for IETF AVPs), if we know it. */
export function lookupAvp(code: number, vendorId: number): AvpDefinition | undefined {
  return byVendor.get(vendorId)?.get(code);
}

/** Builds an AVP to encode from its definition, with the flags the definition requires. */
export function avp<T extends AvpType>(d: AvpDefinition<T>, value: AvpTypeValue[T]): OutAvp {
  return {
    code: d.code,
    vendorId: d.vendorId,
    flags: d.mBit === 'must' ? AVP_FLAG_M : 0,
    value: { type: d.type, value } as OutAvp['value'],
  };
}

const EXAMPLE: { [T in AvpType]: AvpTypeValue[T] } = {
  OctetString: new Uint8Array(0),
  UTF8String: '',
  DiameterIdentity: '',
  DiameterURI: '',
  Unsigned32: 0,
  Integer32: 0,
  Unsigned64: 0n,
  Integer64: 0n,
  Enumerated: 0,
  Address: '0.0.0.0',
  Time: new Date(-2208988800000),
  Grouped: [],
};

/**
 * The stand-in for a missing AVP in Failed-AVP (RFC 6733 §7.5): "the correct AVP code and vendor
 * id, and a zero-filled payload of the minimum required length".
 */
export function exampleAvp(d: AvpDefinition): OutAvp {
  return avp(d, EXAMPLE[d.type]);
}
