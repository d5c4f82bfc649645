/**
 * Check observations in transit from a `ceir serve` worker to its primary, as bytes (one buffer
 * per batch) instead of one JavaScript object per check sent as JSON. At 100,000 checks/s the
 * JSON batches (about 200 KB each, allocated in V8's large-object space) pushed the workers into
 * a full mark-compact garbage collection every second or two: pauses of 10-40 ms that made the
 * S13 latency's 99th percentile (bench/RESULTS.md, issue 4). A batch of bytes lives outside the
 * JavaScript heap and costs one copy over the IPC channel (`serialization: 'advanced'`).
 *
 * Layout (all integers big-endian):
 *   u8 format version (1) | u32 record count | u16 text count | texts | records
 *   text:   u16 byte length | UTF-8 bytes            (peers and snapshot versions, interned)
 *   record: f64 time (ms since the epoch) | u8 interface | u8 status | u16 peer text |
 *           u16 version text | u8 IMEI length | u8 IMSI length (255: absent) | IMEI | IMSI
 * IMEI and IMSI are written as Latin-1 as received (a character beyond Latin-1 keeps its low
 * byte), cut at 254 characters: a longer or non-digit one is malformed whatever its tail, and the
 * store keeps only 14-16 digit IMEIs and IMSIs of digits. Peers and versions are cut at 1,024
 * characters.
 */

/** The check interfaces, by code (a record's `interface` byte). */
export const INTERFACES = ['s13', 'n5g-eir'] as const;
export type CheckInterface = (typeof INTERFACES)[number];

/** One check as a `ceir serve` worker reports it to its primary. */
export interface CheckObservation {
  readonly interface: CheckInterface;
  /** The IMEI as received. */
  readonly imei: string;
  readonly imsi?: string;
  /** S13: the requesting Origin-Host; N5g-eir: the consumer's IP address. */
  readonly peer: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** WHITELISTED, BLACKLISTED, GREYLISTED or UNKNOWN_EQUIPMENT. */
  readonly status: string;
  /** Snapshot version that decided. */
  readonly version: string;
}

const FORMAT_VERSION = 1;
/** Fixed part of a record. */
const RECORD_HEAD = 16;
const MAX_ID_LENGTH = 254;
const NO_IMSI = 255;
/** At most this many distinct texts per batch; a batch is cut when they run out. */
const MAX_TEXTS = 0xffff;
/** Peers and versions are cut at this many characters (their UTF-8 fits a u16 length). */
const MAX_TEXT_LENGTH = 1024;

/** Equipment status labels (`statusLabel`), by code. */
export const OBSERVED_STATUSES = [
  'WHITELISTED',
  'BLACKLISTED',
  'GREYLISTED',
  'UNKNOWN_EQUIPMENT',
] as const;

/** What a server reports of one check (`S13CheckObservation`, `N5gEirObservation`). */
export interface CheckedRequest {
  readonly imei: string;
  readonly imsi?: string | undefined;
  readonly peer: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
}

/** Builds one batch; `take()` returns its bytes and starts the next. */
export class ObservationBatchWriter {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private at = 0;
  private n = 0;
  private texts = new Map<string, number>();

  /** Observations in the current batch. */
  get count(): number {
    return this.n;
  }

  /**
   * Adds one observation: the check `o` (the server's own report of it, no copy per check) on
   * interface `iface`, its status label and the snapshot version that decided. False (nothing
   * added) when the batch has no room for two more texts: take() it and add again.
   */
  add(iface: CheckInterface, o: CheckedRequest, status: string, version: string): boolean {
    if (this.texts.size > MAX_TEXTS - 2) return false;
    const imei = o.imei.length > MAX_ID_LENGTH ? o.imei.slice(0, MAX_ID_LENGTH) : o.imei;
    const imsi =
      o.imsi === undefined || o.imsi.length <= MAX_ID_LENGTH
        ? o.imsi
        : o.imsi.slice(0, MAX_ID_LENGTH);
    this.reserve(RECORD_HEAD + imei.length + (imsi?.length ?? 0));
    const b = this.buf;
    let p = this.at;
    b.writeDoubleBE(o.time, p);
    b[p + 8] = INTERFACES.indexOf(iface);
    b[p + 9] = observedStatusCode(status);
    b.writeUInt16BE(this.text(o.peer), p + 10);
    b.writeUInt16BE(this.text(version), p + 12);
    b[p + 14] = imei.length;
    b[p + 15] = imsi === undefined ? NO_IMSI : imsi.length;
    p += RECORD_HEAD;
    p += b.write(imei, p, 'latin1');
    if (imsi !== undefined) p += b.write(imsi, p, 'latin1');
    this.at = p;
    this.n++;
    return true;
  }

