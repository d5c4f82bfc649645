/**
 * Publishing a check snapshot as the next version of a channel (core/ports/snapshot-channel.ts,
 * docs/distribution.md "Versioning"): the delta from the last published version, and a full
 * snapshot every `fullEvery` versions, on request, for the first version, or when the delta
 * would be larger than a message. The last published snapshot is kept in a local cache
 * (`published.ceirsnap` + `published.json`); when the cache is not the channel's head (another
 * machine published, or a first run), the head is rebuilt from the channel as a follower does.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { SnapshotChannel } from '../core/ports/snapshot-channel.js';
import { applyDelta, type DigestedSnapshot } from './snapshot-delta.js';
import { diffSnapshots } from './snapshot-diff.js';
import { encodeDelta } from './snapshot-delta-format.js';
import { contentDigest } from './snapshot-digest.js';
import { SnapshotFollower, digested } from './snapshot-follower.js';
import {
  encodeSnapshot,
  readSnapshot,
  writeSnapshot,
  type EirSnapshot,
} from './snapshot-format.js';

export interface PublishOptions {
  readonly channel: SnapshotChannel;
  /** The snapshot to publish. */
  readonly next: EirSnapshot;
  /** Served by a follower while nothing is published (used when rebuilding the head). */
  readonly empty: EirSnapshot;
  /** A full snapshot every this many versions. */
  readonly fullEvery: number;
  /** Full snapshots kept (older ones and their versions are deleted). */
  readonly keepFull: number;
  readonly forceFull?: boolean;
  /** Cache of the last published snapshot: `<cache>.ceirsnap` and `<cache>.json`. */
  readonly cache?: string;
  /** The channel's head snapshot when the caller holds it (checked against the head). */
  readonly base?: { readonly version: number; readonly current: DigestedSnapshot };
  readonly log: (line: string) => void;
}

export interface PublishResult {
  /** 'unchanged': the snapshot's content is the head's; nothing was published. */
  readonly kind: 'delta' | 'full' | 'delta+full' | 'unchanged';
  readonly version: number;
  readonly snapshotId: string;
  readonly deltaBytes: number;
  readonly fullBytes: number;
  readonly changes: number;
  readonly seconds: number;
  /** What was published (or the unchanged head), to pass as `base` next time. */
  readonly published: { readonly version: number; readonly current: DigestedSnapshot };
}

interface CacheMeta {
  readonly channel: string;
  readonly version: number;
  readonly snapshotId: string;
  readonly digest: string;
}

/** The small parts of a snapshot that decide answers besides the tables. */
const smallParts = (s: EirSnapshot) =>
  JSON.stringify([
    s.policy,
    s.reasonSets,
    s.malformed,
    s.counts,
    s.tacCount,
    s.version.listRun,
    s.version.asOf,
  ]);

async function readCache(o: PublishOptions): Promise<(CacheMeta & DigestedSnapshot) | null> {
  if (!o.cache) return null;
  try {
    const meta = JSON.parse(await readFile(`${o.cache}.json`, 'utf8')) as CacheMeta;
    const snapshot = await readSnapshot(`${o.cache}.ceirsnap`);
    // The next delta's digests are found from this one: it must be the file's.
    return meta.channel === o.channel.name &&
      snapshot.version.id === meta.snapshotId &&
      contentDigest(snapshot).hex() === meta.digest
      ? { ...meta, snapshot }
      : null;
  } catch {
    return null;
  }
}

/** The snapshot of the channel's last version (null: nothing published). */
async function headSnapshot(
  o: PublishOptions,
): Promise<{ version: number; base: DigestedSnapshot } | null> {
  const head = await o.channel.head();
  if (!head) return null;
  const b = o.base;
  if (b && b.version === head.version && b.current.snapshot.version.id === head.snapshotId)
    return { version: head.version, base: b.current };
  const cached = await readCache(o);
  if (cached && cached.version === head.version && cached.snapshotId === head.snapshotId)
    return { version: head.version, base: cached };
  o.log(`snapshot publish: rebuilding published version ${head.version} from ${o.channel.name}`);
  const f = new SnapshotFollower({
    channel: o.channel,
    empty: o.empty,
    onSnapshot: async () => {},
    log: o.log,
  });
  const s = await f.start();
  await f.stop();
  return { version: s.version, base: s.current };
}

export async function publishSnapshot(o: PublishOptions): Promise<PublishResult> {
  const t0 = performance.now();
  const head = await headSnapshot(o);
  const id = o.next.version.id;
  const version = (head?.version ?? 0) + 1;
  // The delta from the head; its target digest is the next snapshot's, found from the head's in
  // O(changes) when the tables compare lane by lane (snapshot-diff.ts).
  const d = head ? diffSnapshots(head.base.snapshot, o.next, { a: head.base.digest }) : undefined;
  const next: DigestedSnapshot = d ? { snapshot: o.next, digest: d.to.digest } : digested(o.next);
  const changes = d
    ? d.imeis.length + d.pairsAdded.imeis.length + d.pairsRemoved.imeis.length + d.tacOffsets.length
    : 0;
  const done = (r: Omit<PublishResult, 'seconds' | 'snapshotId' | 'published'>): PublishResult => ({
    ...r,
    snapshotId: r.kind === 'unchanged' ? head!.base.snapshot.version.id : id,
    seconds: (performance.now() - t0) / 1000,
    published:
      r.kind === 'unchanged'
        ? { version: head!.version, current: head!.base }
        : { version, current: next },
  });
  if (
    head &&
    !o.forceFull &&
    changes === 0 &&
    head.base.digest === next.digest &&
    smallParts(head.base.snapshot) === smallParts(o.next)
  )
    return done({
      kind: 'unchanged',
      version: head.version,
      deltaBytes: 0,
      fullBytes: 0,
      changes: 0,
    });

  let delta: Uint8Array | undefined;
  if (head && d) {
    delta = encodeDelta(d);
    // Check the delta gives the snapshot before anyone receives it: applied to the head (an
    // overlay over the head's tables, O(changes)), its content digest must be the next one's.
    applyDelta(head.base, d);
    if (delta.length > o.channel.maxDeltaBytes) {
      o.log(
        `snapshot publish: delta of ${delta.length} bytes is over ${o.channel.maxDeltaBytes}: publishing a full snapshot`,
      );
      delta = undefined;
    }
  }
  const full = !delta || o.forceFull === true || version % o.fullEvery === 0;
  let fullBytes = 0;
  let object: string | undefined;
  if (full) {
    const { parts } = encodeSnapshot(o.next);
    fullBytes = parts.reduce((s, p) => s + p.length, 0);
    object = await o.channel.putFull(version, id, parts);
  }
  await o.channel.append({
    version,
    snapshotId: id,
    ...(delta ? { delta } : {}),
    ...(object ? { full: object } : {}),
  });
  if (full) await o.channel.prune(o.keepFull);
  if (o.cache) {
    await writeSnapshot(`${o.cache}.ceirsnap`, o.next);
    const meta: CacheMeta = {
      channel: o.channel.name,
      version,
      snapshotId: id,
      digest: next.digest,
    };
    await writeFile(`${o.cache}.json`, JSON.stringify(meta));
  }
  return done({
    kind: delta && full ? 'delta+full' : delta ? 'delta' : 'full',
    version,
    deltaBytes: delta?.length ?? 0,
    fullBytes,
    changes,
  });
}
