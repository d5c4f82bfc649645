/** Small hand-written snapshot data for the check engine's tests. */
import { TAC_BITMAP_BYTES, type EirSnapshotData } from '../core/ports/snapshot-source.js';

export interface TestLists {
  readonly listRun?: number;
  readonly asOf?: string;
  readonly reasonSets?: readonly (readonly string[])[];
  /** [IMEI (14 digits), reason-set id] */
  readonly black?: readonly (readonly [string, number])[];
  readonly grey?: readonly (readonly [string, number])[];
  /** [IMEI, IMSI digits] */
  readonly exceptions?: readonly (readonly [string, string])[];
  readonly golden?: readonly string[];
  readonly tacs?: readonly string[];
  readonly malformed?: EirSnapshotData['malformed'];
}

export function testData(l: TestLists): EirSnapshotData {
  const tacBitmap = new Uint8Array(TAC_BITMAP_BYTES);
  for (const t of l.tacs ?? []) {
    const v = Number(t);
    tacBitmap[v >>> 3]! |= 1 << (v & 7);
  }
  const nums = (xs: readonly string[]) => Float64Array.from(xs.map(Number));
  return {
    listRun: l.listRun ?? 1,
    asOf: l.asOf ?? '2026-03-31',
    reasonSets: l.reasonSets ?? [[], ['Reported stolen'], ['Duplicated IMEI', 'Reported stolen']],
    black: {
      imeis: nums((l.black ?? []).map((b) => b[0])),
      reasonSets: Uint16Array.from((l.black ?? []).map((b) => b[1])),
    },
    grey: {
      imeis: nums((l.grey ?? []).map((b) => b[0])),
      reasonSets: Uint16Array.from((l.grey ?? []).map((b) => b[1])),
    },
    exceptions: {
      imeis: nums((l.exceptions ?? []).map((e) => e[0])),
      imsis: nums((l.exceptions ?? []).map((e) => `1${e[1]}`)),
    },
    golden: nums(l.golden ?? []),
    tacBitmap,
    tacCount: new Set(l.tacs ?? []).size,
    malformed: l.malformed ?? [],
  };
}
