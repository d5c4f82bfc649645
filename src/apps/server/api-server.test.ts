/**
 * The API as `ceir serve` runs it: over a real socket on loopback, the primary and a check worker
 * process sharing the port; public checks answered (by whichever process takes the connection),
 * logins and other routes reach the primary; a client cannot forge its address.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OpenApiValidator } from '../../api/openapi-validator.js';
import type { Store } from '../../core/ports/store.js';
import { buildSnapshot } from '../../eir/build-snapshot.js';
import { ApiEnv, CLONE, ORDINARY, PASSWORD, full } from './api-test-kit.js';
import { peopleApiForServe, type ServeApi } from './api-server.js';

let env: ApiEnv;
let api: ServeApi;
let port = 0;
let validator: OpenApiValidator;
before(async () => {
  env = await new ApiEnv().setUp();
  const path = join(env.data, 'snapshots', 'current.ceirsnap');
  let queue: Promise<unknown> = Promise.resolve();
  const withStore = <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
    const run = queue.then(async () => fn(await env.ctx.openStore()));
    queue = run.catch(() => undefined);
    return run;
  };
  mkdirSync(join(env.data, 'snapshots'), { recursive: true });
  await withStore((s) => buildSnapshot(s, path));
  api = peopleApiForServe(env.ctx, withStore, { host: '127.0.0.1', port: 0, checkWorkers: 1 });
  api.onSnapshot(path);
  port = (await api.start(async () => {})) ?? 0;
  assert.ok(port > 0);
  validator = new OpenApiValidator(env.api.openapi);
});
after(async () => {
  await api.close();
  await env.close();
});

// Response bodies are read freely here; the in-process tests check them against the document.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

function http(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; type: string; json: Body }> {
  return new Promise((res, rej) => {
    const r = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (m) => {
      let text = '';
      m.on('data', (d: Buffer) => (text += d.toString()));
      m.on('end', () =>
        res({
          status: m.statusCode ?? 0,
          type: String(m.headers['content-type']),
          json: text ? JSON.parse(text) : null,
        }),
      );
    });
    r.on('error', rej);
    r.end(body);
  });
}

test('public checks over loopback, answered by the primary or the check worker alike', async () => {
  for (let i = 0; i < 40; i++) {
    const r = await http('GET', `/api/v1/public/check?imei=${full(i % 2 ? CLONE : ORDINARY)}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.checks[0].status, i % 2 ? 'pending' : 'allowed');
    const v = validator.response('GET', '/api/v1/public/check', r.status, r.type, r.json);
    assert.ok(v.ok, v.errors.join('; '));
  }
});

test('logins and other routes reach the primary; a forged client address is ignored', async () => {
  const login = await http(
    'POST',
    '/api/v1/auth/login',
    { 'content-type': 'application/json', 'x-ceir-client': '6.6.6.6', 'x-ceir-proxy': 'guess' },
    JSON.stringify({ username: 'regulator1', password: PASSWORD }),
  );
  assert.equal(login.status, 200);
  for (let i = 0; i < 10; i++) {
    const d = await http('GET', '/api/v1/regulator/dashboard', {
      authorization: `Bearer ${login.json.token}`,
    });
    assert.equal(d.status, 200);
  }
  const audit = await http('GET', '/api/v1/regulator/audit?action=login', {
    authorization: `Bearer ${login.json.token}`,
  });
  assert.ok(audit.json.entries.length >= 1);
  assert.ok(audit.json.entries.every((e: { source: string }) => e.source !== '6.6.6.6'));
  const doc = await http('GET', '/openapi.json');
  assert.ok(doc.json.paths['/api/v1/police/trace/{imei}'], 'the full document, from the primary');
});
