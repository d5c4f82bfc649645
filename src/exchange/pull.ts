/**
 * Pulling a peer's feed (docs/exchange.md "Pulling"): from the peer's cursor, a snapshot first
 * (cursor 0), then deltas page by page until the peer has no more. Each page is checked whole
 * (`acceptFeedBatch`: signature, ownership, continuity) and applied in one transaction together
 * with the new cursor, so a pull killed at any point resumes at the last applied page, without
 * loss or duplicates. A refused page stops this peer's pull, records why, and changes nothing.
 */
import { formatError, type CeirError } from '../core/errors.js';
import type { ExchangeStore, PeerRef } from '../core/ports/exchange-store.js';
import type { Result } from '../core/errors.js';
import type { BatchVerifier } from './batch-format.js';
import { acceptFeedBatch } from './feed-batch.js';

export const FEED_PATH = '/exchange/v1/feed';
export const SNAPSHOT_PATH = '/exchange/v1/snapshot';

export interface Peer extends PeerRef {
  /** Base URL of the peer's exchange endpoint, e.g. `http://127.0.0.1:9101`. */
  readonly url: string;
  readonly verifier: BatchVerifier;
}

/** GETs a URL (the HTTP client, or a stub in tests). */
export type Fetch = (url: string) => Promise<Result<Buffer>>;

export interface PullOptions {
  readonly pageSize: number;
  readonly now?: () => Date;
  /** Called after each applied page. */
  readonly onPage?: (p: { kind: 'snapshot' | 'delta'; toSeq: number; records: number }) => void;
}

export type PullOutcome =
  | {
      readonly kind: 'ok';
      readonly peer: string;
      readonly pages: number;
      readonly records: number;
      readonly cursor: number;
    }
  | {
      readonly kind: 'refused';
      readonly peer: string;
      readonly pages: number;
      readonly records: number;
      readonly cursor: number;
      readonly error: CeirError;
    };

export function feedUrl(base: string, after: number, limit: number): string {
  return `${base.replace(/\/+$/, '')}${FEED_PATH}?after=${after}&limit=${limit}`;
}

export async function pullPeer(
  store: ExchangeStore,
  peer: Peer,
  fetch: Fetch,
  o: PullOptions,
): Promise<PullOutcome> {
  const now = o.now ?? (() => new Date());
  const state = (await store.peerStates()).find((s) => s.peer === peer.peer);
  let cursor = state?.lastSeq ?? 0;
  let pages = 0;
  let records = 0;
  const refuse = async (error: CeirError): Promise<PullOutcome> => {
    await store.recordPeerError(peer.peer, formatError(error), now());
    return { kind: 'refused', peer: peer.peer, pages, records, cursor, error };
  };
  for (;;) {
    const snapshot = cursor === 0 && pages === 0;
    const url = snapshot
      ? `${peer.url.replace(/\/+$/, '')}${SNAPSHOT_PATH}`
      : feedUrl(peer.url, cursor, o.pageSize);
    const got = await fetch(url);
    if (got.kind !== 'ok') return refuse(got);
    const b = acceptFeedBatch(
      got.value,
      { country: peer.country, verifier: peer.verifier, cursor },
      url,
    );
    if (b.kind !== 'ok') return refuse(b);
    if (!snapshot && b.value.count === 0) break;
    await store.applyBatch(peer, b.value, now());
    pages++;
    records += b.value.count;
    cursor = b.value.toSeq;
    o.onPage?.({ kind: b.value.kind, toSeq: cursor, records: b.value.count });
    if (!snapshot && b.value.count < o.pageSize) break;
  }
  return { kind: 'ok', peer: peer.peer, pages, records, cursor };
}
