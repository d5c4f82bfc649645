/**
 * The real-time clone detector (architecture.md: "every check is also an observation"): one
 * instance in the primary process of `ceir serve`, fed with the observations of every worker,
 * flags an IMEI presented with more distinct IMSIs than a threshold within a sliding window,
 * from at least `minPeers` distinct peers (MMEs, AMFs): clones in use right now. Its flags are
 * stored (`realtime_clone_flags`) and read by the `realtime_clone` classification dimension.
 *
 * Exact rule (the test's brute-force oracle computes the same). Observations are taken in the
 * order given, across batches. W = `windowSeconds` in ms.
 * - The clock is the largest observation time so far; `cutoff = clock - W`. The window of an
 *   IMEI is its observations with `cutoff < time`. An observation with `time <= cutoff` is
 *   late: dropped (counted). An observation without an IMSI (or with a non-digit one), or
 *   with an IMEI not starting with 14 digits, only moves the clock (counted as skipped).
 * - Per IMEI, the window is kept as its distinct (IMSI, peer) pairs with each pair's latest
 *   time; `imsis`/`peers` are the distinct IMSIs/peers among them; `firstSeen`/`lastSeen` are
 *   the earliest and latest of those latest times.
 * - After taking an observation of an IMEI, a flag `{imei, imsis, peers, firstSeen, lastSeen,
 *   time: clock}` is emitted iff `imsis > threshold`, `peers >= minPeers` and the IMEI's
 *   previous flag, if any, was at a clock `<= cutoff` (once per IMEI per window).
 *
 * Bounded memory: per IMEI a small object and one packed array of doubles: (IMSI key, peer id,
 * time) triples, at most `maxPairsPerImei` (beyond, the pair seen least recently is replaced).
 * IMEIs are kept in at most `maxImeis` slots on a least-recently-observed list (typed arrays):
 * an IMEI not observed since the clock was `<= cutoff` has an empty window and no flag in it,
 * and is dropped from the front;
 * beyond `maxImeis`, the least recently observed IMEI is evicted (counted) even if its window
 * is not empty. Peers (the network's signalling nodes: few) are interned to small ids.
 */

import { forEachObservation, observedImeiValue } from '../core/observations/observation-batch.js';

/** One check, as the servers report it (`S13CheckObservation`, `N5gEirObservation`). */
export interface Observation {
  /** A 14-digit IMEI value, or a text starting with 14 digits (15-16 as received is fine). */
  readonly imei: string | number;
  /** IMSI digits (1-15), when the network sent one. */
  readonly imsi?: string;
  /** Origin-Host (S13) or the consumer's address (N5g-eir). */
  readonly peer: string;
  /** Milliseconds since the Unix epoch. */
  readonly time: number;
}

/** One IMEI seen with too many IMSIs from several peers within the window. */
export interface CloneFlag {
  /** The 14-digit `imei_norm`. */
  readonly imei: string;
  readonly imsis: number;
  readonly peers: number;
  /** Earliest and latest time of the evidence (ms), see the module comment. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** The detector's clock when the flag was raised (ms). */
  readonly time: number;
}

export interface CloneDetectorOptions {
  /** Flag when the distinct IMSIs in the window are MORE than this; integer >= 1. */
  readonly threshold: number;
  /** The sliding window; > 0. */
  readonly windowSeconds: number;
  /** Distinct peers the IMSIs must come from (default 2); integer >= 1. */
  readonly minPeers?: number;
  /** IMEIs tracked at most (memory bound); integer >= 1. */
  readonly maxImeis: number;
  /** (IMSI, peer) pairs kept per IMEI (default 256); integer > threshold. */
  readonly maxPairsPerImei?: number;
}

export interface CloneDetectorStats {
  readonly observed: number;
  readonly skipped: number;
  readonly late: number;
  readonly flags: number;
  /** IMEIs evicted by the `maxImeis` cap (their window was not empty). */
  readonly evicted: number;
  /** IMEIs tracked now. */
  readonly tracked: number;
  readonly peers: number;
}

interface ImeiState {
  readonly imei: number;
  /** Pairs in `buf`. */
  n: number;
  /** Packed triples: IMSI key (`1<digits>`), peer id, latest time. */
  buf: number[];
  /** Clock of the last flag (-Infinity: none). */
  lastFlag: number;
  /** Clock of the last observation taken. */
  touched: number;
}

const IMSI_DIGITS = /^[0-9]{1,15}$/;
/** Interned peers beyond which the detector starts afresh (a misconfigured peer naming). */
const MAX_PEERS = 1 << 20;

