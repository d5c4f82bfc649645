/**
 * Parses an operator dump in worker threads: the main thread reads (and decompresses and hashes)
 * the input, cuts it into chunks of whole lines and deals them round-robin to the workers, each
 * of which aggregates into its own triplet table. Chunks carry a sequence number; workers report
 * how many lines each held, so a row's file line is known (1 + lines of earlier chunks + its
 * line in its chunk). Flow control keeps a few chunks in flight per worker: memory stays flat.
 */
import { Worker } from 'node:worker_threads';
import { ceirError, type CeirError } from '../../core/errors.js';
import type { InputStream } from '../input.js';
import type { ImportProgress } from '../outcome.js';
import { addCounters, DumpCounters, parseDumpHeader, type ChunkLine } from './dump-parser.js';
import { HyperLogLog } from './hll.js';
import type { FromWorker, ParseWorkerData, ToWorker } from './parse-worker.js';

const IN_FLIGHT_PER_WORKER = 4;

export interface MergedDay {
  readonly ymd: number;
  readonly imeis: HyperLogLog;
  readonly imsis: HyperLogLog;
  readonly msisdns: HyperLogLog;
}

export interface ParsedDump {
  readonly counters: DumpCounters;
  readonly days: MergedDay[];
  readonly error?: CeirError;
  readonly firstOutsidePeriodLine?: number;
}

interface Pending {
  resolve(m: FromWorker): void;
  reject(e: Error): void;
}

/** One worker with a queue of awaited replies of a given type. */
class ParseWorker {
  readonly worker: Worker;
  private readonly waiting = new Map<string, Pending>();
  failure: Error | undefined;

  constructor(
    data: ParseWorkerData,
    private readonly onChunkDone: (m: Extract<FromWorker, { type: 'chunk-done' }>) => void,
  ) {
    this.worker = new Worker(new URL('./parse-worker.js', import.meta.url), { workerData: data });
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'chunk-done') this.onChunkDone(m);
      else {
        this.waiting.get(m.type)?.resolve(m);
        this.waiting.delete(m.type);
      }
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
      this.onChunkDone({ type: 'chunk-done', seq: -1, lines: 0, rows: 0, failed: true });
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`parse worker exited with code ${code}`));
    });
  }

  send(m: ToWorker, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(m, transfer);
  }

  ask<T extends FromWorker['type']>(
    m: ToWorker,
    reply: T,
  ): Promise<Extract<FromWorker, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(reply, { resolve: resolve as (m: FromWorker) => void, reject });
      this.send(m);
    });
  }
}

export interface ParallelParseOptions {
  readonly input: InputStream;
  readonly workers: number;
  readonly data: Omit<ParseWorkerData, 'cols' | 'spoolPrefix'>;
  /** Spool files of worker i are `${spoolPrefix}-w<i>-<n>.csv`. */
  readonly spoolPrefix: string;
  readonly onProgress?: (p: ImportProgress) => void;
}

export class ParallelDumpParse {
  private workers: ParseWorker[] = [];
  private readonly lines: number[] = [];
  private rowsByWorker: number[] = [];
  private inFlight = 0;
  private failed = false;
  private wake: (() => void) | undefined;

  constructor(private readonly o: ParallelParseOptions) {}

  private chunkDone(i: number, m: Extract<FromWorker, { type: 'chunk-done' }>): void {
    if (m.seq >= 0) {
      this.lines[m.seq] = m.lines;
      this.rowsByWorker[i] = m.rows;
      this.inFlight--;
      const rows = this.rowsByWorker.reduce((a, b) => a + b, 0);
      this.o.onProgress?.({
        rows,
        bytesRead: this.o.input.readBytes(),
        fileBytes: this.o.input.fileBytes,
      });
    }
    if (m.failed) this.failed = true;
    this.wake?.();
    this.wake = undefined;
  }

  private async waitBelow(n: number): Promise<void> {
    while (this.inFlight >= n && !this.workers.some((w) => w.failure))
      await new Promise<void>((r) => (this.wake = r));
    const f = this.workers.find((w) => w.failure)?.failure;
    if (f) throw f;
  }

  private fileLine(at: ChunkLine): number {
    let n = 1; // the header
    for (let s = 0; s < at.seq; s++) n += this.lines[s] ?? 0;
    return n + at.line;
  }

