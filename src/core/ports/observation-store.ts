/**
 * Where the real-time checks' observations and the streaming clone detector's flags are kept
 * (architecture.md: "every check is also an observation"). The primary process of `ceir serve`
 * gathers the observations of every worker, feeds the clone detector and spills both to the
 * store in batches (`eir/observation-sink.ts`); the `realtime_clone` dimension reads the flags.
 */

/** One flag of the streaming clone detector (`eir/clone-detector.ts` `CloneFlag`). */
export interface CloneFlagRecord {
  /** The 14-digit `imei_norm`. */
  readonly imei: string;
  /** Distinct IMSIs in the window. */
  readonly imsis: number;
  /** Distinct peers in the window. */
  readonly peers: number;
  /** First and last observation time of the evidence (ms since the epoch). */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** When the flag was raised (ms since the epoch). */
  readonly time: number;
}

export interface ObservationStore {
  /**
   * Stores the checks of the workers' observation batches (`core/observations/observation-batch.ts`
   * bytes), as `observationCsv` turns them into rows: malformed IMEIs are not stored, an IMSI
   * that is not 1-15 digits is stored as NULL.
   */
  appendObservations(batches: readonly Uint8Array[]): Promise<void>;
  appendCloneFlags(flags: readonly CloneFlagRecord[]): Promise<void>;
}
