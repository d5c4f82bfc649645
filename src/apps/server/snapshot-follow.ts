/**
 * `ceir serve --follow nats://...`: the check servers serve the snapshots published to NATS
 * JetStream (docs/distribution.md) instead of building them from a local store. The primary
 * process runs one SnapshotFollower; each new version is written to `current.ceirsnap`
 * (atomically) and every worker swaps it in (serve.ts), so a check is answered wholly by one
 * version. /health and /metrics report the published version served.
 */
import { ceirError, CeirFailure } from '../../core/errors.js';
import type { SnapshotChannel } from '../../core/ports/snapshot-channel.js';
import type { Config } from '../../config/loader.js';
import type { CheckPolicy } from '../../eir/check-engine.js';
import { createHash } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { snapshotBody, snapshotFromData, type EirSnapshot } from '../../eir/snapshot-format.js';
import { SnapshotFollower, type FollowerStatus } from '../../eir/snapshot-follower.js';
import { NatsSnapshotChannel } from './nats-snapshot-channel.js';
import { emptySnapshotData } from './serve.js';

/** A new version for the workers. */
export interface FollowedVersion {
  readonly version: string;
  /** When it is one delta from the version served before: workers can apply it themselves. */
  readonly delta?: { readonly digest: string; readonly delta: string };
  /** Writes the version to the snapshot file (for a `reload` and for workers started later). */
  write(): Promise<void>;
}

/** What serve.ts needs from a snapshot source other than the store. */
export interface SnapshotFollow {
  /** Writes the latest published snapshot to `path` (caught up); returns its version id. */
  start(path: string): Promise<{ readonly version: string; readonly empty: boolean }>;
  /** Called for each later version; resolves once it is served. */
  onVersion(cb: (v: FollowedVersion) => Promise<void>): void;
  status(): FollowerStatus;
  /** Prometheus lines about the followed channel. */
  metricsText(): string;
  close(): Promise<void>;
}

/** Connects to NATS with the config's stream and bucket names; CEIR_ERR_PEER_DOWN if it cannot. */
export async function openSnapshotChannel(
  config: Config,
  url: string,
  clientName: string,
): Promise<NatsSnapshotChannel> {
  if (!/^nats:\/\/\S+$/.test(url))
    throw new CeirFailure(
      ceirError('CEIR_ERR_CONFIG', `Snapshot source "${url}" is not a nats:// URL`),
    );
  try {
    return await NatsSnapshotChannel.open({
      url,
      stream: config.server.snapshot_stream,
      bucket: config.server.snapshot_bucket,
      clientName,
    });
  } catch (e) {
    throw new CeirFailure(
      ceirError(
        'CEIR_ERR_PEER_DOWN',
        `NATS JetStream at ${url} did not answer (${(e as Error).message}); start it with ` +
          '`nats-server -js` or set server.snapshot_source',
      ),
    );
  }
}

/**
 * Writes the snapshot file for the workers: temporary file and rename, without fsync (the file is
 * a copy of what NATS holds; after a crash the server loads from NATS again). It hashes each
 * slice as it writes it, so the primary answers /health and IPC between slices rather than
 * hashing 150 MB in one go.
 */
async function writeServed(path: string, s: EirSnapshot): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  const hash = createHash('sha256');
  const put = async (p: Uint8Array, hashed: boolean) => {
    for (let off = 0; off < p.length;) {
      const { bytesWritten } = await fh.write(p, off, Math.min(p.length - off, 1 << 22));
      if (hashed) hash.update(p.subarray(off, off + bytesWritten));
      off += bytesWritten;
    }
  };
  try {
    for (const p of snapshotBody(s)) await put(p, true);
    await put(hash.digest(), false);
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

export function followSnapshots(
  channel: SnapshotChannel,
  policy: Partial<CheckPolicy>,
  log: (line: string) => void,
): SnapshotFollow {
  let path = '';
  let cb: ((v: FollowedVersion) => Promise<void>) | undefined;
  const follower = new SnapshotFollower({
    channel,
    empty: snapshotFromData(emptySnapshotData(), { policy }),
    log: (l) => log(`ceir serve: ${l}`),
    onSnapshot: async (s, step) => {
      const write = () => writeServed(path, s.current.snapshot);
      if (!cb) return write();
      await cb({
        version: s.current.snapshot.version.id,
        ...(step
          ? {
              delta: {
                digest: step.baseDigest,
                delta: Buffer.from(
                  step.delta.buffer,
                  step.delta.byteOffset,
                  step.delta.length,
                ).toString('base64'),
              },
            }
          : {}),
        write,
      });
    },
  });
  return {
    async start(p) {
      path = p;
      const s = await follower.start();
      await writeServed(path, s.current.snapshot);
      return { version: s.current.snapshot.version.id, empty: s.version === 0 };
    },
    onVersion(f) {
      cb = f;
    },
    status: () => follower.status(),
    metricsText() {
      const s = follower.status();
      return [
        '# HELP ceir_snapshot_published_version Published snapshot version served (followed).',
        '# TYPE ceir_snapshot_published_version gauge',
        `ceir_snapshot_published_version ${s.version}`,
        '# HELP ceir_snapshot_follow_total Versions taken from the channel, by how.',
        '# TYPE ceir_snapshot_follow_total counter',
        `ceir_snapshot_follow_total{how="delta"} ${s.deltasApplied}`,
        `ceir_snapshot_follow_total{how="full"} ${s.fullLoads}`,
        `ceir_snapshot_follow_total{how="resync"} ${s.resyncs}`,
        '',
      ].join('\n');
    },
    async close() {
      await follower.stop();
      await channel.close();
    },
  };
}