  /** The batch's bytes (undefined when empty); the writer starts a new batch. */
  take(): Uint8Array | undefined {
    if (this.n === 0) return undefined;
    const texts = [...this.texts.keys()].map((t) => Buffer.from(t, 'utf8'));
    let size = 7 + this.at;
    for (const t of texts) size += 2 + t.length;
    const out = Buffer.allocUnsafe(size);
    out[0] = FORMAT_VERSION;
    out.writeUInt32BE(this.n, 1);
    out.writeUInt16BE(texts.length, 5);
    let p = 7;
    for (const t of texts) {
      out.writeUInt16BE(t.length, p);
      t.copy(out, p + 2);
      p += 2 + t.length;
    }
    this.buf.copy(out, p, 0, this.at);
    this.at = 0;
    this.n = 0;
    this.texts = new Map();
    return out;
  }

  private text(full: string): number {
    const s = full.length > MAX_TEXT_LENGTH ? full.slice(0, MAX_TEXT_LENGTH) : full;
    let id = this.texts.get(s);
    if (id === undefined) {
      id = this.texts.size;
      this.texts.set(s, id);
    }
    return id;
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}

/** One batch of `observations` (for tests and tools: a server adds its checks one by one). */
export function observationBatchOf(observations: readonly CheckObservation[]): Uint8Array {
  const w = new ObservationBatchWriter();
  for (const o of observations)
    if (!w.add(o.interface, o, o.status, o.version))
      throw new RangeError('observationBatchOf: more distinct texts than one batch holds');
  return w.take() ?? new Uint8Array([FORMAT_VERSION, 0, 0, 0, 0, 0, 0]);
}

/** The code of a status label (`statusLabel`); an unknown one is UNKNOWN_EQUIPMENT's. */
export function observedStatusCode(status: string): number {
  const i = (OBSERVED_STATUSES as readonly string[]).indexOf(status);
  return i < 0 ? OBSERVED_STATUSES.length - 1 : i;
}

/** The number of observations in a batch (its header; the records are not read). */
export function observationBatchCount(bytes: Uint8Array): number {
  if (bytes.length < 7 || bytes[0] !== FORMAT_VERSION) return 0;
  return ((bytes[1]! << 24) >>> 0) + (bytes[2]! << 16) + (bytes[3]! << 8) + bytes[4]!;
}

/**
 * Walks a batch: checks its header, texts and record bounds, and calls `record` with each
 * record's offset and identifier lengths, in order. Throws on bytes that are not a whole batch.
 */
function walkBatch(
  bytes: Uint8Array,
  record: (
    b: Buffer,
    p: number,
    imeiLen: number,
    imsiLen: number,
    peer: string,
    version: string,
    texts: string[],
  ) => void,
): void {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 7 || b[0] !== FORMAT_VERSION) fail('bad header');
  const n = b.readUInt32BE(1);
  const textCount = b.readUInt16BE(5);
  const texts: string[] = [];
  let p = 7;
  for (let i = 0; i < textCount; i++) {
    if (p + 2 > b.length) fail('texts cut short');
    const len = b.readUInt16BE(p);
    if (p + 2 + len > b.length) fail('texts cut short');
    texts.push(b.toString('utf8', p + 2, p + 2 + len));
    p += 2 + len;
  }
  if (n > (b.length - p) / RECORD_HEAD) fail(`${n} records cannot fit in ${b.length - p} bytes`);
  for (let i = 0; i < n; i++) {
    if (p + RECORD_HEAD > b.length) fail(`record ${i} cut short`);
    const imeiLen = b[p + 14]!;
    const imsiLen = b[p + 15]!;
    const end = p + RECORD_HEAD + imeiLen + (imsiLen === NO_IMSI ? 0 : imsiLen);
    if (end > b.length) fail(`record ${i} cut short`);
    if (b[p + 8]! >= INTERFACES.length) fail(`record ${i}: interface ${b[p + 8]}`);
    if (b[p + 9]! >= OBSERVED_STATUSES.length) fail(`record ${i}: status ${b[p + 9]}`);
    const peer = texts[b.readUInt16BE(p + 10)] ?? fail(`record ${i}: peer text`);
    const version = texts[b.readUInt16BE(p + 12)] ?? fail(`record ${i}: version text`);
    record(b, p, imeiLen, imsiLen, peer, version, texts);
    p = end;
  }
  if (p !== b.length) fail('trailing bytes');
}

