/**
 * The snapshot channel (core/ports/snapshot-channel.ts) on NATS JetStream (docs/distribution.md):
 * - stream `<stream>` (file storage) with two subjects:
 *   `<stream>.version`: one message per published version, in order; headers `Ceir-Version`
 *   (1, 2, 3, ...), `Ceir-Snapshot` (snapshot version id) and, when a full snapshot of it exists,
 *   `Ceir-Full` (its object name); the body is the delta from the previous version (empty when
 *   there is none). Published with `Nats-Msg-Id` `<stream>-v<N>` and the expected last subject
 *   sequence, so two publishers cannot both append version N.
 *   `<stream>.full`: a JSON pointer `{version, snapshotId, object, bytes, position}` per full
 *   snapshot; the last one is where a follower starts.
 * - object store `<bucket>`: full snapshot images, named `v<N, 10 digits>`, in chunks (they can
 *   be hundreds of MB; a message carries at most the server's max_payload, 1 MiB by default).
 */
import {
  connect,
  DeliverPolicy,
  headers,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  type ObjectStore,
} from 'nats';
import type {
  FullSnapshotRef,
  NewVersion,
  PublishedVersion,
  SnapshotChannel,
  SnapshotSubscription,
  VersionMessage,
} from '../../core/ports/snapshot-channel.js';

export interface NatsChannelOptions {
  /** `nats://host:port` (several comma-separated). */
  readonly url: string;
  readonly stream: string;
  readonly bucket: string;
  /** Connection name shown by the NATS server. */
  readonly clientName?: string;
  readonly connectTimeoutMs?: number;
}

const H_VERSION = 'Ceir-Version';
const H_SNAPSHOT = 'Ceir-Snapshot';
const H_FULL = 'Ceir-Full';
/** Bytes of a full snapshot's chunks in the object store. */
const CHUNK = 512 * 1024;

const isNotFound = (e: unknown) => /no message found|not found/i.test((e as Error).message ?? '');

export const objectName = (version: number) => `v${String(version).padStart(10, '0')}`;

