/**
 * A bounded in-memory buffer of observations (or any rows) spilled to the store in batches
 * (`core/ports/observation-store.ts`): the check path only pushes (O(1), never waits for the
 * store); a timer flushes batches of up to `batchSize` to the port function, one flush at a
 * time. When the store is slower than the checks, the buffer fills up to `maxBuffered` and the
 * OLDEST rows are dropped, counted in `dropped` (the clone detector has seen them already: only
 * the stored history loses them). A failed flush puts its batch back at the front (as far as
 * room allows, the rest counted as dropped) and is retried at the next tick.
 */

export interface ObservationSinkOptions<T> {
  /** Writes one batch (e.g. `(b) => store.appendObservations(b)`). */
  readonly flush: (batch: readonly T[]) => Promise<void>;
  /** Rows held at most (default 1,000,000). */
  readonly maxBuffered?: number;
  /** Rows per flush at most (default 100,000). */
  readonly batchSize?: number;
  /** Flush period (default 1000 ms). */
  readonly intervalMs?: number;
  /** Told of a failed flush (default: ignored; see `stats().failures`). */
  readonly onError?: (error: unknown) => void;
}

export interface ObservationSinkStats {
  readonly buffered: number;
  readonly dropped: number;
  readonly flushed: number;
  readonly failures: number;
}

export class ObservationSink<T> {
  private readonly ring: (T | undefined)[];
  private head = 0;
  private size = 0;
  private dropped = 0;
  private flushed = 0;
  private failures = 0;
  private inFlight: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly batchSize: number;
  private readonly intervalMs: number;

  constructor(private readonly o: ObservationSinkOptions<T>) {
    const cap = o.maxBuffered ?? 1_000_000;
    if (!Number.isSafeInteger(cap) || cap < 1)
      throw new RangeError(`ObservationSink: maxBuffered must be an integer >= 1, got ${cap}`);
    this.ring = new Array<T | undefined>(cap);
    this.batchSize = Math.max(1, o.batchSize ?? 100_000);
    this.intervalMs = o.intervalMs ?? 1000;
  }

  /** Buffers one row (drops the oldest when full). */
  push(row: T): void {
    const cap = this.ring.length;
    if (this.size === cap) {
      this.head = (this.head + 1) % cap;
      this.size--;
      this.dropped++;
    }
    this.ring[(this.head + this.size) % cap] = row;
    this.size++;
  }

  /** Buffers a batch, in order. */
  pushAll(rows: readonly T[]): void {
    for (let i = 0; i < rows.length; i++) this.push(rows[i]!);
  }

  /** Starts the periodic flush (the timer does not keep the process alive). */
  start(): this {
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.flushOnce(), this.intervalMs);
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
    if (this.size === 0) return Promise.resolve();
    const batch = this.take(Math.min(this.batchSize, this.size));
    this.inFlight = this.o
      .flush(batch)
      .then(
        () => {
          this.flushed += batch.length;
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

  /** Flushes until empty (stops at the first failure). */
  async drain(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    while (this.size > 0) {
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
      buffered: this.size,
      dropped: this.dropped,
      flushed: this.flushed,
      failures: this.failures,
    };
  }

  private take(n: number): T[] {
    const cap = this.ring.length;
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      const j = (this.head + i) % cap;
      out[i] = this.ring[j]!;
      this.ring[j] = undefined;
    }
    this.head = (this.head + n) % cap;
    this.size -= n;
    return out;
  }

  /** A failed batch goes back in front of newer rows, its oldest rows dropped if no room. */
  private putBack(batch: readonly T[]): void {
    const cap = this.ring.length;
    const room = cap - this.size;
    const keep = Math.min(room, batch.length);
    this.dropped += batch.length - keep;
    for (let i = batch.length - 1; i >= batch.length - keep; i--) {
      this.head = (this.head - 1 + cap) % cap;
      this.ring[this.head] = batch[i];
      this.size++;
    }
  }
}
