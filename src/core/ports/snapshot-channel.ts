/**
 * Distribution of check snapshots to many check servers (architecture.md "Real-time check
 * engine", docs/distribution.md). A publisher appends numbered versions 1, 2, 3, ... to a
 * channel; each carries a delta from the previous version, a full snapshot, or both. A follower
 * loads the latest full snapshot and applies the versions after it in order; a version it cannot
 * apply (a gap, another base) sends it back to the latest full snapshot. The bytes (snapshot
 * images, deltas) are opaque here: `eir` encodes and checks them.
 */

/** A version as the channel numbers it. */
export interface PublishedVersion {
  /** 1, 2, 3, ...: consecutive; version N's delta applies to version N-1. */
  readonly version: number;
  /** The id of the snapshot it makes served (a snapshot version id). */
  readonly snapshotId: string;
  /** Its position in the channel (increasing, not consecutive): a follower resumes after it. */
  readonly position: number;
}

/** A version to append. At least one of `delta` and `full` is present. */
export interface NewVersion {
  readonly version: number;
  readonly snapshotId: string;
  /** The delta from version - 1 (encoded). */
  readonly delta?: Uint8Array;
  /** The name of a full snapshot of this version already stored with `putFull`. */
  readonly full?: string;
}

/** A version as a follower receives it. */
export type VersionMessage = PublishedVersion &
  Omit<NewVersion, 'version' | 'snapshotId'> & {
    /** Versions already published after this one (0: it is the last; unknown: undefined). */
    readonly pending?: number;
  };

/** A stored full snapshot of a published version. */
export interface FullSnapshotRef {
  readonly version: number;
  readonly snapshotId: string;
  /** Object name in the channel's store. */
  readonly object: string;
  readonly bytes: number;
  /** Position of the version's own message: follow after it. */
  readonly position: number;
}

/** What a follower's subscription gives back. */
export interface SnapshotSubscription {
  /** Stops delivering; resolves when the handler in progress (if any) has finished. */
  stop(): Promise<void>;
}

export interface SnapshotChannel {
  /** Where the channel lives, for logs and /health (e.g. `nats://host:4222 CEIR_SNAPSHOTS`). */
  readonly name: string;
  /** Largest delta `append` accepts (a larger change is published as a full snapshot). */
  readonly maxDeltaBytes: number;
  /** The last version appended, or null when nothing was ever published. */
  head(): Promise<PublishedVersion | null>;
  /** Stores a full snapshot image (its parts in order); returns its object name. */
  putFull(version: number, snapshotId: string, parts: readonly Uint8Array[]): Promise<string>;
  /**
   * Appends a version. Refused (throws) unless `version` is head + 1: two publishers cannot both
   * publish the same version. With `full`, the full snapshot becomes the latest.
   */
  append(v: NewVersion): Promise<PublishedVersion>;
  /** Deletes full snapshots and version messages older than the `keep` latest full ones. */
  prune(keep: number): Promise<void>;
  /** The latest full snapshot, or null. */
  latestFull(): Promise<FullSnapshotRef | null>;
  /** A full snapshot's bytes. */
  readFull(ref: FullSnapshotRef): Promise<Uint8Array>;
  /**
   * Delivers every version after `position` in order, one at a time (the next waits for the
   * handler's promise), until stopped. A handler returning a position makes delivery continue
   * after that position instead (e.g. after loading a full snapshot past a gap). `onError`
   * receives a failure of the subscription itself.
   */
  follow(
    position: number,
    handler: (m: VersionMessage) => Promise<number | void>,
    onError: (e: Error) => void,
  ): SnapshotSubscription;
  close(): Promise<void>;
}