  /** Reads the whole input through the workers; returns the merged counts (or the first error). */
  async run(): Promise<ParsedDump> {
    const { input } = this.o;
    let leftover: Buffer | undefined;
    let seq = 0;
    const file = this.o.data.parser.file;
    const send = async (buf: Buffer) => {
      await this.waitBelow(IN_FLIGHT_PER_WORKER * this.workers.length);
      const w = this.workers[seq % this.workers.length]!;
      this.inFlight++;
      w.send({ type: 'chunk', seq, buf: buf.buffer as ArrayBuffer }, [buf.buffer as ArrayBuffer]);
      seq++;
    };
    for await (const chunk of input.chunks) {
      if (this.workers.length === 0) {
        // Still looking for the end of the header line.
        const data: Buffer = leftover ? Buffer.concat([leftover, chunk]) : chunk;
        const nl = data.indexOf(10);
        if (nl < 0) {
          leftover = Buffer.from(data);
          continue;
        }
        const cols = parseDumpHeader(data.toString('utf8', 0, nl), file);
        if ('kind' in cols) return { counters: new DumpCounters(), days: [], error: cols };
        this.start(cols);
        leftover = Buffer.from(data.subarray(nl + 1));
        continue;
      }
      const last = chunk.lastIndexOf(10);
      if (last < 0) {
        leftover = leftover ? Buffer.concat([leftover, chunk]) : Buffer.from(chunk);
        continue;
      }
      const head = leftover?.length ?? 0;
      const out = Buffer.allocUnsafeSlow(head + last + 1);
      leftover?.copy(out, 0);
      chunk.copy(out, head, 0, last + 1);
      leftover = Buffer.from(chunk.subarray(last + 1));
      await send(out);
      if (this.failed) break;
    }
    if (this.workers.length === 0) {
      if (!leftover || leftover.length === 0)
        return {
          counters: new DumpCounters(),
          days: [],
          error: ceirError(
            'CEIR_ERR_PARSE',
            'file is empty: expected header date,imei,imsi,msisdn,rat',
            {
              file,
              line: 1,
            },
          ),
        };
      const cols = parseDumpHeader(leftover.toString('utf8'), file);
      if ('kind' in cols) return { counters: new DumpCounters(), days: [], error: cols };
      this.start(cols);
      leftover = undefined;
    }
    if (!this.failed && leftover && leftover.length > 0) {
      const out = Buffer.allocUnsafeSlow(leftover.length + 1);
      leftover.copy(out, 0);
      out[leftover.length] = 10;
      await send(out);
    }
    await this.waitBelow(1);
    return this.merge(await Promise.all(this.workers.map((w) => w.ask({ type: 'end' }, 'parsed'))));
  }

  private start(cols: number[]): void {
    const n = Math.max(1, this.o.workers);
    this.rowsByWorker = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++)
      this.workers.push(
        new ParseWorker({ ...this.o.data, cols, spoolPrefix: `${this.o.spoolPrefix}-w${i}` }, (m) =>
          this.chunkDone(i, m),
        ),
      );
  }

  private merge(parts: Extract<FromWorker, { type: 'parsed' }>[]): ParsedDump {
    const counters = new DumpCounters();
    const days = new Map<number, MergedDay>();
    let error: { e: CeirError; at: ChunkLine } | undefined;
    let outside: ChunkLine | undefined;
    const before = (a: ChunkLine, b: ChunkLine | undefined) =>
      !b || a.seq < b.seq || (a.seq === b.seq && a.line < b.line);
    for (const p of parts) {
      addCounters(counters, p.counters);
      if (p.error && p.errorAt && before(p.errorAt, error?.at))
        error = { e: p.error, at: p.errorAt };
      if (p.firstOutsidePeriod && before(p.firstOutsidePeriod, outside))
        outside = p.firstOutsidePeriod;
      for (const d of p.days) {
        let m = days.get(d.ymd);
        if (!m) {
          m = {
            ymd: d.ymd,
            imeis: new HyperLogLog(),
            imsis: new HyperLogLog(),
            msisdns: new HyperLogLog(),
          };
          days.set(d.ymd, m);
        }
        m.imeis.merge(d.imeis);
        m.imsis.merge(d.imsis);
        m.msisdns.merge(d.msisdns);
      }
    }
    return {
      counters,
      days: [...days.values()].sort((a, b) => a.ymd - b.ymd),
      ...(error
        ? {
            error: {
              ...error.e,
              ...(error.e.at ? { at: { ...error.e.at, line: this.fileLine(error.at) } } : {}),
            },
          }
        : {}),
      ...(outside ? { firstOutsidePeriodLine: this.fileLine(outside) } : {}),
    };
  }

  /** Spills every worker's table to spool files; returns them in worker order. */
  async spill(): Promise<{ spools: string[]; spooledTriplets: number }> {
    const r = await Promise.all(this.workers.map((w) => w.ask({ type: 'spill' }, 'spilled')));
    return {
      spools: r.flatMap((x) => x.spools),
      spooledTriplets: r.reduce((a, x) => a + x.spooledTriplets, 0),
    };
  }

  /** Ends the workers (and so frees their memory). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers = [];
  }
}
