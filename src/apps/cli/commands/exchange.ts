/**
 * `ceir exchange <sub>`: the cross-border exchange (docs/exchange.md).
 *
 * - `publish`: append this country's changed exportable records to its feed;
 * - `serve [--port n] [--host h]`: the exchange HTTP endpoint, until SIGINT/SIGTERM;
 * - `pull [--peer id] [--page-size n]`: pull every configured peer's feed (or one);
 * - `status`: each peer's cursor, last pull, last refusal, active records;
 * - `foreign [<imei>]`: foreign records with their provenance;
 * - `notify`: tell the owners of foreign records our network saw (owner notices);
 * - `notices`: owner notices received;
 * - `export --out <file> [--format feed|gsma|csv]`, `import <file> --peer <id> [--format ...]`:
 *   block-list files (see exchange-files.ts).
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { CeirFailure, ErrorCatalogue, formatError } from '../../../core/errors.js';
import type { ExchangeStore } from '../../../core/ports/exchange-store.js';
import { httpExchange } from '../../../exchange/http-client.js';
import { encodeNotices, NOTICE_PATH } from '../../../exchange/owner-notice.js';
import { pullPeer, type PullOutcome } from '../../../exchange/pull.js';
import { exchangeHandler } from '../../server/exchange-http.js';
import {
  configuredPeers,
  countrySigner,
  exchangeStoreOf,
  ourCountry,
} from '../../server/exchange-wiring.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';
import { runExchangeExport, runExchangeImport } from './exchange-files.js';

export interface ExchangeArgs {
  readonly port?: string;
  readonly host?: string;
  readonly peer?: string;
  readonly pageSize?: string;
  readonly format?: string;
  readonly out?: string;
}

const USAGE =
  'ceir exchange publish | serve [--port n] | pull [--peer id] | status | foreign [imei] | notify | notices | export --out <file> [--format feed|gsma|csv] | import <file> --peer <id> [--format feed|gsma|csv]';

function int(name: string, v: string | undefined, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) > max)
    throw new UsageError(`--${name} must be an integer 0-${max}`);
  return Number(v);
}

async function withExchange<T>(ctx: CliContext, fn: (x: ExchangeStore) => Promise<T>): Promise<T> {
  return fn(exchangeStoreOf(await ctx.openStore()));
}

export async function runExchange(
  ctx: CliContext,
  rest: readonly string[],
  a: ExchangeArgs,
): Promise<number> {
  const [sub, ...args] = rest;
  const cfg = ctx.config.exchange;
  switch (sub) {
    case 'publish': {
      const country = ourCountry(ctx.config);
      const r = await withExchange(ctx, (x) =>
        x.publish({ country, shareLists: cfg.share_lists, now: new Date() }),
      );
      ctx.print(r, () => [
        `published ${r.appended} record versions (${r.activated} active, ${r.removed} removed); feed head ${r.headSeq}`,
      ]);
      return 0;
    }
    case 'serve':
      return serve(ctx, a);
    case 'pull':
      return pull(ctx, a);
    case 'status': {
      const peers = configuredPeers(ctx.config, ctx.configPath);
      const states = await withExchange(ctx, async (x) => {
        await x.syncPeers(peers);
        return { head: await x.feedHead(), peers: await x.peerStates() };
      });
      ctx.print(states, () => [
        `feed head ${states.head}`,
        ...states.peers.map(
          (p) =>
            `${p.peer} (${p.country}, ${p.trust}): seq ${p.lastSeq}, ${p.records} active records, last pull ${p.lastPullAt ?? 'never'}${p.lastError ? `, REFUSED: ${p.lastError}` : ''}`,
        ),
      ]);
      return 0;
    }
    case 'foreign': {
      const imei = args[0];
      const recs = await withExchange(ctx, (x) => x.foreignRecords(imei ? { imei } : {}));
      ctx.print(recs, () =>
        recs.map(
          (r) =>
            `${r.recordId} ${r.status} ${r.reason} reported ${r.reportingDate ?? '-'} (seq ${r.seq}, from ${r.peer}, key ${r.keyId}, trust ${r.trust})`,
        ),
      );
      return 0;
    }
    case 'notices': {
      const ns = await withExchange(ctx, (x) => x.receivedNotices());
      ctx.print(ns, () =>
        ns.map((n) => `${n.recordId} seen in ${n.seenIn} on ${n.seenOn} (from ${n.fromPeer})`),
      );
      return 0;
    }
    case 'notify':
      return notify(ctx);
    case 'export':
      return runExchangeExport(ctx, a);
    case 'import':
      return runExchangeImport(ctx, args, a);
    default:
      throw new UsageError(USAGE);
  }
}

/**
 * An exchange store that opens the store for each call and closes it after; a store held for a
 * moment by this CEIR's own endpoint (CEIR_ERR_BUSY) is waited for, up to about 30 s.
 */