function fail(why: string): never {
  throw new Error(`not an observation batch: ${why}`);
}

/** The observations of a batch, in order; throws on bytes that are not a batch. */
export function readObservationBatch(bytes: Uint8Array): CheckObservation[] {
  const out: CheckObservation[] = [];
  walkBatch(bytes, (b, p, imeiLen, imsiLen, peer, version) => {
    const iface = INTERFACES[b[p + 8]!]!;
    const status = OBSERVED_STATUSES[b[p + 9]!]!;
    const q = p + RECORD_HEAD;
    const imei = b.toString('latin1', q, q + imeiLen);
    const time = b.readDoubleBE(p);
    // Two literal shapes rather than a spread: the primary reads every check.
    out.push(
      imsiLen === NO_IMSI
        ? { interface: iface, imei, peer, time, status, version }
        : {
            interface: iface,
            imei,
            imsi: b.toString('latin1', q + imeiLen, q + imeiLen + imsiLen),
            peer,
            time,
            status,
            version,
          },
    );
  });
  return out;
}

/**
 * One observation as numbers, for the primary's clone detector and store write (no strings or
 * objects per check): `imei` is the value of the first 14 digits after leading white space
 * (`/^\s*([0-9]{14})/` on the IMEI as received), -1 when there are none; `imsiKey` is the
 * number `1<digits>` of an IMSI of 1-15 digits, -1 when absent or not such; `peer` and
 * `version` index the batch's `texts`; `iface` and `status` index INTERFACES and
 * OBSERVED_STATUSES.
 */
export type ObservationVisitor = (
  time: number,
  imei: number,
  imsiKey: number,
  peer: number,
  iface: number,
  status: number,
  texts: readonly string[],
) => void;

const LEADING_14 = /^\s*([0-9]{14})/;

/**
 * The 14-digit value of an observed IMEI (its first 14 digits after white space: 14-16 digits
 * as received), -1 when malformed; a number is taken as the value itself. The rule `leading14`
 * applies to a batch's bytes.
 */
export function observedImeiValue(imei: string | number): number {
  if (typeof imei === 'number')
    return Number.isSafeInteger(imei) && imei >= 0 && imei < 1e14 ? imei : -1;
  const m = LEADING_14.exec(imei);
  return m ? Number(m[1]) : -1;
}

/** Latin-1 white space, as JavaScript's `\s` matches it (tab to carriage return, space, NBSP). */
const isSpace = (c: number) => (c >= 9 && c <= 13) || c === 32 || c === 160;

/** Visits the observations of a batch in order, as numbers; throws as `readObservationBatch`. */
export function forEachObservation(bytes: Uint8Array, visit: ObservationVisitor): void {
  walkBatch(bytes, (b, p, imeiLen, imsiLen, _peer, _version, texts) => {
    const q = p + RECORD_HEAD;
    visit(
      b.readDoubleBE(p),
      leading14(b, q, q + imeiLen),
      imsiLen === NO_IMSI ? -1 : imsiKeyOf(b, q + imeiLen, imsiLen),
      b.readUInt16BE(p + 10),
      b[p + 8]!,
      b[p + 9]!,
      texts,
    );
  });
}

/** The value of 14 digits after leading white space in `b[from, to)`, or -1. */
function leading14(b: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to && isSpace(b[i]!)) i++;
  if (to - i < 14) return -1;
  let v = 0;
  for (const end = i + 14; i < end; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** `1<digits>` as a number for 1-15 digits in `b[at, at + len)`, or -1. */
function imsiKeyOf(b: Uint8Array, at: number, len: number): number {
  if (len < 1 || len > 15) return -1;
  let v = 1;
  for (let i = at; i < at + len; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
