/**
 * Worker thread of the parallel dump parse: parses the chunks of whole lines it is sent into its
 * own triplet table, and spills the table when told. Its memory is returned to the system when
 * the thread ends, before the store's commit. Protocol: see parallel-parse.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DumpParser, type DumpParserOptions } from './dump-parser.js';
import { TripletTable, type MonthRef } from './triplet-table.js';

export interface ParseWorkerData {
  readonly parser: Omit<DumpParserOptions, 'tacBits'>;
  readonly tacBits: Uint8Array;
  readonly cols: readonly number[];
  readonly spoolPrefix: string;
  readonly tableLog2?: number;
}

export type ToWorker =
  | { readonly type: 'chunk'; readonly seq: number; readonly buf: ArrayBuffer }
  | { readonly type: 'end' }
  | { readonly type: 'spill' };

export interface WorkerDay {
  readonly ymd: number;
  readonly imeis: Uint8Array;
  readonly imsis: Uint8Array;
  readonly msisdns: Uint8Array;
}

export type FromWorker =
  | {
      readonly type: 'chunk-done';
      readonly seq: number;
      readonly lines: number;
      readonly rows: number;
      readonly failed: boolean;
    }
  | {
      readonly type: 'parsed';
      readonly counters: DumpParser['counters'];
      readonly error: DumpParser['error'];
      readonly errorAt: DumpParser['errorAt'];
      readonly firstOutsidePeriod: DumpParser['firstOutsidePeriod'];
      readonly days: WorkerDay[];
    }
  | { readonly type: 'spilled'; readonly spools: string[]; readonly spooledTriplets: number };

const d = workerData as ParseWorkerData;
const months: MonthRef[] = [];
const table = new TripletTable(months, (n) => `${d.spoolPrefix}-${n}.csv`, d.tableLog2);
const parser = new DumpParser({ ...d.parser, tacBits: d.tacBits }, table, months, d.cols);
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type === 'chunk') {
    const lines = parser.parseChunk(m.seq, Buffer.from(m.buf));
    post({
      type: 'chunk-done',
      seq: m.seq,
      lines,
      rows: parser.counters.rows,
      failed: parser.error !== undefined,
    });
  } else if (m.type === 'end') {
    post({
      type: 'parsed',
      counters: parser.counters,
      error: parser.error,
      errorAt: parser.errorAt,
      firstOutsidePeriod: parser.firstOutsidePeriod,
      days: [...parser.days.values()].map((x) => ({
        ymd: x.ymd,
        imeis: x.imeis.registers,
        imsis: x.imsis.registers,
        msisdns: x.msisdns.registers,
      })),
    });
  } else {
    table.finish();
    post({ type: 'spilled', spools: table.spools, spooledTriplets: table.spooledTriplets });
  }
});