export class NatsSnapshotChannel implements SnapshotChannel {
  readonly name: string;
  readonly maxDeltaBytes: number;
  private readonly versionSubject: string;
  private readonly fullSubject: string;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly os: ObjectStore,
    private readonly o: NatsChannelOptions,
  ) {
    this.name = `${o.url} stream ${o.stream}, bucket ${o.bucket}`;
    this.versionSubject = `${o.stream}.version`;
    this.fullSubject = `${o.stream}.full`;
    // Room for the headers.
    this.maxDeltaBytes = nc.info!.max_payload - 4096;
  }

  /** Connects, and creates the stream and the object store when they do not exist. */
  static async open(o: NatsChannelOptions): Promise<NatsSnapshotChannel> {
    const nc = await connect({
      servers: o.url.split(',').map((s) => s.trim()),
      name: o.clientName ?? 'ceir',
      timeout: o.connectTimeoutMs ?? 5000,
      maxReconnectAttempts: -1,
    });
    try {
      const jsm = await nc.jetstreamManager();
      const subjects = [`${o.stream}.version`, `${o.stream}.full`];
      try {
        await jsm.streams.info(o.stream);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        await jsm.streams
          .add({ name: o.stream, subjects, storage: StorageType.File })
          .catch(async (e2: unknown) => {
            // Another process created it meanwhile.
            if (!(await jsm.streams.info(o.stream).catch(() => null))) throw e2;
          });
      }
      const js = nc.jetstream();
      const os = await js.views.os(o.bucket, { storage: StorageType.File });
      return new NatsSnapshotChannel(nc, js, jsm, os, o);
    } catch (e) {
      await nc.close();
      throw e;
    }
  }

  async head(): Promise<PublishedVersion | null> {
    try {
      const m = await this.jsm.streams.getMessage(this.o.stream, {
        last_by_subj: this.versionSubject,
      });
      return {
        version: Number(m.header.get(H_VERSION)),
        snapshotId: m.header.get(H_SNAPSHOT),
        position: m.seq,
      };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async putFull(version: number, snapshotId: string, parts: readonly Uint8Array[]) {
    const name = objectName(version);
    let i = 0;
    const rs = new ReadableStream<Uint8Array>({
      pull(c) {
        // Parts can be 100+ MB: hand them on in slices.
        for (;;) {
          if (i >= parts.length) return c.close();
          const p = parts[i]!;
          if (p.length > 0) break;
          i++;
        }
        const p = parts[i++]!;
        for (let off = 0; off < p.length; off += 8 * CHUNK)
          c.enqueue(p.subarray(off, Math.min(p.length, off + 8 * CHUNK)));
      },
    });
    await this.os.put({ name, description: snapshotId, options: { max_chunk_size: CHUNK } }, rs, {
      timeout: 120_000,
    });
    return name;
  }

  async append(v: NewVersion): Promise<PublishedVersion> {
    const head = await this.head();
    const expected = (head?.version ?? 0) + 1;
    if (v.version !== expected)
      throw new Error(
        `${this.name}: cannot publish version ${v.version}: the last published is ${expected - 1}`,
      );
    if (v.delta === undefined && v.full === undefined)
      throw new RangeError('append: a version needs a delta or a full snapshot');
    const h = headers();
    h.set(H_VERSION, String(v.version));
    h.set(H_SNAPSHOT, v.snapshotId);
    if (v.full) h.set(H_FULL, v.full);
    const ack = await this.js.publish(this.versionSubject, v.delta ?? new Uint8Array(0), {
      headers: h,
      msgID: `${this.o.stream}-v${v.version}`,
      ...(head ? { expect: { lastSubjectSequence: head.position } } : {}),
    });
    const published = { version: v.version, snapshotId: v.snapshotId, position: ack.seq };
    if (v.full) {
      const info = await this.os.info(v.full);
      if (!info) throw new Error(`${this.name}: full snapshot ${v.full} is not stored`);
      const ref: FullSnapshotRef = { ...published, object: v.full, bytes: info.size };
      await this.js.publish(this.fullSubject, new TextEncoder().encode(JSON.stringify(ref)));
    }
    return published;
  }

  async prune(keep: number): Promise<void> {
    await this.jsm.streams.purge(this.o.stream, { filter: this.fullSubject, keep });
    const c = await this.js.consumers.get(this.o.stream, { filterSubjects: this.fullSubject });
    const first = await c.next({ expires: 5000 });
    if (!first) return;
    const oldest = first.json<FullSnapshotRef>();
    // (NATS 2.9 purges the whole subject for seq 1: only purge when something lies before it.)
    if (oldest.position > 1)
      await this.jsm.streams.purge(this.o.stream, {
        filter: this.versionSubject,
        seq: oldest.position,
      });
    for (const info of await this.os.list())
      if (!info.deleted && info.name < objectName(oldest.version)) await this.os.delete(info.name);
  }

  async latestFull(): Promise<FullSnapshotRef | null> {
    try {
      const m = await this.jsm.streams.getMessage(this.o.stream, {
        last_by_subj: this.fullSubject,
      });
      return m.json<FullSnapshotRef>();
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async readFull(ref: FullSnapshotRef): Promise<Uint8Array> {
    const r = await this.os.get(ref.object);
    if (!r) throw new Error(`${this.name}: full snapshot ${ref.object} is not stored`);
    const out = new Uint8Array(new ArrayBuffer(r.info.size));
    let off = 0;
    const reader = r.data.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (off + value.length > out.length)
        throw new Error(`${this.name}: ${ref.object} is longer than its ${out.length} bytes`);
      out.set(value, off);
      off += value.length;
    }
    const err = await r.error;
    if (err) throw err;
    if (off !== out.length)
      throw new Error(`${this.name}: ${ref.object}: read ${off} of ${out.length} bytes`);
    return out;
  }

  follow(
    position: number,
    handler: (m: VersionMessage) => Promise<number | void>,
    onError: (e: Error) => void,
  ): SnapshotSubscription {
    let stopped = false;
    let msgs: ConsumerMessages | undefined;
    const run = (async () => {
      let from = position;
      while (!stopped) {
        const c = await this.js.consumers.get(this.o.stream, {
          filterSubjects: this.versionSubject,
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: from + 1,
        });
        msgs = await c.consume();
        if (stopped) msgs.stop();
        let restart: number | undefined;
        for await (const m of msgs) {
          if (stopped) break;
          const full = m.headers?.get(H_FULL);
          const r = await handler({
            version: Number(m.headers?.get(H_VERSION)),
            snapshotId: m.headers?.get(H_SNAPSHOT) ?? '',
            position: m.seq,
            pending: m.info.pending,
            ...(m.data.length > 0 ? { delta: m.data } : {}),
            ...(full ? { full } : {}),
          });
          if (typeof r === 'number') {
            restart = r;
            break;
          }
        }
        msgs.stop();
        if (restart === undefined) return;
        from = restart;
      }
    })().catch((e: unknown) => {
      if (!stopped) onError(e as Error);
    });
    return {
      stop: async () => {
        stopped = true;
        msgs?.stop();
        await run;
      },
    };
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => this.nc.close());
  }

  /** Deletes the stream and the object store (tests and benchmarks). */
  async destroy(): Promise<void> {
    await this.jsm.streams.delete(this.o.stream).catch(() => false);
    await this.os.destroy().catch(() => false);
  }
}
