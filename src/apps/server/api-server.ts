/**
 * The people-facing API inside `ceir serve` (issue #5): an HTTP/1.1 server in the primary process
 * on `api.port` (default 8082), sharing its socket with `api.check_workers` child processes that
 * answer the public check from their own memory (api-check-worker.ts) and pass everything else
 * to the primary. The public check follows the snapshot the check servers serve (`onSnapshot`,
 * called by serve.ts after every build); everything else opens the store per job through
 * serve's `withStore`, so DuckDB keeps one writer and the CLI stays usable. The attestation API
 * (`POST /attestation/...`, issue 8) is served beside it (api-attestation.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import { createPeopleApi, type Api } from '../../api/index.js';
import { httpHandler } from '../../api/http-adapter.js';
import type { PublicCheckData } from '../../core/ports/people-queries.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { CliContext } from '../cli/cli-context.js';
import { attestationForServe, withAttestation } from './api-attestation.js';
import type { CheckWorkerMessage, CheckWorkerSettings } from './api-check-worker.js';
import { peopleApiDeps, smsOutboxPath, type WithStore } from './api-wiring.js';

/** Dump uploads go through the API; larger files belong in the pipeline's inbox. */
const MAX_BODY_BYTES = 512 * 1024 * 1024;
/**
 * The public check takes a followed version once no newer one came for this long: its reload
 * reads the 150 MB snapshot file (10M IMEIs) in the primary and again in each API check worker,
 * and done after every delta it delayed the check servers' next swap on the same cores
 * (bench/RESULTS.md, issue 7). People see the lists at most this much later than the network.
 */
const PUBLIC_CHECK_SETTLE_MS = 10_000;
const WORKER_PATH = fileURLToPath(new URL('./api-check-worker.js', import.meta.url));

export interface ServeApi {
  /**
   * serve.ts's hook: a new snapshot file is served. One `followed` from a NATS channel is taken
   * once no newer one came for PUBLIC_CHECK_SETTLE_MS; any other at once.
   */
  onSnapshot(path: string, followed?: boolean): void;
  /**
   * Loads the check data (if no snapshot came) and listens; resolves with the bound port, or
   * undefined when the store is not DuckDB (the people store has no other adapter yet).
   */
  start(reload: () => Promise<unknown>): Promise<number | undefined>;
  close(): Promise<void>;
  readonly smsOutbox: string;
}

function listen(s: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((res, rej) => {
    s.once('error', rej);
    s.listen(port, host, () => {
      s.off('error', rej);
      res((s.address() as AddressInfo).port);
    });
  });
}

export function peopleApiForServe(
  ctx: CliContext,
  withStore: WithStore,
  o: {
    readonly host: string;
    readonly port: number;
    readonly checkWorkers?: number;
    /** What the listeners serve in front of the API (`ceir serve`: the web UI, web-server.ts). */
    readonly site?: (api: Api) => Api;
  },
): ServeApi {
  let reloadServe: (() => Promise<unknown>) | undefined;
  let loaded: Promise<void> | undefined;
  let settle: NodeJS.Timeout | undefined;
  const { deps, checks } = peopleApiDeps({
    ctx,
    withStore,
    reload: async () => {
      await reloadServe?.();
      await loaded;
    },
  });
  const servers: Server[] = [];
  const workers: ChildProcess[] = [];
  let last: CheckWorkerMessage | undefined;
  // The check workers load the same snapshot file and this data (written beside it).
  checks.onSwap = (snapshot: string | undefined, data: PublicCheckData, dataChanged: boolean) => {
    if (!snapshot) return;
    const file = join(dirname(snapshot), 'public-check.v8');
    if (dataChanged || last === undefined) {
      writeFileSync(`${file}.tmp`, serialize(data));
      renameSync(`${file}.tmp`, file);
    }
    last = { type: 'load', snapshot, data: file };
    for (const w of workers) if (w.connected) w.send(last);
  };
  return {
    smsOutbox: smsOutboxPath(ctx),
    onSnapshot(path, followed) {
      const load = (): void => {
        const previous = loaded ?? Promise.resolve();
        loaded = previous.then(() =>
          checks.loadFromFile(path, followed).catch((e: unknown) => {
            ctx.io.err(`ceir serve: API check data not reloaded: ${(e as Error).message}`);
          }),
        );
      };
      clearTimeout(settle);
      settle = undefined;
      if (!followed || !loaded) return load();
      // Versions followed from NATS come as often as the publisher sends them: the public check
      // takes the latest once they settle, off the path of the check servers' next swap.
      settle = setTimeout(load, PUBLIC_CHECK_SETTLE_MS);
      settle.unref();
    },
    async start(reload) {
      reloadServe = reload;
      if (!(await withStore(async (s) => s instanceof DuckDbStore))) {
        ctx.io.err('ceir serve: the people API runs on the DuckDB store only: not started');
        return undefined;
      }
      if (loaded) await loaded;
      try {
        checks.current();
      } catch {
        await checks.loadFromStore();
      }
      const api = createPeopleApi(deps);
      const site = o.site ? o.site(api) : api;
      // POST /attestation/challenges and /attestation/submissions (issue 8) before the API routes.
      const attestation = attestationForServe(ctx, withStore);
      const secret = randomBytes(24).toString('hex');
      const internal = createServer(
        { keepAlive: true },
        withAttestation(attestation, httpHandler(site, MAX_BODY_BYTES, secret)),
      );
      servers.push(internal);
      const internalPort = await listen(internal, 0, '127.0.0.1');
      const server = createServer(
        { keepAlive: true },
        withAttestation(attestation, httpHandler(site, MAX_BODY_BYTES)),
      );
      servers.push(server);
      const port = await listen(server, o.port, o.host);
      const count = last ? (o.checkWorkers ?? ctx.config.api.check_workers) : 0;
      const settings: CheckWorkerSettings = {
        internalPort,
        secret,
        rateLimit: deps.settings.rateLimit,
      };
      for (let i = 0; i < count; i++) {
        const w = fork(WORKER_PATH, [], {
          env: { ...process.env, CEIR_API_WORKER: JSON.stringify(settings) },
          execArgv: process.execArgv.filter((a) => !a.startsWith('--test')),
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        workers.push(w);
        await new Promise<void>((res, rej) => {
          w.once('error', rej);
          w.once('exit', (code) => rej(new Error(`API check worker exited (${code})`)));
          w.once('message', () => res());
        });
        w.removeAllListeners('exit');
        w.on('exit', () => workers.splice(workers.indexOf(w), 1));
        w.send('server', server);
        if (last) w.send(last);
      }
      return port;
    },
    async close() {
      for (const w of workers)
        if (w.connected) w.send({ type: 'stop' } satisfies CheckWorkerMessage);
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((res) => {
              const t = setTimeout(() => w.kill('SIGKILL'), 5000);
              w.once('exit', () => {
                clearTimeout(t);
                res();
              });
            }),
        ),
      );
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((res) => {
              s.close(() => res());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
