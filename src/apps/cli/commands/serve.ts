/**
 * `ceir serve`: the check servers (S13 Diameter, N5g-eir HTTP/2) in one worker process per core,
 * plus health and Prometheus metrics over HTTP/1.1, until SIGINT/SIGTERM; SIGHUP reloads the
 * snapshot from the latest list run. Options override the config's `server:` section.
 */
import { startServe } from '../../server/serve.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';

export interface ServeCommandOptions {
  readonly s13Port?: string;
  readonly n5gPort?: string;
  readonly httpPort?: string;
  readonly host?: string;
  readonly workers?: string;
}

function num(name: string, v: string | undefined, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > max) throw new UsageError(`--${name} must be an integer 0-${max}`);
  return n;
}

export async function runServe(ctx: CliContext, opts: ServeCommandOptions): Promise<number> {
  const c = ctx.config.server;
  const p = c.policy;
  const handle = await startServe({
    dataDir: ctx.dataDir,
    withStore: async (fn) => {
      try {
        return await fn(await ctx.openStore());
      } finally {
        await ctx.close();
      }
    },
    host: opts.host ?? c.host,
    s13Port: num('s13-port', opts.s13Port, c.s13_port, 65535),
    n5gPort: num('n5g-port', opts.n5gPort, c.n5g_port, 65535),
    httpPort: num('http-port', opts.httpPort, c.http_port, 65535),
    workers: num('workers', opts.workers, c.workers, 1024),
    originHost: c.origin_host,
    originRealm: c.origin_realm,
    policy: {
      malformedImei: p.malformed_imei,
      unknownTac: p.unknown_tac,
      unknownDevice: p.unknown_device,
      grey: p.grey,
    },
    log: (l) => ctx.io.err(l),
  });
  const host = opts.host ?? c.host;
  const { s13, n5g, http } = handle.ports;
  ctx.print(
    { host, ports: handle.ports, workers: handle.workers, snapshot: handle.version() },
    () => [
      `ceir serve: listening on ${host} with ${handle.workers} worker(s), snapshot ${handle.version()}`,
      `  S13 (Diameter)        port ${s13}`,
      `  N5g-eir (HTTP/2)      port ${n5g}   http://${host}:${n5g}/n5g-eir-eic/v1/equipment-status?pei=imei-...`,
      `  health, metrics       port ${http}   http://${host}:${http}/health  /metrics`,
      'Ctrl-C stops; SIGHUP reloads the lists (after `ceir listgen`).',
    ],
  );
  await handle.closed;
  return 0;
}
