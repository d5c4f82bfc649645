/**
 * `ceir snapshot publish [--full] [--nats <url>]`: builds the check snapshot of the latest list
 * run and publishes it to NATS JetStream as the next version (docs/distribution.md): the delta
 * from the last published version, and a full snapshot every `server.snapshot_full_every`
 * versions, with --full, for the first version, or when the delta is larger than a message.
 * Check servers started with `ceir serve --follow <url>` apply it within a second or so.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { ceirError, CeirFailure } from '../../../core/errors.js';
import { snapshotFromData } from '../../../eir/snapshot-format.js';
import { publishSnapshot } from '../../../eir/snapshot-publisher.js';
import { emptySnapshotData } from '../../server/serve.js';
import { openSnapshotChannel } from '../../server/snapshot-follow.js';
import type { CliContext } from '../cli-context.js';
import { formatCount } from '../progress.js';
import { UsageError } from '../usage-error.js';

export interface SnapshotArgs {
  readonly full: boolean;
  readonly nats?: string;
}

export async function runSnapshot(
  ctx: CliContext,
  sub: string | undefined,
  a: SnapshotArgs,
): Promise<number> {
  if (sub !== 'publish') throw new UsageError('ceir snapshot publish [--full] [--nats <url>]');
  const c = ctx.config.server;
  const p = c.policy;
  const policy = {
    malformedImei: p.malformed_imei,
    unknownTac: p.unknown_tac,
    unknownDevice: p.unknown_device,
    grey: p.grey,
  };
  const store = await ctx.openStore();
  let data;
  try {
    data = await store.snapshotData();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new CeirFailure(
      ceirError('CEIR_ERR_NOT_FOUND', 'No list run to publish: run `ceir listgen` first'),
    );
  }
  await ctx.close();
  const next = snapshotFromData(data, { policy });
  const url = a.nats ?? c.snapshot_source ?? 'nats://127.0.0.1:4222';
  const channel = await openSnapshotChannel(ctx.config, url, 'ceir snapshot publish');
  try {
    const dir = join(ctx.dataDir, 'snapshots');
    mkdirSync(dir, { recursive: true });
    const r = await publishSnapshot({
      channel,
      next,
      empty: snapshotFromData(emptySnapshotData(), { policy }),
      fullEvery: c.snapshot_full_every,
      keepFull: c.snapshot_keep_full,
      forceFull: a.full,
      cache: join(dir, 'published'),
      log: (l) => ctx.io.err(l),
    });
    ctx.print({ ...r, channel: channel.name }, () => [
      r.kind === 'unchanged'
        ? `Nothing to publish: version ${r.version} (${r.snapshotId}) has the same content`
        : `Published version ${r.version} (${r.snapshotId}) to ${channel.name}: ${r.kind}, ` +
          `${formatCount(r.changes)} changes, delta ${formatCount(r.deltaBytes)} bytes` +
          (r.fullBytes ? `, full snapshot ${formatCount(r.fullBytes)} bytes` : '') +
          ` in ${r.seconds.toFixed(2)} s`,
    ]);
    return 0;
  } finally {
    await channel.close();
  }
}