function positiveInt(name: string, v: number, min: number): number {
  if (!Number.isSafeInteger(v) || v < min)
    throw new RangeError(`CloneDetector: ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

export class CloneDetector {
  readonly threshold: number;
  readonly windowMs: number;
  readonly minPeers: number;
  readonly maxImeis: number;
  readonly maxPairsPerImei: number;
  /** IMEI value -> slot. */
  private readonly slots = new Map<number, number>();
  /** Per slot: the state (undefined: free). */
  private readonly states: (ImeiState | undefined)[];
  /** Least-recently-observed list over slots (head: oldest), -1 terminated. */
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private head = -1;
  private tail = -1;
  /** Free slots (a stack). */
  private readonly free: Int32Array;
  private freeTop: number;
  private readonly peerIds = new Map<string, number>();
  /** Room for threshold + 1 IMSI keys (see `check`). */
  private readonly scratch: Float64Array;
  private clock = -Infinity;
  private counts = { observed: 0, skipped: 0, late: 0, flags: 0, evicted: 0 };

  constructor(o: CloneDetectorOptions) {
    this.threshold = positiveInt('threshold', o.threshold, 1);
    if (!(o.windowSeconds > 0) || !Number.isFinite(o.windowSeconds))
      throw new RangeError(`CloneDetector: windowSeconds must be > 0, got ${o.windowSeconds}`);
    this.windowMs = o.windowSeconds * 1000;
    this.minPeers = positiveInt('minPeers', o.minPeers ?? 2, 1);
    this.maxImeis = positiveInt('maxImeis', o.maxImeis, 1);
    this.maxPairsPerImei = positiveInt(
      'maxPairsPerImei',
      o.maxPairsPerImei ?? Math.max(256, this.threshold + 1),
      this.threshold + 1,
    );
    this.scratch = new Float64Array(this.threshold + 1);
    const cap = this.maxImeis;
    this.states = new Array<ImeiState | undefined>(cap);
    this.prev = new Int32Array(cap);
    this.next = new Int32Array(cap);
    this.free = new Int32Array(cap);
    for (let i = 0; i < cap; i++) this.free[i] = cap - 1 - i;
    this.freeTop = cap;
  }

  /** Takes a batch of observations in order; returns the flags they raised, in order. */
  observe(batch: readonly Observation[]): CloneFlag[] {
    const flags: CloneFlag[] = [];
    for (let i = 0; i < batch.length; i++) {
      const o = batch[i]!;
      const imsi = o.imsi;
      const imsiKey = imsi !== undefined && IMSI_DIGITS.test(imsi) ? Number('1' + imsi) : -1;
      const f = this.take(o.time, observedImeiValue(o.imei), imsiKey, o.peer);
      if (f !== undefined) flags.push(f);
    }
    this.counts.flags += flags.length;
    return flags;
  }

  /**
   * Takes a batch of the workers' observations as bytes (`core/observations/observation-batch.ts`,
   * read as numbers: no object per check), as `observe` takes the same observations read back.
   */
  observeBatch(bytes: Uint8Array): CloneFlag[] {
    const flags: CloneFlag[] = [];
    forEachObservation(bytes, (time, imei, imsiKey, peer, _iface, _status, texts) => {
      const f = this.take(time, imei, imsiKey, texts[peer]!);
      if (f !== undefined) flags.push(f);
    });
    this.counts.flags += flags.length;
    return flags;
  }

  stats(): CloneDetectorStats {
    return { ...this.counts, tracked: this.slots.size, peers: this.peerIds.size };
  }

  /**
   * Takes one observation: `imei` the 14-digit value (-1: malformed), `imsiKey` the number
   * `1<IMSI digits>` (-1: none or not 1-15 digits).
   */
  private take(t: number, imei: number, imsiKey: number, peerName: string): CloneFlag | undefined {
    this.counts.observed++;
    if (!Number.isFinite(t)) {
      this.counts.skipped++;
      return undefined;
    }
    if (t > this.clock) {
      this.clock = t;
      this.expire();
    }
    const cutoff = this.clock - this.windowMs;
    if (imei < 0 || imsiKey < 0) {
      this.counts.skipped++;
      return undefined;
    }
    if (t <= cutoff) {
      this.counts.late++;
      return undefined;
    }
    const peer = this.peerId(peerName);
    let slot = this.slots.get(imei);
    let s: ImeiState;
    if (slot === undefined) {
      if (this.freeTop === 0) {
        this.release(this.head);
        this.counts.evicted++;
      }
      slot = this.free[--this.freeTop]!;
      s = { imei, n: 0, buf: [], lastFlag: -Infinity, touched: this.clock };
      this.states[slot] = s;
      this.slots.set(imei, slot);
      this.append(slot);
    } else {
      s = this.states[slot]!;
      s.touched = this.clock;
      if (slot !== this.tail) {
        this.unlink(slot);
        this.append(slot);
      }
    }
    this.record(s, imsiKey, peer, t, cutoff);
    if (s.n <= this.threshold || s.lastFlag > cutoff) return undefined;
    return this.check(s, imei);
  }

  private append(slot: number): void {
    this.prev[slot] = this.tail;
    this.next[slot] = -1;
    if (this.tail >= 0) this.next[this.tail] = slot;
    else this.head = slot;
    this.tail = slot;
  }

  private unlink(slot: number): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
  }

  private release(slot: number): void {
    const s = this.states[slot]!;
    this.unlink(slot);
    this.slots.delete(s.imei);
    this.states[slot] = undefined;
    this.free[this.freeTop++] = slot;
  }

  /** Adds or refreshes the pair, dropping pairs that left the window. */
  private record(s: ImeiState, imsi: number, peer: number, t: number, cutoff: number): void {
    const b = s.buf;
    let n = s.n;
    let found = false;
    for (let j = 0; j < n;) {
      const k = j * 3;
      if (b[k + 2]! <= cutoff) {
        // Out of the window: replace with the last pair.
        n--;
        const last = n * 3;
        b[k] = b[last]!;
        b[k + 1] = b[last + 1]!;
        b[k + 2] = b[last + 2]!;
        continue;
      }
      if (b[k] === imsi && b[k + 1] === peer) {
        if (t > b[k + 2]!) b[k + 2] = t;
        found = true;
      }
      j++;
    }
    if (!found) {
      if (n === this.maxPairsPerImei) {
        // Full: replace the pair seen least recently.
        let oldest = 0;
        for (let j = 1; j < n; j++) if (b[j * 3 + 2]! < b[oldest * 3 + 2]!) oldest = j;
        n--;
        const last = n * 3;
        b[oldest * 3] = b[last]!;
        b[oldest * 3 + 1] = b[last + 1]!;
        b[oldest * 3 + 2] = b[last + 2]!;
      }
      const k = n * 3;
      b[k] = imsi;
      b[k + 1] = peer;
      b[k + 2] = t;
      n++;
    }
    s.n = n;
    if (b.length > n * 3) b.length = n * 3;
  }

  private check(s: ImeiState, imei: number): CloneFlag | undefined {
    const b = s.buf;
    const n = s.n;
    // Cheap test first (most IMEIs have one IMSI, seen from many peers): are there more than
    // `threshold` distinct IMSIs? At most threshold + 1 of them are collected, without allocation.
    const few = this.scratch;
    let k = 0;
    for (let j = 0; j < n && k <= this.threshold; j++) {
      const v = b[j * 3]!;
      let dup = false;
      for (let i = 0; i < k; i++)
        if (few[i] === v) {
          dup = true;
          break;
        }
      if (!dup) few[k++] = v;
    }
    if (k <= this.threshold) return undefined;
    const imsis = new Set<number>();
    const peers = new Set<number>();
    let first = Infinity;
    let last = -Infinity;
    for (let j = 0; j < n; j++) {
      const k = j * 3;
      imsis.add(b[k]!);
      peers.add(b[k + 1]!);
      const t = b[k + 2]!;
      if (t < first) first = t;
      if (t > last) last = t;
    }
    if (imsis.size <= this.threshold || peers.size < this.minPeers) return undefined;
    s.lastFlag = this.clock;
    return {
      imei: String(imei).padStart(14, '0'),
      imsis: imsis.size,
      peers: peers.size,
      firstSeen: first,
      lastSeen: last,
      time: this.clock,
    };
  }

  private peerId(peer: string): number {
    let id = this.peerIds.get(peer);
    if (id === undefined) {
      if (this.peerIds.size >= MAX_PEERS) {
        this.peerIds.clear();
        while (this.head >= 0) this.release(this.head);
      }
      id = this.peerIds.size;
      this.peerIds.set(peer, id);
    }
    return id;
  }

  /** Drops the IMEIs at the front not observed since the window's start (exactly empty). */
  private expire(): void {
    const cutoff = this.clock - this.windowMs;
    while (this.head >= 0 && this.states[this.head]!.touched <= cutoff) this.release(this.head);
  }
}
