/**
 * A valid ME-Identity-Check-Request (TS 29.272 §7.2.19) read in place, as
 * decodeMeIdentityCheckRequest returns it: the buffer and the offsets the scanner noted, each
 * string made on first read.
 */
import type { LastText } from './last-text.js';

const NO_BYTES = Buffer.alloc(0);
import type { MeIdentityCheckRequest, TerminalInformation } from './s13-request-decoder.js';
import {
  DESTINATION_HOST,
  DESTINATION_REALM,
  IMEI,
  ORIGIN_HOST,
  ORIGIN_REALM,
  SESSION_ID,
  SOFTWARE_VERSION,
  USER_NAME,
  textAt,
  type EcrScanner,
} from './s13-request-scanner.js';

/**
 * A valid ECR read in place: the header numbers, Auth-Session-State, Proxy-Info and the DOIC
 * feature vector at once; each string on first read (then kept). `sessionIdBytes` is the
 * Session-Id as received, for the answer to copy (RFC 6733 §8.8). It keeps the message's buffer
 * (a slice of a socket read) alive while it is referenced. A server may decode request after
 * request into the same object (`load`): nothing is allocated per request then.
 */
export class InPlaceEcr implements MeIdentityCheckRequest, TerminalInformation {
  // Read-only to users (the MeIdentityCheckRequest interface); written by `load` alone.
  flags = 0;
  commandCode = 0;
  applicationId = 0;
  hopByHop = 0;
  endToEnd = 0;
  authSessionState = 0;
  proxyInfo: Buffer[] | undefined = undefined;
  ocFeatureVector: bigint | undefined = undefined;
  private buf: Buffer = NO_BYTES;
  private nonAscii = 0;
  // [start, end) of each value; start -1: absent (the required ones are always there).
  private sidS = -1;
  private sidE = -1;
  private ohS = -1;
  private ohE = -1;
  private orS = -1;
  private orE = -1;
  private drS = -1;
  private drE = -1;
  private dhS = -1;
  private dhE = -1;
  private unS = -1;
  private unE = -1;
  private imS = -1;
  private imE = -1;
  private svS = -1;
  private svE = -1;
  private meS = -1;
  private meE = -1;
  // The strings, once made. Private (#) fields, not properties: two requests decoded from the same
  // bytes stay deep-equal whatever each was asked (assert.deepStrictEqual ignores them).
  #hosts: LastText | undefined;
  #sessionId: string | undefined;
  #originHost: string | undefined;
  #originRealm: string | undefined;
  #destinationRealm: string | undefined;
  #destinationHost: string | undefined;
  #userName: string | undefined;
  #imei: string | undefined;
  #softwareVersion: string | undefined;
  #meid: Uint8Array | undefined;
  /** This request as a decode's result, made once. */
  readonly #ok: { readonly kind: 'ok'; readonly request: InPlaceEcr };

  /** The request the scanner has just read; without one, an empty request to `load` into. */
  constructor(r?: EcrScanner, hosts?: LastText) {
    this.#ok = { kind: 'ok', request: this };
    if (r !== undefined) this.load(r, hosts);
  }

  /** This request as a decode's result. */
  get result(): { readonly kind: 'ok'; readonly request: InPlaceEcr } {
    return this.#ok;
  }

