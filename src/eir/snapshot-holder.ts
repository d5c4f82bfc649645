/**
 * Serving one snapshot at a time and swapping a new one in while serving. The engine in use is
 * one reference: a check reads it once and answers from that engine alone, so an answer comes
 * wholly from the old snapshot or wholly from the new one. A load reads and verifies the new file
 * completely (checksum, layout) and builds its engine before the reference is replaced; a refused
 * file leaves the served snapshot in place.
 */
import type { EquipmentCheckResult, EquipmentChecker } from '../core/check/equipment-check.js';
import { CheckEngine, type CheckPolicy } from './check-engine.js';
import { readSnapshot, type SnapshotVersion } from './snapshot-format.js';

export interface ServedSnapshot {
  readonly version: SnapshotVersion;
  readonly sha256: string;
  /** When this process swapped it in (ISO). */
  readonly since: string;
}

export class SnapshotHolder implements EquipmentChecker {
  private engine: CheckEngine;
  private servedSince: string;
  private swaps = 0;

  constructor(
    initial: CheckEngine,
    private readonly policy?: Partial<CheckPolicy>,
  ) {
    this.engine = initial;
    this.servedSince = new Date().toISOString();
  }

  /** Loads and verifies a snapshot file and serves it. `policy` overrides the file's. */
  static async open(path: string, policy?: Partial<CheckPolicy>): Promise<SnapshotHolder> {
    return new SnapshotHolder(new CheckEngine(await readSnapshot(path), policy), policy);
  }

  check(imei: string, imsi?: string): EquipmentCheckResult {
    return this.engine.check(imei, imsi);
  }

  /** `CheckEngine.checkMany` on the engine in use: the whole burst answered from one snapshot. */
  checkMany(
    imeis: readonly string[],
    imsis: readonly (string | undefined)[] | undefined,
    out: EquipmentCheckResult[],
    n = imeis.length,
  ): void {
    this.engine.checkMany(imeis, imsis, out, n);
  }

  get version(): string {
    return this.engine.version;
  }

  /** The engine in use (take it once to answer several questions from one snapshot). */
  get current(): CheckEngine {
    return this.engine;
  }

  /** What is served: the snapshot's version and checksum, since when. */
  served(): ServedSnapshot {
    const s = this.engine.snapshot;
    return { version: s.version, sha256: s.sha256, since: this.servedSince };
  }

  /** Number of swaps since start. */
  get swapCount(): number {
    return this.swaps;
  }

  /** Serves `engine` from now on; returns the one it replaces. */
  swap(engine: CheckEngine): CheckEngine {
    const old = this.engine;
    this.engine = engine;
    this.servedSince = new Date().toISOString();
    this.swaps++;
    return old;
  }

  /**
   * Reads, verifies and swaps in a snapshot file. Throws (SnapshotFormatError, I/O errors)
   * without changing what is served.
   */
  async load(path: string): Promise<ServedSnapshot> {
    const engine = new CheckEngine(await readSnapshot(path), this.policy);
    this.swap(engine);
    return this.served();
  }
}
