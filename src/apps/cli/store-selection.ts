/**
 * Which store the commands use (docs/scale.md): `store.kind` in the config, `duckdb` (embedded,
 * one file under the data directory; the default) or `postgres` (`store.url`); the environment
 * overrides both with CEIR_STORE=duckdb|postgres and CEIR_PG_URL.
 */
import type { Config } from '../../config/loader.js';
import { CeirFailure, ceirError } from '../../core/errors.js';
import type { Store } from '../../core/ports/store.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { safeUrl } from '../../store/postgres/pg-database.js';
import { PgStore } from '../../store/postgres/pg-store.js';

export type StoreSelection =
  | { readonly kind: 'duckdb'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** The configured store, environment first; a CEIR_ERR_CONFIG failure when incomplete. */
export function selectStore(
  config: Config['store'],
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): StoreSelection {
  const kind = env.CEIR_STORE ?? config.kind;
  if (kind === 'duckdb') return { kind, dataDir };
  if (kind !== 'postgres')
    throw new CeirFailure(
      ceirError('CEIR_ERR_CONFIG', `CEIR_STORE must be duckdb or postgres, got "${kind}"`),
    );
  const url = env.CEIR_PG_URL ?? config.url;
  if (!url)
    throw new CeirFailure(
      ceirError(
        'CEIR_ERR_CONFIG',
        'The postgres store needs a URL: set store.url in the config or CEIR_PG_URL (postgres://user@host:5432/database)',
      ),
    );
  return { kind, url };
}

/** How a selection is shown to people (no password). */
export function describeStore(s: StoreSelection): string {
  return s.kind === 'duckdb' ? `DuckDB at ${s.dataDir}` : `PostgreSQL at ${safeUrl(s.url)}`;
}

/** Opens the selected store (not migrated). */
export function openSelectedStore(s: StoreSelection, config: Config['store']): Promise<Store> {
  return s.kind === 'duckdb'
    ? DuckDbStore.open({
        dataDir: s.dataDir,
        memoryLimit: config.memory_limit,
        threads: config.threads,
      })
    : PgStore.open({ url: s.url });
}
