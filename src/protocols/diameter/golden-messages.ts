/**
 * Test support: the messages of the golden wire-byte files in `testdata/` (one per message we
 * send or accept), built with the encoders, and the fields tshark and the decoders must report.
 * Also the annotated hex format of those files.
 */
import { decodeAvps, readGrouped, type RawAvp } from './avp.js';
import { encodeErrorAnswer } from './answer.js';
import {
  encodeCapabilitiesExchangeAnswer,
  encodeCapabilitiesExchangeRequest,
  encodeDeviceWatchdogAnswer,
  encodeDeviceWatchdogRequest,
  encodeDisconnectPeerAnswer,
  encodeDisconnectPeerRequest,
  type PeerCapabilities,
} from './base.js';
import { APP_S13, Avp, EquipmentStatus, VENDOR_3GPP, lookupAvp } from './dictionary.js';
import { decodeMessage, readHeader } from './message.js';
import { decodeMeIdentityCheckRequest } from './s13-request-decoder.js';
import {
  encodeMeIdentityCheckAnswer,
  encodeMeIdentityCheckRequest,
  type MeIdentityCheckResult,
} from './s13.js';

export const MME_HOST = 'mme01.epc.mnc001.mcc001.3gppnetwork.org';
export const MME_REALM = 'epc.mnc001.mcc001.3gppnetwork.org';
export const EIR_HOST = 'eir01.epc.mnc001.mcc001.3gppnetwork.org';
export const EIR_REALM = 'epc.mnc001.mcc001.3gppnetwork.org';
export const SESSION_ID = `${MME_HOST};1700000000;1;app_s13`;
export const IMEI = '35693803564380';

const mmeCaps: PeerCapabilities = {
  originHost: MME_HOST,
  originRealm: MME_REALM,
  hostIpAddresses: ['10.0.0.1'],
  vendorId: VENDOR_3GPP,
  productName: 'OpenCEIR load client',
  originStateId: 1700000000,
  supportedVendorIds: [VENDOR_3GPP],
  authApplicationIds: [APP_S13],
  vendorSpecificApplicationIds: [{ vendorId: VENDOR_3GPP, authApplicationId: APP_S13 }],
  firmwareRevision: 1,
};

export const eirCaps: PeerCapabilities = {
  originHost: EIR_HOST,
  originRealm: EIR_REALM,
  hostIpAddresses: ['10.0.0.2', '2001:db8::2'],
  vendorId: 0,
  productName: 'OpenCEIR',
  originStateId: 1,
  supportedVendorIds: [VENDOR_3GPP],
  authApplicationIds: [APP_S13],
  vendorSpecificApplicationIds: [{ vendorId: VENDOR_3GPP, authApplicationId: APP_S13 }],
};

const ids = (n: number) => ({ hopByHop: 0x10000000 + n, endToEnd: 0x20000000 + n });

export const ecr = encodeMeIdentityCheckRequest({
  ...ids(10),
  sessionId: SESSION_ID,
  originHost: MME_HOST,
  originRealm: MME_REALM,
  destinationRealm: EIR_REALM,
  destinationHost: EIR_HOST,
  terminalInformation: { imei: IMEI, softwareVersion: '01' },
  userName: '001010123456789',
  vendorSpecificApplicationId: true,
});

const ecrMinimal = {
  ...ids(11),
  sessionId: SESSION_ID,
  originHost: MME_HOST,
  originRealm: MME_REALM,
  destinationRealm: EIR_REALM,
};
/** An ECR whose Terminal-Information lacks IMEI and MEID (5005). */
export const ecrNoImei = encodeMeIdentityCheckRequest({
  ...ecrMinimal,
  terminalInformation: { softwareVersion: '01' },
});
/** An ECR with an unknown AVP (code 99999) carrying the M bit (5001). */
export const ecrUnknownM = encodeMeIdentityCheckRequest({
  ...ecrMinimal,
  ...ids(12),
  terminalInformation: { imei: IMEI },
  extraAvps: [{ code: 99999, flags: 0x40, value: { type: 'UTF8String', value: 'x' } }],
});

