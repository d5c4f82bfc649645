/**
 * A bounded in-memory buffer of observations (or any rows) spilled to the store in batches
 * (`core/ports/observation-store.ts`): the check path only pushes (O(1), never waits for the
 * store); a timer flushes everything buffered, in batches of up to `batchSize` rows, to the port
 * function, one flush at a time, and a full batch is flushed without waiting for the timer. An item may stand for several rows (`weight`: e.g. one
 * buffer of encoded observations, kept outside the JavaScript heap until the write); limits
 * count rows. When the store is slower than the checks, the buffer fills up to `maxBuffered`
 * rows and the OLDEST items are dropped, their rows counted in `dropped` (the clone detector has
 * seen them already: only the stored history loses them). A failed flush puts its batch back at
 * the front (as far as room allows, the rest counted as dropped) and is retried at the next tick.
 */

export interface ObservationSinkOptions<T> {
  /** Writes one batch (e.g. `(b) => store.appendObservations(b)`). */
  readonly flush: (batch: readonly T[]) => Promise<void>;
  /** Rows held at most (default 1,000,000). */
  readonly maxBuffered?: number;
  /** Rows per flush at most (default 100,000; a heavier single item is flushed alone). */
  readonly batchSize?: number;
  /** Flush period (default 1000 ms). */
  readonly intervalMs?: number;
  /** Rows an item stands for (default: 1 each). */
  readonly weight?: (item: T) => number;
  /** Told of a failed flush (default: ignored; see `stats().failures`). */
  readonly onError?: (error: unknown) => void;
}

export interface ObservationSinkStats {
  /** Rows. */
  readonly buffered: number;
  readonly dropped: number;
  readonly flushed: number;
  readonly failures: number;
}

const one = (): number => 1;

export class ObservationSink<T> {
  // Items in arrival order from `head`, with their weights; `items` held, `rows` their weight.
  private ring: (T | undefined)[] = new Array<T | undefined>(16);
  private weights = new Float64Array(16);
  private head = 0;
  private items = 0;
  private rows = 0;
  private dropped = 0;
  private flushed = 0;
  private failures = 0;
  private inFlight: Promise<void> | undefined;
  private draining: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly cap: number;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly weight: (item: T) => number;

  constructor(private readonly o: ObservationSinkOptions<T>) {
    const cap = o.maxBuffered ?? 1_000_000;
    if (!Number.isSafeInteger(cap) || cap < 1)
      throw new RangeError(`ObservationSink: maxBuffered must be an integer >= 1, got ${cap}`);
    this.cap = cap;
    this.batchSize = Math.max(1, o.batchSize ?? 100_000);
    this.intervalMs = o.intervalMs ?? 1000;
    this.weight = o.weight ?? one;
  }

  /** Buffers one item (drops the oldest items while the rows would exceed `maxBuffered`). */
  push(item: T): void {
    const w = this.weight(item);
    if (w > this.cap) {
      this.dropped += w;
      return;
    }
    while (this.items > 0 && this.rows + w > this.cap) this.dropOldest();
    if (this.items === this.ring.length) this.grow();
    const j = (this.head + this.items) % this.ring.length;
    this.ring[j] = item;
    this.weights[j] = w;
    this.items++;
    this.rows += w;
    // A full batch is written at once while the sink runs, not at the next tick: at 100,000
    // checks/s ten seconds of them would fill a million-row buffer before the timer came.
    if (this.timer !== undefined && this.rows >= this.batchSize && this.draining === undefined)
      void this.drain();
  }

  /** Buffers a batch, in order. */
  pushAll(items: readonly T[]): void {
    for (let i = 0; i < items.length; i++) this.push(items[i]!);
  }

  /** Starts the periodic flush of everything buffered (the timer does not keep the process alive). */
  start(): this {
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.drain(), this.intervalMs);
      this.timer.unref();
    }
    return this;
  }

  /**
   * Writes one batch unless a flush is running (then waits for it). Resolves when done; a
   * failure is counted and reported to `onError`, never thrown.
   */
  flushOnce(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.items === 0) return Promise.resolve();
    const { batch, rows } = this.take();
    this.inFlight = this.o
      .flush(batch)
      .then(
        () => {
          this.flushed += rows;
        },
        (e: unknown) => {
          this.failures++;
          this.putBack(batch);
          this.o.onError?.(e);
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Flushes until empty (stops at the first failure); one drain at a time. */
  drain(): Promise<void> {
    if (this.draining) return this.draining;
    const run = this.drainLoop();
    this.draining = run;
    void run.finally(() => {
      if (this.draining === run) this.draining = undefined;
    });
    return run;
  }

  private async drainLoop(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    while (this.items > 0) {
      const failures = this.failures;
      await this.flushOnce();
      if (this.failures !== failures) return;
    }
  }

  /** Stops the timer and drains. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.drain();
  }

  stats(): ObservationSinkStats {
    return {
      buffered: this.rows,
      dropped: this.dropped,
      flushed: this.flushed,
      failures: this.failures,
    };
  }

  /** The oldest items up to `batchSize` rows (at least one item). */
  private take(): { batch: T[]; rows: number } {
    const batch: T[] = [];
    let rows = 0;
    while (this.items > 0) {
      const w = this.weights[this.head]!;
      if (batch.length > 0 && rows + w > this.batchSize) break;
      batch.push(this.shift());
      rows += w;
    }
    return { batch, rows };
  }

  private shift(): T {
    const item = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.rows -= this.weights[this.head]!;
    this.head = (this.head + 1) % this.ring.length;
    this.items--;
    return item;
  }

  private dropOldest(): void {
    this.dropped += this.weights[this.head]!;
    this.shift();
  }

  private grow(): void {
    const n = this.ring.length;
    const ring = new Array<T | undefined>(n * 2);
    const weights = new Float64Array(n * 2);
    for (let i = 0; i < this.items; i++) {
      ring[i] = this.ring[(this.head + i) % n];
      weights[i] = this.weights[(this.head + i) % n]!;
    }
    this.ring = ring;
    this.weights = weights;
    this.head = 0;
  }

  /** A failed batch goes back in front of newer items, its oldest items dropped if no room. */
  private putBack(batch: readonly T[]): void {
    for (let i = batch.length - 1; i >= 0; i--) {
      const w = this.weight(batch[i]!);
      if (this.rows + w > this.cap) {
        for (let k = 0; k <= i; k++) this.dropped += this.weight(batch[k]!);
        return;
      }
      if (this.items === this.ring.length) this.grow();
      this.head = (this.head - 1 + this.ring.length) % this.ring.length;
      this.ring[this.head] = batch[i];
      this.weights[this.head] = w;
      this.items++;
      this.rows += w;
    }
  }
}
