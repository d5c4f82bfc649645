/**
 * Where the real-time checks' observations and the streaming clone detector's flags are kept
 * (architecture.md: "every check is also an observation"). The primary process of `ceir serve`
 * gathers the observations of every worker, feeds the clone detector and spills both to the
 * store in batches (`eir/observation-sink.ts`); the `realtime_clone` dimension reads the flags.
 */

/** What one equipment check leaves behind, as stored. */
export interface CheckObservation {
  /** Milliseconds since the Unix epoch. */
  readonly time: number;
  /**
   * The IMEI: its 14-digit value as a number, or a text whose first 14 characters are digits
   * (as received: 14-16 digits). Anything else (malformed) is not stored.
   */
  readonly imei: number | string;
  /** IMSI digits (up to 15) when the network sent them; other texts are stored as NULL. */
  readonly imsi?: string;
  /** Origin-Host of the ECR (S13) or the consumer's address (N5g-eir). */
  readonly peer: string;
  /** `s13` or `n5g`. */
  readonly interface: string;
  /** `WHITELISTED`, `BLACKLISTED`, `GREYLISTED` or `UNKNOWN`. */
  readonly result: string;
}

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
  appendObservations(batch: readonly CheckObservation[]): Promise<void>;
  appendCloneFlags(flags: readonly CloneFlagRecord[]): Promise<void>;
}