function ecaFor(request: Buffer, result: MeIdentityCheckResult): Buffer {
  const d = decodeMeIdentityCheckRequest(request);
  const req = d.kind === 'ok' ? d.request : d.context!;
  return encodeMeIdentityCheckAnswer({
    request: req,
    originHost: EIR_HOST,
    originRealm: EIR_REALM,
    result,
  });
}

function failedOf(request: Buffer): Uint8Array {
  const d = decodeMeIdentityCheckRequest(request);
  if (d.kind === 'ok' || !d.failedAvp) throw new Error('expected an error with Failed-AVP');
  return d.failedAvp;
}

const cer = encodeCapabilitiesExchangeRequest(ids(1), mmeCaps);
const dwr = encodeDeviceWatchdogRequest(ids(2), { originHost: MME_HOST, originRealm: MME_REALM });
const dpr = encodeDisconnectPeerRequest(
  ids(3),
  { originHost: MME_HOST, originRealm: MME_REALM },
  0,
);
const eir = { originHost: EIR_HOST, originRealm: EIR_REALM };
/** A request for a command S13 does not have: Update-Location (316) of S6a. */
const ulr = Buffer.from(ecr);
ulr.writeUIntBE(316, 5, 3);

/** What each golden message should decode to (checked by the decoders and by tshark). */
export interface Expected {
  readonly cmd: number;
  readonly request: boolean;
  readonly proxiable: boolean;
  readonly error: boolean;
  readonly app: number;
  readonly resultCode?: number;
  readonly experimentalResultCode?: number;
  readonly equipmentStatus?: number;
  readonly imei?: string;
  readonly vsai?: boolean;
  readonly failedAvp?: boolean;
}

export interface Golden {
  readonly name: string;
  readonly bytes: Buffer;
  readonly fromClient: boolean;
  readonly expected: Expected;
}

const req = (cmd: number, app = 0, more: Partial<Expected> = {}): Expected => ({
  cmd,
  request: true,
  proxiable: app !== 0,
  error: false,
  app,
  ...more,
});
const ans = (
  cmd: number,
  resultCode: number | undefined,
  more: Partial<Expected> = {},
): Expected => ({
  cmd,
  request: false,
  proxiable: cmd === 324,
  error: false,
  app: cmd === 324 ? APP_S13 : 0,
  ...(resultCode !== undefined ? { resultCode } : {}),
  ...more,
});

