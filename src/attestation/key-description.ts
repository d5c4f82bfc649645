/**
 * Parses the KeyDescription extension (OID 1.3.6.1.4.1.11129.2.1.17; Android "Key and ID
 * attestation", attestation versions 1-400) with `@peculiar/asn1-android`. The library's
 * tolerant form (`NonStandardKeyDescription`, any field order) decodes it; the encoding must then
 * be DER (X.690 section 10/11): fields of each AuthorizationList in ascending tag order, and the
 * re-encoding of the decoded value equal to the input byte for byte (refuses e.g. a BOOLEAN
 * `deviceLocked` encoded 0x01 instead of 0xFF).
 *
 * The common case is first decoded component by component (`key-description-components.ts`:
 * the same library, per field, with the decodings of fields shared by many devices memoised);
 * only what that refuses goes through the whole-extension decoding here, which names the fault.
 */
import 'reflect-metadata';
import {
  AttestationApplicationId,
  KeyDescription,
  NonStandardKeyDescription,
  type AuthorizationList,
  type NonStandardAuthorizationList,
  type RootOfTrust,
} from '@peculiar/asn1-android';
import { AsnConvert, type OctetString } from '@peculiar/asn1-schema';
import type {
  AttestedIds,
  KeyDescriptionFields,
  RootOfTrustFields,
  SecurityLevelName,
  VerifiedBootStateName,
} from './attestation-types.js';
import { AUTHORIZATION_TAGS } from './authorization-tags.js';
import { decodeByComponents } from './key-description-components.js';

export const KEY_DESCRIPTION_OID = '1.3.6.1.4.1.11129.2.1.17';

/**
 * asn1js by default also tries to decode the contents of every primitive OCTET STRING as BER
 * (`parseEmbedded`); none of the KeyDescription's OCTET STRINGs is read that way (the
 * attestationApplicationId is parsed on its own), and the attempt was a fifth of the decoding.
 */
const PARSE = { berOptions: { parseEmbedded: false } } as const;

const LEVELS: readonly SecurityLevelName[] = ['SOFTWARE', 'TRUSTED_ENVIRONMENT', 'STRONG_BOX'];
const BOOT: readonly VerifiedBootStateName[] = ['VERIFIED', 'SELF_SIGNED', 'UNVERIFIED', 'FAILED'];

const hex = (o: OctetString | undefined) => (o ? Buffer.from(o.buffer).toString('hex') : '');
const ascii = (o: OctetString | undefined) =>
  o === undefined ? null : Buffer.from(o.buffer).toString('latin1');

function level(n: number, what: string): SecurityLevelName {
  const l = LEVELS[n];
  if (l === undefined) throw new KeyDescriptionError(`${what} ${n} is not a SecurityLevel`);
  return l;
}

class KeyDescriptionError extends Error {}

/** The tag of a one-field NonStandardAuthorization item. */
function tagOf(item: AuthorizationList): { name: string; tag: number } {
  for (const [name, v] of Object.entries(item))
    if (v !== undefined) return { name, tag: AUTHORIZATION_TAGS[name] ?? -1 };
  throw new KeyDescriptionError('empty authorization item');
}

function tagsInOrder(list: NonStandardAuthorizationList, which: string): number[] {
  const tags = list.map((item) => tagOf(item));
  for (let i = 1; i < tags.length; i++)
    if (tags[i]!.tag <= tags[i - 1]!.tag)
      throw new KeyDescriptionError(
        `${which} tags not in ascending order: ${tags[i]!.name} (${tags[i]!.tag}) after ${tags[i - 1]!.name} (${tags[i - 1]!.tag})`,
      );
  return tags.map((t) => t.tag);
}

/** The first item of either list whose own DER encoding is not a part of the input. */
function nonDerField(kd: NonStandardKeyDescription, input: Buffer): string | undefined {
  for (const [which, list] of [
    ['softwareEnforced', kd.softwareEnforced],
    ['hardwareEnforced', kd.teeEnforced],
  ] as const)
    for (const item of list) {
      const der = Buffer.from(AsnConvert.serialize(item));
      if (input.indexOf(der) < 0) {
        const t = tagOf(item);
        return `${which}.${t.name} (tag ${t.tag})`;
      }
    }
  return undefined;
}

