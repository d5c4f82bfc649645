/**
 * Our HTTP/2 server against node's client (nghttp2, an independent implementation): many
 * concurrent streams, flow control under a tiny client window, PING, client resets, GOAWAY on a
 * graceful close, refused streams over the concurrency limit, a request body, HEAD, TLS with
 * ALPN h2, and the socket limits: preface timeout, idle timeout, a peer that does not read.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CLIENT_PREFACE,
  DEFAULT_WINDOW,
  Flag,
  FrameType,
  MAX_WINDOW,
  Setting,
  encodeFrame,
} from './frame.js';
import { encodeHeaderFields, encodeResponseHeaders } from './hpack-encoder.js';
import { createHttp2SocketServer, type Http2SocketServerOptions } from './socket-server.js';
import { SKIP_NO_OPENSSL, selfSignedCertificate } from './tls-test-kit.js';

const BODY = Buffer.from('x'.repeat(1000));
const BLOCK = encodeResponseHeaders(200, [
  ['content-type', 'text/plain'],
  ['content-length', String(BODY.length)],
]);

const EMPTY = encodeResponseHeaders(200);

type Opts = Omit<Http2SocketServerOptions, 'onRequest'> &
  Partial<Pick<Http2SocketServerOptions, 'onRequest'>>;

async function withServer(
  o: Opts,
  fn: (client: http2.ClientHttp2Session, port: number) => Promise<void>,
  connect: http2.SecureClientSessionOptions = {},
): Promise<void> {
  const { server, connections } = createHttp2SocketServer({
    onRequest: (c, id, head) =>
      head.path === '/empty' ? c.respond(id, EMPTY) : c.respond(id, BLOCK, BODY),
    ...o,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const client = http2.connect(`${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`, connect);
  client.on('error', () => {});
  try {
    await fn(client, port);
  } finally {
    client.destroy();
    for (const c of connections) c.destroy();
    await new Promise((r) => server.close(r));
  }
}

function get(
  client: http2.ClientHttp2Session,
  path = '/',
  method = 'GET',
  body?: Buffer,
): Promise<{ status: number; body: Buffer; rst: number }> {
  return new Promise((resolve) => {
    const req = client.request(
      { ':method': method, ':path': path },
      { endStream: body === undefined },
    );
    if (body !== undefined) req.end(body);
    let status = 0;
    const chunks: Buffer[] = [];
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('close', () => resolve({ status, body: Buffer.concat(chunks), rst: req.rstCode ?? -1 }));
    req.on('error', () => {}); // a reset stream: its rstCode tells
  });
}

describe('HTTP/2 socket server with node http2 client', () => {
  it('answers 500 concurrent streams on one connection', async () => {
    await withServer({ maxConcurrentStreams: 1000 }, async (c) => {
      const rs = await Promise.all(Array.from({ length: 500 }, () => get(c)));
      assert.ok(rs.every((r) => r.status === 200 && r.body.equals(BODY)));
    });
  });

  it('sends whole bodies through a 10-byte client window (and a 16-byte one changed later)', async () => {
    await withServer(
      {},
      async (c) => {
        const rs = await Promise.all(Array.from({ length: 20 }, () => get(c)));
        assert.ok(rs.every((r) => r.status === 200 && r.body.equals(BODY)));
        c.settings({ initialWindowSize: 16 });
        const r = await get(c);
        assert.ok(r.body.equals(BODY));
      },
      { settings: { initialWindowSize: 10 } },
    );
  });

  it('answers PING, and HEAD without content, and a header-only answer', async () => {
    await withServer({}, async (c) => {
      if (c.connecting) await new Promise((r) => c.once('connect', r));
      const payload = Buffer.from('12345678');
      const echoed = await new Promise<Buffer>((res, rej) =>
        c.ping(payload, (err, _ms, p) => (err ? rej(err) : res(p))),
      );
      assert.ok(echoed.equals(payload));
      const head = await get(c, '/', 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      const empty = await get(c, '/empty');
      assert.equal(empty.status, 200);
      assert.equal(empty.body.length, 0);
    });
  });

  it('reads and drops a request body larger than the windows, answering after it', async () => {
    const big = Buffer.alloc(300_000, 1);
    await withServer({}, async (c) => {
      const r = await get(c, '/', 'POST', big);
      assert.equal(r.status, 200);
      assert.ok(r.body.equals(BODY));
    });
  });

  it('hears a client reset and closes the stream; later answers are refused', async () => {
    const held: { respond: () => boolean }[] = [];
    const closed: number[] = [];
    await withServer(
      {
        onRequest: (conn, id) => held.push({ respond: () => conn.respond(id, BLOCK, BODY) }),
        onStreamClose: (_c, id) => closed.push(id),
      },
      async (c) => {
        const req = c.request({ ':path': '/' });
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(held.length, 1);
        req.close(http2.constants.NGHTTP2_CANCEL);
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(closed, [1]);
        assert.equal(held[0]!.respond(), false);
      },
    );
  });

  it('refuses streams over SETTINGS_MAX_CONCURRENT_STREAMS with REFUSED_STREAM', async () => {
    const held: (() => boolean)[] = [];
    await withServer(
      {
        maxConcurrentStreams: 2,
        onRequest: (conn, id) => held.push(() => conn.respond(id, BLOCK, BODY)),
      },
      async (c) => {
        // Before the client knows our limit it may open more: the third is refused.
        const rs = [get(c), get(c), get(c)];
        await new Promise((r) => setTimeout(r, 100));
        for (const h of held) h();
        const out = await Promise.all(rs);
        assert.equal(out.filter((r) => r.status === 200).length, 2);
        assert.ok(
          out.some((r) => r.rst === http2.constants.NGHTTP2_REFUSED_STREAM) || held.length === 3,
        );
      },
    );
  });

  it('on a graceful close sends GOAWAY, answers the open stream, then ends', async () => {
    let answer: (() => void) | undefined;
    const { server, connections } = createHttp2SocketServer({
      onRequest: (conn, id) => (answer = () => void conn.respond(id, BLOCK, BODY)),
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = http2.connect(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    try {
      const pending = get(c);
      await new Promise((r) => setTimeout(r, 50));
      const goaway = new Promise<number>((res) => c.once('goaway', (code) => res(code)));
      for (const conn of connections) conn.goaway();
      assert.equal(await goaway, 0);
      answer!();
      const r = await pending;
      assert.equal(r.status, 200);
      assert.ok(r.body.equals(BODY));
      await new Promise((r) => c.once('close', r));
    } finally {
      c.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  it('speaks h2 over TLS chosen by ALPN', async (t) => {
    const tls = selfSignedCertificate();
    if (!tls) return t.skip(SKIP_NO_OPENSSL);
    await withServer(
      { tls },
      async (c) => {
        const res = await get(c);
        assert.equal(res.status, 200);
        assert.ok(res.body.equals(BODY));
        assert.equal(c.alpnProtocol, 'h2');
      },
      { ca: tls.cert },
    );
  });

  it('drops a connection whose preface does not come in time, keeps one whose did', async () => {
    await withServer({ prefaceTimeoutMs: 150 }, async (c, port) => {
      const silent = net.connect(port, '127.0.0.1');
      silent.on('error', () => {});
      silent.resume(); // reads our SETTINGS, so that the end of the socket is seen
      const t0 = performance.now();
      await within(once(silent, 'close'), 5000, 'the silent socket closed');
      const waited = performance.now() - t0;
      assert.ok(waited >= 100 && waited < 5000, `closed after ${waited.toFixed(0)} ms`);
      await delay(300);
      assert.equal((await get(c)).status, 200, 'the client that sent its preface is served');
    });
  });

  it('an idle connection gets a graceful GOAWAY', async () => {
    await withServer({ idleTimeoutMs: 200 }, async (c) => {
      assert.equal((await get(c)).status, 200);
      const [code] = (await within(once(c, 'goaway'), 5000, 'GOAWAY')) as [number];
      assert.equal(code, 0, 'NO_ERROR');
    });
  });

  it('drops a peer that does not read once its unwritten bytes pass maxQueuedBytes', async () => {
    const big = Buffer.alloc(100_000, 0x61);
    const block = encodeResponseHeaders(200, [['content-length', String(big.length)]]);
    const { server, connections } = createHttp2SocketServer({
      maxQueuedBytes: 64 * 1024,
      onRequest: (c, id) => c.respond(id, block, big),
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const raw = net.connect(port, '127.0.0.1');
    raw.on('error', () => {});
    try {
      await once(raw, 'connect');
      raw.pause(); // never reads what the server sends
      // Windows as large as they go, then 200 requests of 100 kB answers: 20 MB to send.
      const settings = Buffer.alloc(6);
      settings.writeUInt16BE(Setting.INITIAL_WINDOW_SIZE, 0);
      settings.writeUInt32BE(MAX_WINDOW, 2);
      const inc = Buffer.alloc(4);
      inc.writeUInt32BE(MAX_WINDOW - DEFAULT_WINDOW, 0);
      const frames = [
        CLIENT_PREFACE,
        encodeFrame(FrameType.SETTINGS, 0, 0, settings),
        encodeFrame(FrameType.WINDOW_UPDATE, 0, 0, inc),
      ];
      const request = encodeHeaderFields([
        [':method', 'GET'],
        [':scheme', 'http'],
        [':authority', '127.0.0.1'],
        [':path', '/big'],
      ]);
      for (let i = 0; i < 200; i++) {
        const flags = Flag.END_HEADERS | Flag.END_STREAM;
        frames.push(encodeFrame(FrameType.HEADERS, flags, 2 * i + 1, request));
      }
      raw.write(Buffer.concat(frames));
      assert.equal(await until(() => connections.size === 0, 10_000), true, 'connection dropped');
    } finally {
      raw.destroy();
      for (const c of connections) c.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});

/** `p`, or a failure naming `what` after `ms` (a test that would hang fails instead). */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `cond` every 20 ms for up to `ms`; whether it became true. */
async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (cond()) return true;
    await delay(20);
  }
  return cond();
}
