/**
 * A check worker of the people API (child process of `ceir serve`'s primary): it shares the API's
 * listening socket (handed over by the primary) and answers the public IMEI check from its own
 * memory (the served snapshot file and the block-date/TAC data the primary writes beside it),
 * with its own rate limiter; every other request (any login, any other route) is passed to the
 * primary's internal loopback port with the client's address, so the store stays in one process.
 */
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import { deserialize } from 'node:v8';
import { SECURITY_HEADERS, createApi, errorResponse } from '../../api/api-app.js';
import type { ApiDeps } from '../../api/api-deps.js';
import { httpHandler, send } from '../../api/http-adapter.js';
import { publicCheckBody } from '../../api/public-check.js';
import { RateLimiter } from '../../api/rate-limit.js';
import { ceirError } from '../../core/errors.js';
import { PUBLIC_ROUTES } from '../../api/routes-public.js';
import type { PublicCheckData } from '../../core/ports/people-queries.js';
import { readSnapshot } from '../../eir/snapshot-format.js';
import { PublicCheck } from './api-public-check.js';

export interface CheckWorkerSettings {
  readonly internalPort: number;
  readonly secret: string;
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
}

export type CheckWorkerMessage =
  | { readonly type: 'load'; readonly snapshot: string; readonly data: string }
  | { readonly type: 'stop' };

const CHECK_PATH = '/api/v1/public/check';

function main(): void {
  const s = JSON.parse(process.env.CEIR_API_WORKER ?? '{}') as CheckWorkerSettings;
  let check: PublicCheck | undefined;
  const unavailable = (): never => {
    throw new Error('not available in a check worker');
  };
  const deps = {
    settings: {
      rateLimit: s.rateLimit,
      otp: { digits: 6, ttlSeconds: 300, maxAttempts: 5, perMsisdnPerHour: 5 },
      sessionTtlSeconds: 0,
      secureCookies: false,
      operators: [],
    },
    store: unavailable,
    services: new Proxy({}, { get: () => unavailable }),
    check: () => check ?? unavailable(),
    sms: { send: unavailable },
    now: () => new Date(),
  } as unknown as ApiDeps;
  const local = httpHandler(createApi(deps, PUBLIC_ROUTES), 0);
  const limiter = new RateLimiter(s.rateLimit.perSecond, s.rateLimit.burst);
  const headers = { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' };

  /**
   * The plain public check (`imei`, optional `imei2`, nothing else) without the router and
   * validators: the same body, headers and rate limit as the route. Anything else: false.
   */
  const fast = (req: IncomingMessage, res: ServerResponse, query: string): boolean => {
    let imei: string | undefined;
    let imei2: string | undefined;
    for (const [k, v] of new URLSearchParams(query)) {
      if (k === 'imei' && imei === undefined) imei = v;
      else if (k === 'imei2' && imei2 === undefined) imei2 = v;
      else return false;
    }
    if (imei === undefined || imei.length > 40 || (imei2 !== undefined && imei2.length > 40))
      return false;
    const wait = limiter.take(req.socket.remoteAddress ?? 'unknown', Date.now());
    if (wait > 0) {
      const e = ceirError('CEIR_ERR_RATE_LIMITED', `Too many requests: retry in ${wait} s`);
      send(res, errorResponse(e, { 'retry-after': String(wait) }), false);
      return true;
    }
    const body = JSON.stringify(publicCheckBody(check!, imei, imei2));
    res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
    return true;
  };

  const proxy = (req: IncomingMessage, res: ServerResponse): void => {
    const out = request(
      {
        host: '127.0.0.1',
        port: s.internalPort,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          'x-ceir-client': req.socket.remoteAddress ?? 'unknown',
          'x-ceir-proxy': s.secret,
        },
      },
      (back) => {
        res.writeHead(back.statusCode ?? 502, back.headers);
        back.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"CEIR_ERR_INTERNAL","message":"The API primary did not answer"}}');
    });
    req.pipe(out);
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (
      check &&
      path === CHECK_PATH &&
      req.method === 'GET' &&
      req.headers.authorization === undefined &&
      req.headers.cookie === undefined
    ) {
      req.resume();
      if (!fast(req, res, q < 0 ? '' : url.slice(q + 1))) local(req, res);
    } else proxy(req, res);
  });

  process.on('message', (m: CheckWorkerMessage | 'server', handle?: NetServer) => {
    if (m === 'server' && handle) {
      handle.on('connection', (socket: Socket) => server.emit('connection', socket));
      return;
    }
    if (typeof m !== 'object') return;
    if (m.type === 'load')
      readSnapshot(m.snapshot).then(
        (snap) => {
          check = new PublicCheck(snap, deserialize(readFileSync(m.data)) as PublicCheckData);
          process.send?.({ type: 'loaded', version: check.version });
        },
        (e: unknown) => process.send?.({ type: 'load-failed', error: (e as Error).message }),
      );
    else if (m.type === 'stop') {
      server.close();
      server.closeAllConnections();
      process.disconnect?.();
      setTimeout(() => process.exit(0), 100).unref();
    }
  });
  // The primary is gone (stopped, or killed without a word): so is this worker.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready' });
}

main();
