import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreContract } from '../contract.js';
import { DuckDbStore } from './duckdb-store.js';

const dir = mkdtempSync(join(tmpdir(), 'ceir-duckdb-'));
runStoreContract('duckdb', () =>
  DuckDbStore.open({ dataDir: dir, memoryLimit: '256MB', threads: 1 }),
);
