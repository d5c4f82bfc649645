import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { captureIo } from '../../testing/cli-test-kit.js';
import { CliContext } from './cli-context.js';

/** DuckDB's `threads` setting of the store `ctx` opens with `opts`. */
async function threadsOf(ctx: CliContext, opts: { threads?: number }): Promise<number> {
  const store = await ctx.openStore(opts);
  try {
    assert.ok(store instanceof DuckDbStore);
    const rows = await store.db.all(`SELECT current_setting('threads') AS t`);
    return Number(rows[0]!.t);
  } finally {
    await ctx.close();
  }
}

test('openStore: `threads` overrides store.threads for that opening only', async () => {
  const data = mkdtempSync(join(tmpdir(), 'ceir-ctx-'));
  try {
    const ctx = CliContext.create({ data }, captureIo(), {});
    assert.ok(ctx instanceof CliContext);
    const configured = ctx.config.store.threads;
    const other = configured === 1 ? 3 : 1;
    assert.equal(await threadsOf(ctx, {}), configured);
    assert.equal(await threadsOf(ctx, { threads: other }), other);
    assert.equal(await threadsOf(ctx, {}), configured);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});
