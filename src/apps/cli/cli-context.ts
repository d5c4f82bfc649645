/**
 * What every command shares: data directory, configuration, output mode, and the store.
 * `--data` (default `./data` or CEIR_DATA), `--config` (default `./ceir.yaml` or CEIR_CONFIG; the
 * shipped demo config when neither exists), `--json`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_CONFIG_PATH, loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/loader.js';
import { CeirFailure, ceirError, type CeirError } from '../../core/errors.js';
import type { Store } from '../../core/ports/store.js';
import { openSelectedStore, selectStore, type StoreSelection } from './store-selection.js';

export interface GlobalOptions {
  readonly data?: string;
  readonly config?: string;
  readonly json?: boolean;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
}

export const processIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

export class CliContext {
  private store: Store | undefined;

  constructor(
    readonly dataDir: string,
    readonly configPath: string,
    readonly config: Config,
    readonly json: boolean,
    readonly io: CliIo,
  ) {}

  static create(g: GlobalOptions, io: CliIo, env = process.env): CliContext | CeirError {
    const dataDir = resolve(g.data ?? env.CEIR_DATA ?? './data');
    const explicit = g.config ?? env.CEIR_CONFIG;
    const configPath = explicit ?? (existsSync('ceir.yaml') ? 'ceir.yaml' : DEMO_CONFIG_PATH);
    const config = loadConfig(configPath);
    if (config.kind !== 'ok') return config;
    return new CliContext(dataDir, configPath, config.value, Boolean(g.json), io);
  }

  /** The store of `store.kind` / CEIR_STORE (see store-selection.ts). */
  get storeSelection(): StoreSelection {
    return selectStore(this.config.store, this.dataDir);
  }

  get spoolDir(): string {
    return join(this.dataDir, 'tmp', 'spool');
  }

  /**
   * Opens the store. A new store is created at the latest schema; an older schema must be
   * migrated explicitly (`ceir db migrate`) unless `migrate` is set. `threads` overrides
   * `store.threads` (DuckDB) for this opening.
   */
  async openStore(opts: { migrate?: boolean; threads?: number } = {}): Promise<Store> {
    if (this.store) return this.store;
    const config = opts.threads
      ? { ...this.config.store, threads: opts.threads }
      : this.config.store;
    const store = await openSelectedStore(this.storeSelection, config);
    const status = await store.schemaStatus();
    if (status.current === 0 || opts.migrate) await store.migrate();
    else if (status.current < status.latest) {
      await store.close();
      throw new CeirFailure(
        ceirError(
          'CEIR_ERR_SCHEMA',
          `Store schema is version ${status.current}, this release needs ${status.latest}: run \`ceir db migrate\``,
        ),
      );
    }
    this.store = store;
    return store;
  }

  async close(): Promise<void> {
    await this.store?.close();
    this.store = undefined;
  }

  /** Prints a value as JSON (with --json) or the human lines. */
  print(value: unknown, human: () => string[]): void {
    if (this.json) this.io.out(JSON.stringify(value, null, 2));
    else for (const l of human()) this.io.out(l);
  }
}
