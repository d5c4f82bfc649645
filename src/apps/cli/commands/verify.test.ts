import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CeirFailure, ErrorCatalogue } from '../../../core/errors.js';
import { listKeyPaths, publicKeyPem, writeListKeyPair } from '../../../listgen/keys.js';
import { makeListDir } from '../../../listgen/test-fixtures.js';
import { CliContext, type CliIo } from '../cli-context.js';
import { UsageError } from '../usage-error.js';
import { runVerify } from './verify.js';

function context(data: string, json = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { interactive: false, out: (l) => out.push(l), err: (l) => err.push(l) };
  const ctx = CliContext.create({ data, json }, io);
  if (!(ctx instanceof CliContext)) throw new Error('demo config must load');
  return { ctx, out, err };
}

const lists = await makeListDir();
const data = mkdtempSync(join(tmpdir(), 'ceir-cli-verify-'));
writeListKeyPair(listKeyPaths(data), lists.keys);

test('ceir verify <dir> with the data dir key: valid, exit 0, every file listed', async () => {
  const { ctx, out } = context(data);
  assert.equal(await runVerify(ctx, [lists.dir]), 0);
  const text = out.join('\n');
  assert.match(text, /valid, signed by key [0-9a-f]{16}/);
  assert.match(text, /Testland, lists as of 2026-01-31, run 7 \(deltas against run 6\)/);
  for (const f of lists.files) assert.match(text, new RegExp(`ok  ${f.name}  ${f.rows} rows`));
});

test('ceir verify --public-key: an operator copy of the key; a wrong key fails', async () => {
  const copy = join(data, 'ceir-lists.pub.pem');
  writeFileSync(copy, publicKeyPem(lists.keys.publicKey));
  assert.equal(await runVerify(context(data).ctx, [lists.dir], { publicKey: copy }), 0);
  const { ctx, err } = context(mkdtempSync(join(tmpdir(), 'ceir-cli-verify-')));
  const other = await makeListDir();
  writeFileSync(copy, publicKeyPem(other.keys.publicKey));
  const code = await runVerify(ctx, [lists.dir], { publicKey: copy });
  assert.equal(code, ErrorCatalogue.CEIR_ERR_INPUT_FILE.exit);
  assert.match(err.join('\n'), /manifest\.sig: .*does not verify/);
});

test('ceir verify lists every problem on stderr and exits non-zero (--json too)', async () => {
  const broken = await makeListDir(lists.keys);
  appendFileSync(join(broken.dir, '20260131_blacklist.zip'), 'x');
  appendFileSync(join(broken.dir, '20260131_exceptions_alpha.zip'), 'x');
  const { ctx, out, err } = context(data);
  assert.notEqual(await runVerify(ctx, [broken.dir]), 0);
  assert.match(out.join('\n'), /INVALID, \d+ problem/);
  assert.match(err.join('\n'), /20260131_blacklist\.zip.*SHA-256/);
  assert.match(err.join('\n'), /20260131_exceptions_alpha\.zip.*SHA-256/);
  const j = context(data, true);
  assert.notEqual(await runVerify(j.ctx, [broken.dir]), 0);
  const v = JSON.parse(j.out.join('\n')) as { valid: boolean; problems: { text: string }[] };
  assert.equal(v.valid, false);
  assert.ok(v.problems.length >= 2);
});

test('ceir verify needs one dir and a public key', async () => {
  await assert.rejects(runVerify(context(data).ctx, []), UsageError);
  const empty = context(mkdtempSync(join(tmpdir(), 'ceir-cli-verify-')));
  await assert.rejects(
    runVerify(empty.ctx, [lists.dir]),
    (e: unknown) => e instanceof CeirFailure && e.error.code === 'CEIR_ERR_NOT_FOUND',
  );
});
