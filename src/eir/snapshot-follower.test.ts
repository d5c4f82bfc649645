/**
 * The follower over an in-memory channel: catch-up from the latest full snapshot, live deltas,
 * and the ways back to a full snapshot (a gap, a damaged delta with a full snapshot beside it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  FullSnapshotRef,
  NewVersion,
  PublishedVersion,
  SnapshotChannel,
  VersionMessage,
} from '../core/ports/snapshot-channel.js';
import { CheckEngine } from './check-engine.js';
import { diffSnapshots } from './snapshot-diff.js';
import { encodeDelta } from './snapshot-delta-format.js';
import { SnapshotFollower, type FollowerState } from './snapshot-follower.js';
import { encodeSnapshot, snapshotFromData, type EirSnapshot } from './snapshot-format.js';
import { testData } from './test-data.js';

class MemoryChannel implements SnapshotChannel {
  readonly name = 'memory';
  readonly maxDeltaBytes = 1 << 20;
  readonly msgs: VersionMessage[] = [];
  readonly objects = new Map<string, Uint8Array>();
  readonly fulls: FullSnapshotRef[] = [];
  private wake: (() => void) | undefined;
  private seq = 0;

  async head(): Promise<PublishedVersion | null> {
    const m = this.msgs.at(-1);
    return m ? { version: m.version, snapshotId: m.snapshotId, position: m.position } : null;
  }
  async putFull(version: number, _id: string, parts: readonly Uint8Array[]): Promise<string> {
    this.objects.set(`v${version}`, Buffer.concat(parts));
    return `v${version}`;
  }
  /** Appends without the head check (a test may skip a version to make a gap). */
  async append(v: NewVersion): Promise<PublishedVersion> {
    const m = { ...v, position: ++this.seq };
    this.msgs.push(m);
    if (v.full) this.fulls.push({ ...m, object: v.full, bytes: this.objects.get(v.full)!.length });
    this.wake?.();
    return m;
  }
  async prune(): Promise<void> {}
  async latestFull(): Promise<FullSnapshotRef | null> {
    return this.fulls.at(-1) ?? null;
  }
  async readFull(ref: FullSnapshotRef): Promise<Uint8Array> {
    return this.objects.get(ref.object)!;
  }
  follow(position: number, handler: (m: VersionMessage) => Promise<number | void>) {
    let stopped = false;
    const run = (async () => {
      let pos = position;
      while (!stopped) {
        const m = this.msgs.find((x) => x.position > pos);
        if (!m) {
          await new Promise<void>((r) => (this.wake = r));
          continue;
        }
        const r = await handler({
          ...m,
          pending: this.msgs.filter((x) => x.position > m.position).length,
        });
        pos = typeof r === 'number' ? r : m.position;
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        this.wake?.();
        await run;
      },
    };
  }
  async close(): Promise<void> {}
}

const K = (n: number) => String(35209900000000 + n);
const snap = (run: number, black: number[]) =>
  snapshotFromData(testData({ listRun: run, black: black.map((n) => [K(n), 1] as const) }), {
    createdAt: `2026-01-01T00:00:0${run}.000Z`,
  });
const empty = snapshotFromData(testData({ listRun: 0 }));

async function publish(
  ch: MemoryChannel,
  v: number,
  prev: EirSnapshot | null,
  next: EirSnapshot,
  full = false,
  damage = false,
) {
  const delta = prev ? encodeDelta(diffSnapshots(prev, next)) : undefined;
  if (delta && damage) delta[100]! ^= 0xff;
  const object = full
    ? await ch.putFull(v, next.version.id, encodeSnapshot(next).parts)
    : undefined;
  await ch.append({
    version: v,
    snapshotId: next.version.id,
    ...(delta ? { delta } : {}),
    ...(object ? { full: object } : {}),
  });
}

function follower(ch: MemoryChannel) {
  const served: FollowerState[] = [];
  let wake: (() => void) | undefined;
  const f = new SnapshotFollower({
    channel: ch,
    empty,
    log: () => {},
    onSnapshot: async (s) => {
      served.push(s);
      wake?.();
    },
  });
  const until = async (version: number) => {
    while (served.at(-1)?.version !== version) await new Promise<void>((r) => (wake = r));
    return served.at(-1)!;
  };
  return { f, served, until };
}

const black = (s: FollowerState, n: number): string => {
  const r = new CheckEngine(s.current.snapshot).check(K(n));
  return r.kind === 'status' ? r.status : 'unknown';
};

test('starts from the latest full snapshot, applies the later deltas, then follows', async () => {
  const ch = new MemoryChannel();
  const s = [snap(1, [1]), snap(2, [1, 2]), snap(3, [1, 2, 3]), snap(4, [2, 3, 4])];
  await publish(ch, 1, null, s[0]!, true);
  await publish(ch, 2, s[0]!, s[1]!, true);
  await publish(ch, 3, s[1]!, s[2]!);
  const { f, until } = follower(ch);
  const st = await f.start();
  assert.equal(st.version, 3);
  assert.equal(st.current.snapshot.version.id, s[2]!.version.id);
  assert.deepEqual(f.status().fullLoads, 1);
  assert.deepEqual(f.status().deltasApplied, 1);
  await publish(ch, 4, s[2]!, s[3]!);
  const v4 = await until(4);
  assert.equal(black(v4, 1), 'WHITELISTED');
  assert.equal(black(v4, 4), 'BLACKLISTED');
  await f.stop();
});

test('a gap or a damaged delta goes back to a full snapshot', async () => {
  const ch = new MemoryChannel();
  const s = [snap(1, [1]), snap(2, [2]), snap(3, [3]), snap(4, [4]), snap(5, [5])];
  await publish(ch, 1, null, s[0]!, true);
  const { f, until } = follower(ch);
  assert.equal((await f.start()).version, 1);
  // Version 2 never arrives; 3 comes with a full snapshot of itself.
  await publish(ch, 3, s[1]!, s[2]!, true);
  const v3 = await until(3);
  assert.equal(black(v3, 3), 'BLACKLISTED');
  assert.equal(f.status().resyncs, 1);
  // Version 4's delta is damaged; its full snapshot is taken instead.
  await publish(ch, 4, s[2]!, s[3]!, true, true);
  const v4 = await until(4);
  assert.equal(f.status().fullLoads, 3);
  assert.equal(f.status().deltasApplied, 0);
  assert.equal(black(v4, 4), 'BLACKLISTED');
  // A delta made from another base, without a full snapshot: refused, nothing else served.
  await publish(ch, 5, s[0]!, s[4]!);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(f.current.version, 4);
  assert.match(f.status().lastError ?? '', /no newer full snapshot/);
  await f.stop();
});
