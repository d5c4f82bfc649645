/**
 * The web UI inside `ceir serve` (`npm start`): its own listener on `api.port + 1` (8083 by
 * default; any free port with `--http-port 0`), serving the UI and, on the same origin, the API
 * (`/api/...`), built from the same wiring as the API's own port (api-wiring.ts: same store, same
 * sessions, same audit) with its check data following the snapshots serve publishes. (Once the
 * API's listener takes a `site` hook, the UI can share its port and its check data instead.)
 */
import { createPeopleApi } from '../../api/index.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { CliContext } from '../cli/cli-context.js';
import { peopleApiDeps, smsOutboxPath, type WithStore } from './api-wiring.js';
import { startWebServer, type WebServerHandle } from './web-server.js';

export interface ServeWebUi {
  onSnapshot(path: string): void;
  /** Loads the check data and listens; the UI's URL, undefined when the store is not DuckDB. */
  start(reload: () => Promise<unknown>): Promise<string | undefined>;
  close(): Promise<void>;
}

/** The UI's port: the API's plus one, or any free port when the API takes any free port. */
export const webPortFor = (apiPort: number): number => (apiPort === 0 ? 0 : apiPort + 1);

export function webUiForServe(
  ctx: CliContext,
  withStore: WithStore,
  o: { readonly host: string; readonly port: number },
): ServeWebUi {
  let reloadServe: (() => Promise<unknown>) | undefined;
  let loaded: Promise<void> | undefined;
  let site: WebServerHandle | undefined;
  const { deps, checks } = peopleApiDeps({
    ctx,
    withStore,
    reload: async () => {
      await reloadServe?.();
      await loaded;
    },
  });
  return {
    onSnapshot(path) {
      loaded = checks.loadFromFile(path).catch((e: unknown) => {
        ctx.io.err(`ceir serve: web UI check data not reloaded: ${(e as Error).message}`);
      });
    },
    async start(reload) {
      reloadServe = reload;
      if (!(await withStore(async (s) => s instanceof DuckDbStore))) return undefined;
      if (loaded) await loaded;
      try {
        checks.current();
      } catch {
        await checks.loadFromStore();
      }
      site = await startWebServer({ api: createPeopleApi(deps), host: o.host, port: o.port });
      return `${site.url}/`;
    },
    close: async () => site?.close(),
  };
}

/** What `ceir demo` prints about the UI (after the demo logins). */
export function webUiHint(ctx: CliContext): string[] {
  const url = `http://${ctx.config.server.host}:${webPortFor(ctx.config.api.port)}/`;
  return [
    '',
    `Web UI (after \`ceir serve\` starts): ${url}   (docs/web.md)`,
    `  anyone: check an IMEI at ${url}; staff: ${url}login with a demo login above;`,
    `  subscribers (report a theft, cases, pairing, appeal): the one-time code is in ${smsOutboxPath(ctx)}`,
  ];
}