function rootOfTrust(r: RootOfTrust): RootOfTrustFields {
  const state = BOOT[r.verifiedBootState];
  if (state === undefined)
    throw new KeyDescriptionError(`verifiedBootState ${r.verifiedBootState} is not defined`);
  return {
    verifiedBootKey: hex(r.verifiedBootKey),
    deviceLocked: r.deviceLocked,
    verifiedBootState: state,
    verifiedBootHash: r.verifiedBootHash ? hex(r.verifiedBootHash) : null,
  };
}

function ids(l: Lookup): AttestedIds {
  const f = <K extends keyof AuthorizationList>(k: K) => ascii(l.findProperty(k) as OctetString);
  return {
    brand: f('attestationIdBrand'),
    device: f('attestationIdDevice'),
    product: f('attestationIdProduct'),
    serial: f('attestationIdSerial'),
    imei: f('attestationIdImei'),
    secondImei: f('attestationIdSecondImei'),
    meid: f('attestationIdMeid'),
    manufacturer: f('attestationIdManufacturer'),
    model: f('attestationIdModel'),
  };
}

/**
 * Package names by the bytes of attestationApplicationId: the same few apps (the CEIR's
 * device-management and point-of-sale clients) submit every attestation, so their decoding is
 * kept (a pure function of the bytes; bounded, cleared when full).
 */
const packagesMemo = new Map<string, readonly string[]>();
const MAX_PACKAGES_MEMO = 1024;

function decodePackages(bytes: ArrayBuffer): readonly string[] {
  try {
    const app = AsnConvert.parse(bytes, AttestationApplicationId, PARSE);
    // Typed as an OctetString, the library gives the packageName as a bare ArrayBuffer.
    return Object.freeze(
      app.packageInfos.map((p) => {
        const name = p.packageName as OctetString | ArrayBuffer;
        return Buffer.from(name instanceof ArrayBuffer ? name : name.buffer).toString('utf8');
      }),
    );
  } catch {
    return Object.freeze([]);
  }
}

function packages(o: OctetString | undefined): string[] {
  if (!o) return [];
  const key = Buffer.from(o.buffer).toString('latin1');
  let names = packagesMemo.get(key);
  if (!names) {
    names = decodePackages(o.buffer);
    if (packagesMemo.size >= MAX_PACKAGES_MEMO) packagesMemo.clear();
    packagesMemo.set(key, names);
  }
  return [...names];
}

function num(sw: Lookup, hw: Lookup, k: string) {
  const key = k as keyof AuthorizationList;
  return int(hw.findProperty(key) ?? sw.findProperty(key));
}

/** An INTEGER as the library gives it: a number, or a decimal string when it is large. */
function int(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?[0-9]+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

function version(v: unknown, what: string): number {
  const n = int(v);
  if (n === null) throw new KeyDescriptionError(`${what} is not an integer`);
  return n;
}

/** One AuthorizationList, whichever decoding gave it. */
interface Lookup {
  findProperty<K extends keyof AuthorizationList>(key: K): AuthorizationList[K] | undefined;
}

interface Decoded {
  readonly kd: KeyDescription | NonStandardKeyDescription;
  readonly sw: Lookup;
  readonly hw: Lookup;
  readonly softwareTags: number[];
  readonly hardwareTags: number[];
}

/** The tags of a strictly decoded list (schema order: ascending). */
function definedTags(l: AuthorizationList): number[] {
  return Object.entries(l)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => AUTHORIZATION_TAGS[k] ?? -1)
    .sort((a, b) => a - b);
}

/** The schema-order decoding (fast); undefined when the input does not fit it. */
function decodeStrict(input: Buffer): Decoded | undefined {
  let kd: KeyDescription;
  try {
    kd = AsnConvert.parse(input, KeyDescription, PARSE);
  } catch {
    return undefined;
  }
  return strictDecoded(kd, definedTags(kd.softwareEnforced), definedTags(kd.teeEnforced));
}

