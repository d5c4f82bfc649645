/**
 * A check worker's side of `ceir serve --follow` (snapshot-follow.ts): a published delta the
 * primary forwards is applied to the worker's own snapshot and swapped in, so a small change
 * does not cost every worker a read of the whole snapshot file.
 */
import { CheckEngine, type CheckPolicy } from '../../eir/check-engine.js';
import { applyDelta } from '../../eir/snapshot-delta.js';
import { decodeDelta } from '../../eir/snapshot-delta-format.js';
import type { SnapshotHolder } from '../../eir/snapshot-holder.js';

/**
 * Applies `m.delta` (base64) to what `holder` serves (content digest `m.digest`) and swaps the
 * result in; returns its version id. Throws (SnapshotDeltaError) without changing what is served.
 */
export function applyDeltaMessage(
  holder: SnapshotHolder,
  m: { readonly digest: string; readonly delta: string },
  policy: Partial<CheckPolicy>,
): string {
  const base = holder.current.snapshot;
  const next = applyDelta(
    { snapshot: base, digest: m.digest },
    decodeDelta(Buffer.from(m.delta, 'base64'), 'forwarded delta'),
  );
  holder.swap(new CheckEngine(next.snapshot, policy));
  return next.snapshot.version.id;
}
