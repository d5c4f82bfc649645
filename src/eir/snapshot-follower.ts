/**
 * A check server following published snapshots (core/ports/snapshot-channel.ts,
 * docs/distribution.md "Catch-up"): on start it loads the latest full snapshot, applies the
 * versions published after it in order, and then keeps applying each new version as it comes.
 * Version N+1 applies to version N only; a gap, a delta made from another base or a result with
 * the wrong content digest sends it back to a full snapshot (the version's own when it has one,
 * else the latest). What it serves changes only by whole versions, handed to `onSnapshot`.
 */
import type {
  FullSnapshotRef,
  SnapshotChannel,
  SnapshotSubscription,
  VersionMessage,
} from '../core/ports/snapshot-channel.js';
import { applyDelta, type DigestedSnapshot } from './snapshot-delta.js';
import { SnapshotDeltaError, decodeDelta } from './snapshot-delta-format.js';
import { contentDigest } from './snapshot-digest.js';
import { decodeSnapshot, type EirSnapshot } from './snapshot-format.js';

export interface FollowerState {
  /** Published version served (0: nothing published yet). */
  readonly version: number;
  /** Channel position of that version's message. */
  readonly position: number;
  readonly current: DigestedSnapshot;
}

export interface FollowerStatus {
  readonly source: string;
  readonly version: number;
  readonly snapshot: string;
  readonly deltasApplied: number;
  readonly fullLoads: number;
  readonly resyncs: number;
  readonly lastError: string | null;
}

/** One delta between two served versions, with the content digest of its base. */
export interface DeltaStep {
  readonly delta: Uint8Array;
  readonly baseDigest: string;
  readonly baseVersion: number;
}

export interface SnapshotFollowerOptions {
  readonly channel: SnapshotChannel;
  /** Served while nothing is published. */
  readonly empty: EirSnapshot;
  /**
   * A new version to serve (after start): resolves once it is served. `step` is the delta that
   * made it from the version served before, when it is one delta (servers can apply it too).
   */
  readonly onSnapshot: (s: FollowerState, step?: DeltaStep) => Promise<void>;
  readonly log: (line: string) => void;
  /** Longest wait before serving a version while later ones are still arriving (default 1 s). */
  readonly maxBatchMs?: number;
}

export const digested = (s: EirSnapshot): DigestedSnapshot => ({
  snapshot: s,
  digest: contentDigest(s).hex(),
});

export class SnapshotFollower {
  private state: FollowerState;
  private sub: SnapshotSubscription | undefined;
  private live = false;
  private caughtUp: (() => void) | undefined;
  private catchUpTo = 0;
  private lastServed = Date.now();
  private served: FollowerState | undefined;
  private lastStep: DeltaStep | undefined;
  private stats = { deltasApplied: 0, fullLoads: 0, resyncs: 0 };
  private lastError: string | null = null;

  constructor(private readonly o: SnapshotFollowerOptions) {
    this.state = { version: 0, position: 0, current: digested(o.empty) };
  }

  get current(): FollowerState {
    return this.state;
  }

  status(): FollowerStatus {
    return {
      source: this.o.channel.name,
      version: this.state.version,
      snapshot: this.state.current.snapshot.version.id,
      ...this.stats,
      lastError: this.lastError,
    };
  }

  /** Loads the latest full snapshot, catches up to the last published version, then follows. */
  async start(): Promise<FollowerState> {
    const ch = this.o.channel;
    const full = await ch.latestFull();
    if (full) await this.loadFull(full);
    const head = await ch.head();
    this.catchUpTo = head?.position ?? 0;
    const caughtUp = new Promise<void>((res) => (this.caughtUp = res));
    if (this.catchUpTo <= this.state.position) this.caughtUp?.();
    this.sub = ch.follow(
      this.state.position,
      (m) => this.onMessage(m),
      (e) => {
        this.lastError = e.message;
        this.o.log(`snapshot follower: subscription failed: ${e.message}`);
      },
    );
    await caughtUp;
    this.live = true;
    this.served = this.state;
    this.o.log(
      `snapshot follower: serving published version ${this.state.version} ` +
        `(${this.state.current.snapshot.version.id}) from ${ch.name}`,
    );
    return this.state;
  }

  async stop(): Promise<void> {
    await this.sub?.stop();
  }

  private async loadFull(ref: FullSnapshotRef): Promise<void> {
    const bytes = await this.o.channel.readFull(ref);
    const snapshot = decodeSnapshot(bytes, `${this.o.channel.name} ${ref.object}`);
    this.state = { version: ref.version, position: ref.position, current: digested(snapshot) };
    this.stats.fullLoads++;
  }

  private async onMessage(m: VersionMessage): Promise<number | void> {
    try {
      const r = await this.accept(m);
      if (r !== 'skipped') await this.serve(typeof r === 'number' ? 0 : (m.pending ?? 0));
      if (typeof r === 'number') return r;
    } catch (e) {
      this.lastError = (e as Error).message;
      this.o.log(
        `snapshot follower: version ${m.version} refused, still serving ${this.state.version}: ${this.lastError}`,
      );
      await this.serve(0).catch(() => undefined);
    } finally {
      if (m.position >= this.catchUpTo) this.caughtUp?.();
    }
  }

  /** Hands the new state on once the backlog is drained (or every maxBatchMs). */
  private async serve(pending: number): Promise<void> {
    if (!this.live || this.state === this.served) return;
    if (pending > 0 && Date.now() - this.lastServed < (this.o.maxBatchMs ?? 1000)) return;
    this.lastServed = Date.now();
    const s = this.state;
    const step = this.lastStep;
    const single = step && this.served && step.baseVersion === this.served.version;
    await this.o.onSnapshot(s, single ? step : undefined);
    this.served = s;
  }

  /** 'changed', 'skipped', or a channel position to continue after (a full snapshot's). */
  private async accept(m: VersionMessage): Promise<'changed' | 'skipped' | number> {
    const cur = this.state;
    if (m.version <= cur.version) return 'skipped';
    if (m.version === cur.version + 1) {
      if (m.delta) {
        try {
          const next = applyDelta(cur.current, decodeDelta(m.delta, `version ${m.version}`));
          this.state = { version: m.version, position: m.position, current: next };
          this.lastStep = {
            delta: m.delta,
            baseDigest: cur.current.digest,
            baseVersion: cur.version,
          };
          this.stats.deltasApplied++;
          return 'changed';
        } catch (e) {
          if (!(e instanceof SnapshotDeltaError) || !m.full) return this.resync(m, e as Error);
        }
      }
      if (m.full) {
        await this.loadFull({ ...m, object: m.full, bytes: 0 });
        return 'changed';
      }
    }
    return this.resync(m, new Error(`gap: version ${m.version} after ${cur.version}`));
  }

  /** Back to the latest full snapshot; a position when the versions after it lie behind `m`. */
  private async resync(m: VersionMessage, why: Error): Promise<'changed' | 'skipped' | number> {
    this.stats.resyncs++;
    this.o.log(`snapshot follower: ${why.message}; loading the latest full snapshot`);
    const full = await this.o.channel.latestFull();
    if (!full || full.version <= this.state.version) {
      this.lastError = `${why.message}, and no newer full snapshot`;
      return 'skipped';
    }
    await this.loadFull(full);
    if (full.position < m.position && full.version < m.version - 1) return full.position;
    if (full.version === m.version - 1) await this.accept(m);
    return 'changed';
  }
}