  /** Becomes the request the scanner has just read (every field, every memo, replaced). */
  load(r: EcrScanner, hosts: LastText | undefined): void {
    const b = r.buf;
    this.buf = b;
    this.flags = b[4]!;
    this.commandCode = (b[5]! << 16) | (b[6]! << 8) | b[7]!;
    this.applicationId = b.readUInt32BE(8);
    this.hopByHop = b.readUInt32BE(12);
    this.endToEnd = b.readUInt32BE(16);
    this.authSessionState = r.authSessionState;
    this.proxyInfo = r.proxyInfo;
    this.ocFeatureVector = r.ocFeatureVector;
    this.nonAscii = r.nonAscii;
    const s = r.starts;
    const e = r.ends;
    this.sidS = s[SESSION_ID]!;
    this.sidE = e[SESSION_ID]!;
    this.ohS = s[ORIGIN_HOST]!;
    this.ohE = e[ORIGIN_HOST]!;
    this.orS = s[ORIGIN_REALM]!;
    this.orE = e[ORIGIN_REALM]!;
    this.drS = s[DESTINATION_REALM]!;
    this.drE = e[DESTINATION_REALM]!;
    this.dhS = s[DESTINATION_HOST]!;
    this.dhE = e[DESTINATION_HOST]!;
    this.unS = s[USER_NAME]!;
    this.unE = e[USER_NAME]!;
    this.imS = s[IMEI]!;
    this.imE = e[IMEI]!;
    this.svS = s[SOFTWARE_VERSION]!;
    this.svE = e[SOFTWARE_VERSION]!;
    this.meS = r.meidStart;
    this.meE = r.meidEnd;
    this.#hosts = hosts;
    this.#sessionId = undefined;
    this.#originHost = undefined;
    this.#originRealm = undefined;
    this.#destinationRealm = undefined;
    this.#destinationHost = undefined;
    this.#userName = undefined;
    this.#imei = undefined;
    this.#softwareVersion = undefined;
    this.#meid = undefined;
  }

  private ascii(field: number): boolean {
    return (this.nonAscii & (1 << field)) === 0;
  }

  get sessionId(): string {
    return (this.#sessionId ??= textAt(this.buf, this.sidS, this.sidE, this.ascii(SESSION_ID)));
  }

  get sessionIdBytes(): Uint8Array {
    return this.buf.subarray(this.sidS, this.sidE);
  }

  get sessionIdLength(): number {
    return this.sidE - this.sidS;
  }

  copySessionId(target: Uint8Array, at: number): number {
    // A byte loop: a Session-Id is some tens of bytes, less than a native copy's call.
    const b = this.buf;
    for (let i = this.sidS; i < this.sidE; i++) target[at++] = b[i]!;
    return at;
  }

  get originHost(): string {
    if (this.#originHost === undefined) {
      const ascii = this.ascii(ORIGIN_HOST);
      this.#originHost = this.#hosts
        ? this.#hosts.read(this.buf, this.ohS, this.ohE, ascii)
        : textAt(this.buf, this.ohS, this.ohE, ascii);
    }
    return this.#originHost;
  }

  get originRealm(): string {
    return (this.#originRealm ??= textAt(this.buf, this.orS, this.orE, this.ascii(ORIGIN_REALM)));
  }

  get destinationRealm(): string {
    return (this.#destinationRealm ??= textAt(
      this.buf,
      this.drS,
      this.drE,
      this.ascii(DESTINATION_REALM),
    ));
  }

  get destinationHost(): string | undefined {
    if (this.dhS < 0) return undefined;
    return (this.#destinationHost ??= textAt(
      this.buf,
      this.dhS,
      this.dhE,
      this.ascii(DESTINATION_HOST),
    ));
  }

  get userName(): string | undefined {
    if (this.unS < 0) return undefined;
    return (this.#userName ??= textAt(this.buf, this.unS, this.unE, this.ascii(USER_NAME)));
  }

  /** Terminal-Information: this request, which has its members' getters (no object per read). */
  get terminalInformation(): TerminalInformation {
    return this;
  }

  get imei(): string | undefined {
    if (this.imS < 0) return undefined;
    return (this.#imei ??= textAt(this.buf, this.imS, this.imE, this.ascii(IMEI)));
  }

  get softwareVersion(): string | undefined {
    if (this.svS < 0) return undefined;
    return (this.#softwareVersion ??= textAt(
      this.buf,
      this.svS,
      this.svE,
      this.ascii(SOFTWARE_VERSION),
    ));
  }

  get meid(): Uint8Array | undefined {
    if (this.meS < 0) return undefined;
    return (this.#meid ??= this.buf.subarray(this.meS, this.meE));
  }
}