export const GOLDEN: readonly Golden[] = [
  { name: 'cer', bytes: cer, fromClient: true, expected: req(257, 0, { vsai: true }) },
  {
    name: 'cea',
    bytes: encodeCapabilitiesExchangeAnswer(readHeader(cer), 2001, eirCaps),
    fromClient: false,
    expected: ans(257, 2001, { vsai: true }),
  },
  { name: 'dwr', bytes: dwr, fromClient: true, expected: req(280) },
  {
    name: 'dwa',
    bytes: encodeDeviceWatchdogAnswer(readHeader(dwr), 2001, eir),
    fromClient: false,
    expected: ans(280, 2001),
  },
  {
    name: 'ecr',
    bytes: ecr,
    fromClient: true,
    expected: req(324, APP_S13, { imei: IMEI, vsai: true }),
  },
  {
    name: 'eca-white',
    bytes: ecaFor(ecr, { kind: 'status', equipmentStatus: EquipmentStatus.WHITELISTED }),
    fromClient: false,
    expected: ans(324, 2001, { equipmentStatus: 0 }),
  },
  {
    name: 'eca-black',
    bytes: ecaFor(ecr, { kind: 'status', equipmentStatus: EquipmentStatus.BLACKLISTED }),
    fromClient: false,
    expected: ans(324, 2001, { equipmentStatus: 1 }),
  },
  {
    name: 'eca-grey',
    bytes: ecaFor(ecr, { kind: 'status', equipmentStatus: EquipmentStatus.GREYLISTED }),
    fromClient: false,
    expected: ans(324, 2001, { equipmentStatus: 2 }),
  },
  {
    name: 'eca-5422',
    bytes: ecaFor(ecr, { kind: 'experimental', code: 5422 }),
    fromClient: false,
    expected: ans(324, undefined, { experimentalResultCode: 5422 }),
  },
  {
    name: 'eca-3004',
    bytes: ecaFor(ecr, { kind: 'result', code: 3004 }),
    fromClient: false,
    expected: ans(324, 3004, { error: true }),
  },
  { name: 'ecr-no-imei', bytes: ecrNoImei, fromClient: true, expected: req(324, APP_S13) },
  {
    name: 'eca-5005',
    bytes: ecaFor(ecrNoImei, { kind: 'result', code: 5005, failedAvp: failedOf(ecrNoImei) }),
    fromClient: false,
    expected: ans(324, 5005, { failedAvp: true }),
  },
  {
    name: 'ecr-unknown-m',
    bytes: ecrUnknownM,
    fromClient: true,
    expected: req(324, APP_S13, { imei: IMEI }),
  },
  {
    name: 'eca-5001',
    bytes: ecaFor(ecrUnknownM, { kind: 'result', code: 5001, failedAvp: failedOf(ecrUnknownM) }),
    fromClient: false,
    expected: ans(324, 5001, { failedAvp: true }),
  },
  {
    name: 'ulr-unsupported',
    bytes: ulr,
    fromClient: true,
    expected: req(316, APP_S13, { imei: IMEI, vsai: true }),
  },
  {
    name: 'answer-3001',
    bytes: encodeErrorAnswer({
      request: { ...readHeader(ulr), sessionId: SESSION_ID },
      ...eir,
      result: { kind: 'result', code: 3001 },
    }),
    fromClient: false,
    expected: { ...ans(316, 3001), app: APP_S13, proxiable: true, error: true },
  },
  { name: 'dpr', bytes: dpr, fromClient: true, expected: req(282) },
  {
    name: 'dpa',
    bytes: encodeDisconnectPeerAnswer(readHeader(dpr), 2001, eir),
    fromClient: false,
    expected: ans(282, 2001),
  },
];

function avpName(a: RawAvp): string {
  return (
    lookupAvp(a.code, a.vendorId)?.name ?? `AVP ${a.code}${a.vendorId ? `/${a.vendorId}` : ''}`
  );
}

function dumpAvps(buf: Buffer, avps: readonly RawAvp[], depth: number, out: string[]): void {
  for (const a of avps) {
    const def = lookupAvp(a.code, a.vendorId);
    const hl = a.vendorId ? 12 : 8;
    const padded = (hl + a.data.length + 3) & ~3;
    const indent = '  '.repeat(depth);
    if (def?.type === 'Grouped' || a.code === Avp.FailedAvp.code) {
      out.push(
        `${indent}${buf.subarray(a.offset, a.offset + hl).toString('hex')}  # ${avpName(a)}`,
      );
      const g = readGrouped(a);
      if (g.kind === 'ok') dumpAvps(buf, g.value, depth + 1, out);
    } else {
      out.push(
        `${indent}${buf.subarray(a.offset, a.offset + padded).toString('hex')}  # ${avpName(a)}`,
      );
    }
  }
}

/** The annotated hex of a message: the header, then one line per AVP (groups indented). */
export function toAnnotatedHex(bytes: Buffer, title: string): string {
  const out = [`# ${title}`, `${bytes.subarray(0, 20).toString('hex')}  # header`];
  const d = decodeMessage(bytes);
  if (d.kind === 'ok') dumpAvps(bytes, d.message.avps, 0, out);
  else {
    const r = decodeAvps(bytes, 20);
    out.push(
      `${bytes.subarray(20).toString('hex')}  # undecodable: ${r.kind === 'error' ? r.reason : ''}`,
    );
  }
  return out.join('\n') + '\n';
}

/** Bytes of an annotated hex file: `#` comments and whitespace are ignored. */
export function fromAnnotatedHex(text: string): Buffer {
  const hex = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}
