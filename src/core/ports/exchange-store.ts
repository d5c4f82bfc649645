/**
 * The cross-border exchange store (docs/exchange.md): this CEIR's own feed of exportable records
 * (an append-only log of record versions, each with a sequence number), the records received
 * from peers with their provenance, each peer's import cursor, and owner notices.
 *
 * Ownership (as in GSMA SG.18): a record belongs to its originating country; only a batch
 * signed by that country's key changes or removes it. The adapter never mixes records of two
 * origins.
 */

/** What a regulator trusts a peer's records for (the `foreign_block_list` dimension reads it). */
export const TRUSTS = ['block', 'greylist', 'inform'] as const;
export type Trust = (typeof TRUSTS)[number];

/** `active`: the record is in force; `removed`: its owner withdrew it (e.g. device recovered). */
export type RecordStatus = 'active' | 'removed';

/** One version of an exportable record, as published (never personal data). */
export interface ExchangeRecord {
  /** Sequence number in the origin's feed: the version of the record. */
  readonly seq: number;
  /** `<origin>-<reason>-<imei>`, stable across versions. */
  readonly recordId: string;
  /** The 14-digit `imei_norm` (TAC + SNR, no check digit). */
  readonly imei: string;
  /** Reason code: `stolen`, or a list kind the regulator shares (e.g. `barred`). */
  readonly reason: string;
  /** `YYYY-MM-DD`, or null when the source had none. */
  readonly reportingDate: string | null;
  readonly status: RecordStatus;
  /** Originating country code (config `exchange.country`). */
  readonly origin: string;
}

export interface PublishOutcome {
  /** New versions appended to the feed (activated, changed or removed records). */
  readonly appended: number;
  readonly activated: number;
  readonly removed: number;
  readonly headSeq: number;
}

/** Where a foreign record came from. */
export interface Provenance {
  readonly peer: string;
  readonly keyId: string;
  /** SHA-256 of the signed batch header that carried the version. */
  readonly batchSha256: string;
  /** ISO 8601 instant of the import. */
  readonly receivedAt: string;
}

export interface ForeignRecord extends ExchangeRecord, Provenance {
  readonly trust: Trust;
}

/** A peer's import state. `lastError` is set by a refused pull and cleared by the next good one. */
export interface PeerState {
  readonly peer: string;
  readonly country: string;
  readonly trust: Trust;
  readonly lastSeq: number;
  readonly lastPullAt: string | null;
  readonly lastError: string | null;
  readonly records: number;
}

/** A batch that passed every check (signature, sequence, ownership), ready to apply. */
export interface VerifiedBatch {
  readonly kind: 'snapshot' | 'delta';
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly keyId: string;
  readonly headerSha256: string;
  /** Record versions in the body. */
  readonly count: number;
  /**
   * The checked record versions, as the canonical body lines of docs/exchange.md (one JSON
   * object per line: seq, record_id, imei, reason, reporting_date, status, origin; LF after
   * each); the adapter loads them with its bulk JSON reader.
   */
  readonly body: Buffer;
}

export interface PeerRef {
  readonly peer: string;
  readonly country: string;
  readonly trust: Trust;
}

/** An owner notice: a device the origin reported was seen on another country's network. */
export interface OwnerNotice {
  readonly recordId: string;
  readonly imei: string;
  /** The country whose network saw the device. */
  readonly seenIn: string;
  /** `YYYY-MM-DD`, the day it was last seen. */
  readonly seenOn: string;
}

export interface ReceivedNotice extends OwnerNotice {
  readonly fromPeer: string;
  readonly keyId: string;
  readonly receivedAt: string;
}

/** A foreign record whose IMEI our network saw, with the owner notice still to send. */
export interface PendingNotice extends OwnerNotice {
  readonly peer: string;
}

export interface ExchangeStore {
  /**
   * Compares the exportable records (stolen list entries with a blocking status, and the shared
   * list kinds) with the last published versions and appends one version per difference, with
   * consecutive sequence numbers, in one transaction.
   */
  publish(o: {
    readonly country: string;
    readonly shareLists: readonly string[];
    readonly now: Date;
  }): Promise<PublishOutcome>;
  feedHead(): Promise<number>;
  /** Versions with `afterSeq < seq`, ascending, at most `limit`. */
  feedVersions(afterSeq: number, limit: number): Promise<ExchangeRecord[]>;
  /**
   * The same versions as {@link feedVersions}, as the body of a feed batch (docs/exchange.md):
   * one JSON object per line with the keys seq, record_id, imei, reason, reporting_date,
   * status, origin, each line ending in LF; written by the store's bulk path.
   */
  feedVersionLines(
    afterSeq: number,
    limit: number,
  ): Promise<{ readonly body: Buffer; readonly count: number; readonly lastSeq: number }>;
  /** Every record currently active (its last version), and the head sequence it is as of. */
  feedSnapshot(): Promise<{ readonly headSeq: number; readonly records: ExchangeRecord[] }>;
  /** Registers (or updates the country and trust of) the configured peers. */
  syncPeers(peers: readonly PeerRef[]): Promise<void>;
  peerStates(): Promise<PeerState[]>;
  /**
   * Applies a verified batch of `peer` and moves its cursor to `toSeq` in one transaction; a
   * snapshot also marks removed every record of the peer's origin absent from it. Returns the
   * versions written.
   */
  applyBatch(peer: PeerRef, batch: VerifiedBatch, now: Date): Promise<number>;
  /** Records why a pull of `peer` was refused (nothing else changes). */
  recordPeerError(peer: string, reason: string, now: Date): Promise<void>;
  foreignRecords(q?: { readonly imei?: string; readonly peer?: string }): Promise<ForeignRecord[]>;
  /** Active foreign records whose IMEI our network saw and whose owner has not been told. */
  pendingNotices(ourCountry: string): Promise<PendingNotice[]>;
  markNoticesSent(notices: readonly PendingNotice[], now: Date): Promise<void>;
  storeReceivedNotices(notices: readonly ReceivedNotice[]): Promise<void>;
  receivedNotices(): Promise<ReceivedNotice[]>;
}
