/**
 * `ceir serve` with the web UI on the API's own port (the `site` hook of peopleApiForServe):
 * over a real socket shared by the primary and a check worker, UI pages, the API and
 * /openapi.json all answer on one port, and the UI's check page and the API's public check give
 * the same status from the one copy of the check data.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../core/ports/store.js';
import { buildSnapshot } from '../../eir/build-snapshot.js';
import { CONTENT_SECURITY_POLICY } from '../../web/index.js';
import { ApiEnv, CLONE, ORDINARY, full } from './api-test-kit.js';
import { peopleApiForServe, type ServeApi } from './api-server.js';
import { withWebUi } from './web-server.js';

let env: ApiEnv;
let api: ServeApi;
let port = 0;
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
  api = peopleApiForServe(env.ctx, withStore, {
    host: '127.0.0.1',
    port: 0,
    checkWorkers: 1,
    site: (a) => withWebUi(a).site,
  });
  api.onSnapshot(path);
  port = (await api.start(async () => {})) ?? 0;
  assert.ok(port > 0);
});
after(async () => {
  await api.close();
  await env.close();
});

function get(
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((res, rej) => {
    const r = request({ host: '127.0.0.1', port, method: 'GET', path, agent: false }, (m) => {
      let text = '';
      m.on('data', (d: Buffer) => (text += d.toString()));
      m.on('end', () => res({ status: m.statusCode ?? 0, headers: m.headers, text }));
    });
    r.on('error', rej);
    r.end();
  });
}

test('UI pages, the API and /openapi.json on the API port, from either process', async () => {
  for (let i = 0; i < 10; i++) {
    const home = await get('/');
    assert.equal(home.status, 200);
    assert.match(String(home.headers['content-type']), /^text\/html/);
    assert.equal(home.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.match(home.text, /Check an IMEI before you buy/);
    const check = await get(`/api/v1/public/check?imei=${full(ORDINARY)}`);
    assert.equal(check.status, 200);
    assert.equal(JSON.parse(check.text).checks[0].status, 'allowed');
  }
  const doc = await get('/openapi.json');
  assert.equal(doc.status, 200);
  assert.ok(JSON.parse(doc.text).paths['/api/v1/regulator/rules']);
  const login = await get('/login');
  assert.equal(login.status, 200);
  assert.match(login.text, /name="_csrf"/);
});

test("the UI's check page and the API's public check agree (one copy of the check data)", async () => {
  const api = await get(`/api/v1/public/check?imei=${full(CLONE)}`);
  const block = JSON.parse(api.text).checks[0];
  assert.equal(block.status, 'pending');
  assert.match(block.block_date, /^\d{4}-\d{2}-\d{2}$/);
  const page = await get(`/check?imei=${full(CLONE)}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(block.block_date), `the page shows ${block.block_date}`);
});
