import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CeirFailure } from '../../../core/errors.js';
import { CliContext, type CliIo } from '../cli-context.js';
import { UsageError } from '../usage-error.js';
import { runKeys } from './keys.js';

function context(data: string, json = false) {
  const out: string[] = [];
  const io: CliIo = { interactive: false, out: (l) => out.push(l), err: (l) => out.push(l) };
  const ctx = CliContext.create({ data, json }, io);
  if (!(ctx instanceof CliContext)) throw new Error('demo config must load');
  return { ctx, out };
}

const data = mkdtempSync(join(tmpdir(), 'ceir-cli-keys-'));
const priv = join(data, 'keys', 'lists-ed25519.pem');
const pub = join(data, 'keys', 'lists-ed25519.pub.pem');

test('ceir keys show without a key tells how to make one', async () => {
  const { ctx } = context(data);
  await assert.rejects(
    runKeys(ctx, 'show'),
    (e: unknown) =>
      e instanceof CeirFailure &&
      e.error.code === 'CEIR_ERR_NOT_FOUND' &&
      /ceir keys generate/.test(e.message),
  );
});

test('ceir keys generate writes the pair; a second run refuses, --force replaces', async () => {
  const { ctx, out } = context(data);
  assert.equal(await runKeys(ctx, 'generate'), 0);
  assert.match(out[0]!, /^generated list signing key [0-9a-f]{16}$/);
  assert.equal(statSync(priv).mode & 0o777, 0o600);
  const first = readFileSync(priv);
  await assert.rejects(
    runKeys(ctx, 'generate'),
    (e: unknown) => e instanceof CeirFailure && /--force/.test(e.message),
  );
  assert.deepEqual(readFileSync(priv), first);
  assert.equal(await runKeys(ctx, 'generate', { force: true }), 0);
  assert.notDeepEqual(readFileSync(priv), first);
});

test('ceir keys show prints the public key PEM and key id (and --json)', async () => {
  const { ctx, out } = context(data);
  assert.equal(await runKeys(ctx, 'show'), 0);
  const text = out.join('\n');
  assert.match(text, /^# key id [0-9a-f]{16} /);
  assert.ok(text.endsWith(readFileSync(pub, 'utf8').trimEnd()));
  const j = context(data, true);
  assert.equal(await runKeys(j.ctx, 'show'), 0);
  const v = JSON.parse(j.out.join('\n')) as { key_id: string; public_key_pem: string };
  assert.equal(v.public_key_pem, readFileSync(pub, 'utf8'));
  assert.ok(text.includes(v.key_id));
});

test('ceir keys with another subcommand is a usage error', async () => {
  const { ctx } = context(data);
  await assert.rejects(runKeys(ctx, 'rotate'), UsageError);
  await assert.rejects(runKeys(ctx, undefined), UsageError);
});
