/** From the store (through the snapshot port) to a verified snapshot file. */
import type { EirSnapshotSource } from '../core/ports/snapshot-source.js';
import type { CheckPolicy } from './check-engine.js';
import { snapshotFromData, writeSnapshot, type EirSnapshot } from './snapshot-format.js';

export interface BuildSnapshotOptions {
  /** The list run to build from; default the latest. */
  readonly listRun?: number;
  readonly policy?: Partial<CheckPolicy>;
  /** ISO instant recorded as the build time (default now). */
  readonly createdAt?: string;
}

export interface BuiltSnapshot {
  readonly snapshot: EirSnapshot;
  readonly path: string;
  readonly bytes: number;
  readonly seconds: number;
}

/** Reads one list run from `source`, builds the indexes and writes `path` atomically. */
export async function buildSnapshot(
  source: EirSnapshotSource,
  path: string,
  options: BuildSnapshotOptions = {},
): Promise<BuiltSnapshot> {
  const t0 = performance.now();
  const data = await source.snapshotData(options.listRun);
  const snap = snapshotFromData(data, {
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.createdAt ? { createdAt: options.createdAt } : {}),
  });
  const { snapshot, bytes } = await writeSnapshot(path, snap);
  return { snapshot, path, bytes, seconds: (performance.now() - t0) / 1000 };
}