function storePerCall(ctx: CliContext): ExchangeStore {
  const call = async (name: string, args: unknown[]): Promise<unknown> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const x = exchangeStoreOf(await ctx.openStore()) as unknown as Record<
          string,
          (...a: unknown[]) => Promise<unknown>
        >;
        return await x[name]!(...args);
      } catch (e) {
        if (!(e instanceof CeirFailure && e.error.code === 'CEIR_ERR_BUSY') || attempt >= 300)
          throw e;
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        await ctx.close();
      }
    }
  };
  return new Proxy({} as ExchangeStore, {
    get:
      (_t, name) =>
      (...args: unknown[]) =>
        call(String(name), args),
  });
}

async function pull(ctx: CliContext, a: ExchangeArgs): Promise<number> {
  const all = configuredPeers(ctx.config, ctx.configPath);
  const peers = a.peer ? all.filter((p) => p.peer === a.peer) : all;
  if (a.peer && peers.length === 0) throw new UsageError(`No peer "${a.peer}" in exchange.peers`);
  const pageSize = int('page-size', a.pageSize, ctx.config.exchange.page_size, 1_000_000) || 1;
  // The store is opened for each step only, so this CEIR's own endpoint keeps answering its
  // peers while the pull waits on the network.
  const x = storePerCall(ctx);
  await x.syncPeers(all);
  const outcomes: PullOutcome[] = [];
  for (const p of peers) {
    const o = await pullPeer(x, p, (url) => httpExchange('GET', url), {
      pageSize,
      onPage: (pg) =>
        ctx.io.err(
          `ceir exchange pull: ${p.peer} ${pg.kind} applied, ${pg.records} records, seq ${pg.toSeq}`,
        ),
    });
    outcomes.push(o);
  }
  ctx.print(
    outcomes.map((o) => (o.kind === 'ok' ? o : { ...o, error: formatError(o.error) })),
    () =>
      outcomes.map((o) =>
        o.kind === 'ok'
          ? `${o.peer}: ${o.records} records in ${o.pages} pages, now at seq ${o.cursor}`
          : `${o.peer}: REFUSED at seq ${o.cursor} (nothing of the batch applied): ${formatError(o.error)}`,
      ),
  );
  const refused = outcomes.find((o) => o.kind === 'refused');
  return refused && refused.kind === 'refused' ? ErrorCatalogue[refused.error.code].exit : 0;
}

async function notify(ctx: CliContext): Promise<number> {
  const country = ourCountry(ctx.config);
  const signer = countrySigner(ctx.dataDir);
  const peers = configuredPeers(ctx.config, ctx.configPath);
  const x = exchangeStoreOf(await ctx.openStore());
  const pending = await x.pendingNotices(country);
  const lines: string[] = [];
  let failed = 0;
  for (const p of peers) {
    const mine = pending.filter((n) => n.peer === p.peer);
    if (!mine.length) continue;
    const body = encodeNotices(country, mine, signer);
    const r = await httpExchange('POST', `${p.url.replace(/\/+$/, '')}${NOTICE_PATH}`, body);
    if (r.kind !== 'ok') {
      failed++;
      lines.push(
        `${p.peer}: ${mine.length} notices NOT sent (kept for the next run): ${formatError(r)}`,
      );
      continue;
    }
    await x.markNoticesSent(mine, new Date());
    lines.push(`${p.peer}: ${mine.length} owner notices sent`);
  }
  ctx.print({ pending: pending.length, failed }, () =>
    lines.length ? lines : ['no owner notice to send'],
  );
  return failed ? ErrorCatalogue.CEIR_ERR_PEER_DOWN.exit : 0;
}

async function serve(ctx: CliContext, a: ExchangeArgs): Promise<number> {
  const cfg = ctx.config.exchange;
  const country = ourCountry(ctx.config);
  const signer = countrySigner(ctx.dataDir);
  const senders = configuredPeers(ctx.config, ctx.configPath);
  let queue: Promise<unknown> = Promise.resolve();
  const withStore = <T>(fn: (x: ExchangeStore) => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      try {
        return await fn(exchangeStoreOf(await ctx.openStore()));
      } finally {
        await ctx.close();
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const handler = exchangeHandler({
    country,
    signer,
    maxPageSize: cfg.page_size,
    senders,
    withStore,
  });
  const server = createServer((req, res) => void handler(req, res));
  server.listen(int('port', a.port, cfg.port, 65535), a.host ?? cfg.host);
  await once(server, 'listening');
  const addr = server.address() as AddressInfo;
  ctx.io.out(
    `exchange endpoint of ${country} (key ${signer.keyId}) listening on http://${addr.address}:${addr.port}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await queue.catch(() => undefined);
  return 0;
}
