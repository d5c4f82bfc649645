/**
 * The stores' load format for check observations: CSV lines (no header) of
 * `epoch ms, imei, imsi key, peer, interface, result`, written straight from the workers'
 * observation batches (`observation-batch.ts`) into bytes. Both stores load these lines in one
 * statement (DuckDB `read_csv`, PostgreSQL `COPY`). At 100,000 checks/s, building a JavaScript
 * object and a template string per check cost the `ceir serve` primary about 3.4 µs per check,
 * a third of a core; writing the bytes directly costs about a fifth of that (0.7 µs).
 *
 * A line per observation whose time is finite and whose IMEI starts with 14 digits (after white
 * space): time truncated to whole milliseconds; the IMEI's 14-digit value as a number (no
 * leading zeros); the IMSI as `1<digits>` when it is 1-15 digits, else empty (NULL); peer,
 * interface and status label quoted as CSV when they hold a comma, quote or line break.
 */
import {
  forEachObservation,
  INTERFACES,
  OBSERVED_STATUSES,
  observationBatchCount,
} from './observation-batch.js';

/** Lines for the store and how many there are. */
export interface ObservationCsv {
  readonly bytes: Uint8Array;
  readonly rows: number;
}

/** A CSV field: quoted when it holds a comma, quote or line break. */
export const csvField = (v: string): string =>
  /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;

const encoder = new TextEncoder();
const COMMA = 44;
const NEWLINE = 10;
const MINUS = 45;
const IFACE_BYTES = INTERFACES.map((i) => encoder.encode(csvField(i)));
const STATUS_BYTES = OBSERVED_STATUSES.map((s) => encoder.encode(csvField(s)));
/**
 * The longest line but its peer: time (24 characters at most, `String` of any double), IMEI
 * (14), IMSI key (16), the longest interface and status, 6 separators.
 */
const LINE_MAX =
  24 +
  14 +
  16 +
  6 +
  Math.max(...IFACE_BYTES.map((b) => b.length)) +
  Math.max(...STATUS_BYTES.map((b) => b.length));

/** The load lines of `batches`, in order. Throws on bytes that are not a batch. */
export function observationCsv(batches: readonly Uint8Array[]): ObservationCsv {
  return linesOf(batches, 0, batches.length);
}

/**
 * The same lines as `observationCsv`, in pieces of whole batches of at most `maxRows`
 * observations each (a batch larger than that is a piece of its own), each written only when
 * the previous one has been taken. A store writing them with an await between pieces keeps its
 * event loop free: 500,000 observations (five seconds of checks at 100,000/s) written at once
 * held the `ceir serve` primary's loop, where the people API and the workers' messages are
 * served, for 0.4-0.6 s.
 */
export function* observationCsvChunks(
  batches: readonly Uint8Array[],
  maxRows = 20_000,
): Generator<ObservationCsv> {
  let from = 0;
  while (from < batches.length) {
    let to = from + 1;
    let rows = observationBatchCount(batches[from]!);
    while (to < batches.length) {
      const n = observationBatchCount(batches[to]!);
      if (rows + n > maxRows) break;
      rows += n;
      to++;
    }
    yield linesOf(batches, from, to);
    from = to;
  }
}

/**
 * The pieces of `observationCsvChunks` as bytes, made as they are taken (a file write or a COPY
 * stream pulling them), and the rows in the pieces taken so far.
 */
export function observationCsvStream(
  batches: readonly Uint8Array[],
  maxRows?: number,
): { readonly bytes: Iterable<Uint8Array>; rows(): number } {
  let rows = 0;
  const bytes = function* (): Generator<Uint8Array> {
    for (const p of observationCsvChunks(batches, maxRows)) {
      rows += p.rows;
      yield p.bytes;
    }
  };
  return { bytes: bytes(), rows: () => rows };
}

/** The lines of `batches[from, to)`. */
function linesOf(batches: readonly Uint8Array[], from: number, to: number): ObservationCsv {
  let rows = 0;
  for (let i = from; i < to; i++) rows += observationBatchCount(batches[i]!);
  const w = new LineWriter(rows * (LINE_MAX + 32));
  for (let i = from; i < to; i++) {
    const peers: Uint8Array[] = []; // the batch's peer texts as CSV bytes, when first needed
    forEachObservation(batches[i]!, (time, imei, imsiKey, peer, iface, status, texts) => {
      if (imei < 0 || !Number.isFinite(time)) return;
      w.line(
        Math.trunc(time) + 0,
        imei,
        imsiKey,
        (peers[peer] ??= encoder.encode(csvField(texts[peer]!))),
        IFACE_BYTES[iface]!,
        STATUS_BYTES[status]!,
      );
    });
  }
  return { bytes: w.out.subarray(0, w.at), rows: w.rows };
}

/** Lines into one buffer (sized for the usual peer lengths; grown when a line may not fit). */
class LineWriter {
  out: Uint8Array;
  at = 0;
  rows = 0;

  constructor(size: number) {
    this.out = new Uint8Array(Math.max(size, 1024));
  }

  line(
    time: number,
    imei: number,
    imsiKey: number,
    peer: Uint8Array,
    iface: Uint8Array,
    status: Uint8Array,
  ): void {
    if (this.at + LINE_MAX + peer.length > this.out.length) this.grow(LINE_MAX + peer.length);
    const o = this.out;
    let at = this.integer(o, this.at, time);
    o[at++] = COMMA;
    at = this.integer(o, at, imei);
    o[at++] = COMMA;
    if (imsiKey >= 0) at = this.integer(o, at, imsiKey);
    o[at++] = COMMA;
    // Byte loops: TypedArray.set costs more than copying a few bytes.
    for (let i = 0; i < peer.length; i++) o[at++] = peer[i]!;
    o[at++] = COMMA;
    for (let i = 0; i < iface.length; i++) o[at++] = iface[i]!;
    o[at++] = COMMA;
    for (let i = 0; i < status.length; i++) o[at++] = status[i]!;
    o[at++] = NEWLINE;
    this.at = at;
    this.rows++;
  }

  private grow(need: number): void {
    const next = new Uint8Array(Math.max(this.out.length * 2, this.at + need));
    next.set(this.out.subarray(0, this.at));
    this.out = next;
  }

  /** Writes an integer's decimal digits at `at` (exact: safe integers by digits, others by String). */
  private integer(o: Uint8Array, at: number, v: number): number {
    if (!Number.isSafeInteger(v)) {
      const s = encoder.encode(String(v));
      o.set(s, at);
      return at + s.length;
    }
    if (v < 0) {
      o[at++] = MINUS;
      v = -v;
    }
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    for (let i = at + digits - 1; i >= at; i--) {
      const q = Math.floor(v / 10);
      o[i] = 48 + v - q * 10;
      v = q;
    }
    return at + digits;
  }
}
