/**
 * The pure connection fed raw frames (RFC 9113): preface and SETTINGS rules, stream-id rules,
 * header validation (§8.2, §8.3), CONTINUATION (§6.10), error codes (§7), an early answer to a
 * request with a body (§8.1), and the abuse bounds (rapid reset, PING flood, CONTINUATION flood,
 * header list size, concurrent streams).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_PREFACE, ErrorCode, Flag, FrameType, encodeFrame, readUint32 } from './frame.js';
import { FrameReader } from './frame-reader.js';
import { encodeHeaderFields, encodeResponseHeaders } from './hpack-encoder.js';
import type { Http2ConnectionLimits } from './connection-options.js';
import { ServerConnection } from './server-connection.js';

interface Out {
  type: number;
  flags: number;
  id: number;
  p: Buffer;
}

function setup(limits?: Http2ConnectionLimits, answer = true) {
  const requests: { id: number; method: string; path: string }[] = [];
  const closedStreams: number[] = [];
  let closed = false;
  const conn: ServerConnection = new ServerConnection(
    {
      onRequest: (id, head) => {
        requests.push({ id, method: head.method, path: head.path });
        if (answer) conn.respond(id, encodeResponseHeaders(200), Buffer.from('ok'));
      },
      onStreamClose: (id) => closedStreams.push(id),
      onOutput: () => {},
      onClose: () => (closed = true),
    },
    limits,
  );
  const frames: Out[] = [];
  const reader = new FrameReader(
    1 << 24,
    (type, flags, id, p) => frames.push({ type, flags, id, p: Buffer.from(p) }),
    () => {},
  );
  const drain = (): Out[] => {
    const b = conn.takeOutput();
    if (b) reader.push(b);
    return frames.splice(0);
  };
  const send = (...bs: Buffer[]): Out[] => {
    conn.receive(Buffer.concat(bs));
    return drain();
  };
  return { conn, requests, closedStreams, isClosed: () => closed, send, drain };
}

const SETTINGS = encodeFrame(FrameType.SETTINGS, 0, 0);
const GET: [string, string][] = [
  [':method', 'GET'],
  [':scheme', 'http'],
  [':path', '/x'],
  [':authority', 'a'],
];

function headers(
  id: number,
  fields: [string, string][] = GET,
  flags = Flag.END_HEADERS | Flag.END_STREAM,
): Buffer {
  return encodeFrame(FrameType.HEADERS, flags, id, encodeHeaderFields(fields));
}

function started(limits?: Http2ConnectionLimits, answer = true) {
  const t = setup(limits, answer);
  const first = t.send(CLIENT_PREFACE, SETTINGS);
  assert.equal(first[0]!.type, FrameType.SETTINGS); // our preface
  assert.ok(first.some((f) => f.type === FrameType.SETTINGS && f.flags === Flag.ACK));
  return t;
}

function goawayCode(fs: Out[]): number | undefined {
  const g = fs.find((f) => f.type === FrameType.GOAWAY);
  return g === undefined ? undefined : readUint32(g.p, 4);
}

function rstCode(fs: Out[], id: number): number | undefined {
  const r = fs.find((f) => f.type === FrameType.RST_STREAM && f.id === id);
  return r === undefined ? undefined : readUint32(r.p, 0);
}

describe('HTTP/2 server connection', () => {
  it('answers a request with HEADERS and DATA (END_STREAM), split anywhere', () => {
    const t = setup();
    const bytes = Buffer.concat([CLIENT_PREFACE, SETTINGS, headers(1)]);
    for (let i = 0; i < bytes.length; i += 7) t.conn.receive(bytes.subarray(i, i + 7));
    const fs = t.drain();
    assert.deepEqual(t.requests, [{ id: 1, method: 'GET', path: '/x' }]);
    const h = fs.find((f) => f.type === FrameType.HEADERS)!;
    assert.equal(h.p.toString('hex'), '88');
    const d = fs.find((f) => f.type === FrameType.DATA)!;
    assert.equal(d.flags, Flag.END_STREAM);
    assert.equal(d.p.toString(), 'ok');
    assert.deepEqual(t.closedStreams, [1]);
  });

  it('rejects a wrong preface and a first frame other than SETTINGS (PROTOCOL_ERROR)', () => {
    assert.equal(
      goawayCode(setup().send(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n'))),
      ErrorCode.PROTOCOL_ERROR,
    );
    const t = setup();
    assert.equal(goawayCode(t.send(CLIENT_PREFACE, headers(1))), ErrorCode.PROTOCOL_ERROR);
    assert.ok(t.isClosed());
  });

  it('enforces stream-id rules: even ids and frames on idle streams are connection errors', () => {
    assert.equal(goawayCode(started().send(headers(2))), ErrorCode.PROTOCOL_ERROR);
    const t = started();
    assert.equal(
      goawayCode(t.send(encodeFrame(FrameType.DATA, 0, 5, Buffer.from('x')))),
      ErrorCode.PROTOCOL_ERROR,
    );
    const u = started();
    assert.equal(
      goawayCode(u.send(encodeFrame(FrameType.RST_STREAM, 0, 3, Buffer.alloc(4)))),
      ErrorCode.PROTOCOL_ERROR,
    );
  });

  it('answers PING with an ACK of the same payload, ignores PRIORITY and unknown types', () => {
    const t = started();
    const fs = t.send(
      encodeFrame(FrameType.PRIORITY, 0, 1, Buffer.alloc(5)),
      encodeFrame(0x42, 0, 0, Buffer.from('junk')),
      encodeFrame(FrameType.PING, 0, 0, Buffer.from('abcdefgh')),
    );
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.flags, Flag.ACK);
    assert.equal(fs[0]!.p.toString(), 'abcdefgh');
  });

  it('resets malformed requests with PROTOCOL_ERROR (§8.2, §8.3)', () => {
    const bad: [string, string][][] = [
      [...GET, ['X-Upper', 'v']],
      [...GET, ['connection', 'close']],
      [...GET, ['te', 'gzip']],
      [['x', 'y'], ...GET],
      [
        [':method', 'GET'],
        [':scheme', 'http'],
      ],
      [...GET, [':path', '/again']],
      [...GET, ['x', 'a\nb']],
    ];
    const t = started();
    bad.forEach((fields, i) =>
      assert.equal(
        rstCode(t.send(headers(1 + 2 * i, fields)), 1 + 2 * i),
        ErrorCode.PROTOCOL_ERROR,
      ),
    );
    assert.equal(t.requests.length, 0);
  });

  it('decodes a header block spread over CONTINUATION frames; anything between is an error', () => {
    const block = encodeHeaderFields(GET);
    const t = started();
    t.send(
      encodeFrame(FrameType.HEADERS, Flag.END_STREAM, 1, block.subarray(0, 3)),
      encodeFrame(FrameType.CONTINUATION, 0, 1, block.subarray(3, 6)),
      encodeFrame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, block.subarray(6)),
    );
    assert.equal(t.requests.length, 1);
    const u = started();
    const fs = u.send(
      encodeFrame(FrameType.HEADERS, Flag.END_STREAM, 1, block.subarray(0, 3)),
      encodeFrame(FrameType.PING, 0, 0, Buffer.alloc(8)),
    );
    assert.equal(goawayCode(fs), ErrorCode.PROTOCOL_ERROR);
  });

  it('bounds CONTINUATION floods, rapid resets and PING floods (ENHANCE_YOUR_CALM)', () => {
    const c = started();
    const cont = encodeFrame(FrameType.CONTINUATION, 0, 1);
    const fs = c.send(
      encodeFrame(FrameType.HEADERS, 0, 1, Buffer.alloc(0)),
      ...Array<Buffer>(40).fill(cont),
    );
    assert.equal(goawayCode(fs), ErrorCode.ENHANCE_YOUR_CALM);

    const r = started(undefined, false);
    const pairs: Buffer[] = [];
    for (let id = 1; id < 2 * 1100; id += 2)
      pairs.push(headers(id), encodeFrame(FrameType.RST_STREAM, 0, id, Buffer.from([0, 0, 0, 8])));
    assert.equal(goawayCode(r.send(...pairs)), ErrorCode.ENHANCE_YOUR_CALM);
    assert.ok(r.requests.length >= 1000 && r.requests.length < 1100);

    const p = started();
    const pings = Array<Buffer>(1100).fill(encodeFrame(FrameType.PING, 0, 0, Buffer.alloc(8)));
    assert.equal(goawayCode(p.send(...pings)), ErrorCode.ENHANCE_YOUR_CALM);
  });

  it('refuses streams over the concurrency limit and answers 431 over the header list size', () => {
    const t = started({ maxConcurrentStreams: 2, maxHeaderListSize: 200 }, false);
    const fs = t.send(headers(1), headers(3), headers(5));
    assert.equal(rstCode(fs, 5), ErrorCode.REFUSED_STREAM);
    assert.equal(t.requests.length, 2);
    const u = started({ maxHeaderListSize: 200 }, false);
    const big = u.send(headers(7, [...GET, ['x', 'y'.repeat(300)]]));
    assert.equal(u.requests.length, 0);
    const h = big.find((f) => f.type === FrameType.HEADERS && f.id === 7);
    assert.equal(h?.p.toString('latin1'), '\x08\x03431');
  });

  it('answers a request whose body is still coming, then resets it with NO_ERROR (§8.1)', () => {
    const t = started();
    const post: [string, string][] = [[':method', 'POST'], ...GET.slice(1)];
    const fs = t.send(headers(1, post, Flag.END_HEADERS));
    assert.equal(t.requests[0]?.method, 'POST');
    assert.equal(rstCode(fs, 1), ErrorCode.NO_ERROR);
    // DATA still in flight for the closed stream is dropped, its credit given back.
    const more = t.send(
      encodeFrame(FrameType.DATA, 0, 1, Buffer.alloc(16_384)),
      encodeFrame(FrameType.DATA, 0, 1, Buffer.alloc(16_384)),
    );
    assert.ok(more.some((f) => f.type === FrameType.WINDOW_UPDATE && f.id === 0));
    assert.equal(t.isClosed(), false);
  });

  it('holds DATA while the window is short and sends it on WINDOW_UPDATE', () => {
    const small = encodeFrame(FrameType.SETTINGS, 0, 0, Buffer.from([0, 4, 0, 0, 0, 1]));
    const t = setup();
    const fs = t.send(CLIENT_PREFACE, small, headers(1));
    const data = fs.filter((f) => f.type === FrameType.DATA);
    assert.deepEqual(
      data.map((d) => d.p.toString()),
      ['o'],
    );
    assert.deepEqual(t.closedStreams, []);
    const rest = t.send(encodeFrame(FrameType.WINDOW_UPDATE, 0, 1, Buffer.from([0, 0, 0, 5])));
    assert.deepEqual(
      rest.map((d) => [d.p.toString(), d.flags]),
      [['k', Flag.END_STREAM]],
    );
    assert.deepEqual(t.closedStreams, [1]);
  });

  it('maps malformed control frames to their error codes', () => {
    const cases: [Buffer, number][] = [
      [encodeFrame(FrameType.SETTINGS, 0, 0, Buffer.alloc(5)), ErrorCode.FRAME_SIZE_ERROR],
      [encodeFrame(FrameType.SETTINGS, 0, 1), ErrorCode.PROTOCOL_ERROR],
      [
        encodeFrame(FrameType.SETTINGS, 0, 0, Buffer.from([0, 5, 0, 0, 0, 1])),
        ErrorCode.PROTOCOL_ERROR,
      ],
      [
        encodeFrame(FrameType.SETTINGS, 0, 0, Buffer.from([0, 4, 0x80, 0, 0, 0])),
        ErrorCode.FLOW_CONTROL_ERROR,
      ],
      [encodeFrame(FrameType.PING, 0, 0, Buffer.alloc(7)), ErrorCode.FRAME_SIZE_ERROR],
      [encodeFrame(FrameType.WINDOW_UPDATE, 0, 0, Buffer.alloc(4)), ErrorCode.PROTOCOL_ERROR],
      [
        encodeFrame(FrameType.WINDOW_UPDATE, 0, 0, Buffer.from([0x7f, 0xff, 0xff, 0xff])),
        ErrorCode.FLOW_CONTROL_ERROR,
      ],
      [encodeFrame(FrameType.PUSH_PROMISE, 0, 1, Buffer.alloc(4)), ErrorCode.PROTOCOL_ERROR],
      [
        encodeFrame(FrameType.HEADERS, Flag.END_HEADERS, 1, Buffer.from([0x80])),
        ErrorCode.COMPRESSION_ERROR,
      ],
      [encodeFrame(FrameType.DATA, 0, 1, Buffer.alloc(16_385)), ErrorCode.FRAME_SIZE_ERROR],
    ];
    for (const [frame, code] of cases)
      assert.equal(goawayCode(started().send(frame)), code, frame.subarray(0, 9).toString('hex'));
  });

  it('graceful GOAWAY: open streams finish, later ones are ignored, then it closes', () => {
    const t = started(undefined, false);
    t.send(headers(1));
    t.conn.goaway();
    const fs = t.drain();
    assert.equal(goawayCode(fs), ErrorCode.NO_ERROR);
    assert.equal(readUint32(fs.find((f) => f.type === FrameType.GOAWAY)!.p, 0), 1);
    t.send(headers(3));
    assert.equal(t.requests.length, 1);
    assert.equal(t.isClosed(), false);
    t.conn.respond(1, encodeResponseHeaders(204));
    assert.equal(t.isClosed(), true);
  });
});