function strictDecoded(
  kd: KeyDescription,
  softwareTags: number[],
  hardwareTags: number[],
): Decoded {
  const lookup = (l: AuthorizationList): Lookup => ({ findProperty: (k) => l[k] });
  return {
    kd,
    sw: lookup(kd.softwareEnforced),
    hw: lookup(kd.teeEnforced),
    softwareTags,
    hardwareTags,
  };
}

/** The any-order decoding, refusing fields out of ascending tag order (with which). */
function decodeTolerant(input: Buffer): Decoded & { kd: NonStandardKeyDescription } {
  const kd = AsnConvert.parse(input, NonStandardKeyDescription, PARSE);
  return {
    kd,
    sw: kd.softwareEnforced,
    hw: kd.teeEnforced,
    softwareTags: tagsInOrder(kd.softwareEnforced, 'softwareEnforced'),
    hardwareTags: tagsInOrder(kd.teeEnforced, 'hardwareEnforced'),
  };
}

export type KeyDescriptionResult =
  { kind: 'ok'; value: KeyDescriptionFields } | { kind: 'error'; message: string };

/** The extension's fields, or the reason it is refused. Never throws. */
export function parseKeyDescription(value: Uint8Array): KeyDescriptionResult {
  const c = decodeByComponents(value);
  if (!c) return parseWholeKeyDescription(value);
  try {
    return fields(strictDecoded(c.kd, c.softwareTags, c.hardwareTags));
  } catch {
    return parseWholeKeyDescription(value); // names the refusal as it always did
  }
}

const refusal = (e: unknown): KeyDescriptionResult => {
  const m = e instanceof Error ? e.message : String(e);
  return { kind: 'error', message: `KeyDescription ${m}` };
};

/**
 * The whole extension decoded by the library's schema and re-encoded for the DER check: the
 * path of everything the component decoding does not take, and the reference
 * `parseKeyDescription` must equal (`key-description-equivalence.test.ts`). Never throws.
 */
export function parseWholeKeyDescription(value: Uint8Array): KeyDescriptionResult {
  const input = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  try {
    const d = decodeStrict(input) ?? decodeTolerant(input);
    const re = Buffer.from(AsnConvert.serialize(d.kd));
    if (!re.equals(input)) {
      const field = nonDerField(decodeTolerant(input).kd, input);
      throw new KeyDescriptionError(
        `not DER-encoded${field ? `: ${field}` : ''} (the re-encoding differs from the input)`,
      );
    }
    return fields(d);
  } catch (e) {
    return refusal(e);
  }
}

/** The parsed fields of a decoded KeyDescription (throws on undefined enumerated values). */
function fields(d: Decoded): KeyDescriptionResult {
  const { kd, sw, hw, softwareTags, hardwareTags } = d;
  const hwRot = hw.findProperty('rootOfTrust');
  const swRot = sw.findProperty('rootOfTrust');
  const swIds = Object.fromEntries(Object.entries(ids(sw)).filter(([, v]) => v !== null));
  return {
    kind: 'ok',
    value: {
      attestationVersion: version(kd.attestationVersion, 'attestationVersion'),
      attestationSecurityLevel: level(kd.attestationSecurityLevel, 'attestationSecurityLevel'),
      keyMintVersion: version(kd.keymasterVersion, 'keyMintVersion'),
      keyMintSecurityLevel: level(kd.keymasterSecurityLevel, 'keyMintSecurityLevel'),
      challenge: hex(kd.attestationChallenge),
      uniqueId: hex(kd.uniqueId),
      rootOfTrust: hwRot ? rootOfTrust(hwRot) : swRot ? rootOfTrust(swRot) : null,
      rootOfTrustIn: hwRot ? 'hardware' : swRot ? 'software' : null,
      ids: ids(hw),
      softwareIds: swIds,
      creationDateTime: num(sw, hw, 'creationDateTime'),
      osVersion: num(sw, hw, 'osVersion'),
      osPatchLevel: num(sw, hw, 'osPatchLevel'),
      vendorPatchLevel: num(sw, hw, 'vendorPatchLevel'),
      bootPatchLevel: num(sw, hw, 'bootPatchLevel'),
      applicationPackages: packages(
        sw.findProperty('attestationApplicationId') ?? hw.findProperty('attestationApplicationId'),
      ),
      softwareTags,
      hardwareTags,
    },
  };
}
