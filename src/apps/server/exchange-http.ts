/**
 * The exchange endpoint (docs/exchange.md "HTTP"), a node:http request handler served by
 * `ceir exchange serve`:
 *
 * - `GET /exchange/v1/info`: country, key id, head sequence (JSON);
 * - `GET /exchange/v1/feed?after=<seq>&limit=<n>`: a signed delta batch;
 * - `GET /exchange/v1/snapshot`: a signed snapshot batch of every active record;
 * - `POST /exchange/v1/notices`: a signed notice batch from a peer; stored, answered 202.
 *
 * The store is opened for each request only (one at a time), so the CLI can import and publish
 * while the endpoint runs; a busy store answers 503 with Retry-After.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CeirFailure, ErrorCatalogue, formatError, type CeirError } from '../../core/errors.js';
import type { ExchangeStore } from '../../core/ports/exchange-store.js';
import type { BatchSigner } from '../../exchange/batch-format.js';
import { BATCH_CONTENT_TYPE } from '../../exchange/http-client.js';
import { encodeDeltaBody, encodeSnapshot } from '../../exchange/feed-batch.js';
import { acceptNotices, NOTICE_PATH, type NoticeSender } from '../../exchange/owner-notice.js';
import { FEED_PATH, SNAPSHOT_PATH } from '../../exchange/pull.js';

export interface ExchangeHttpOptions {
  readonly country: string;
  readonly signer: BatchSigner;
  readonly maxPageSize: number;
  readonly senders: readonly NoticeSender[];
  /** Runs `fn` with the exchange store opened for it (serialised by the caller). */
  readonly withStore: <T>(fn: (x: ExchangeStore) => Promise<T>) => Promise<T>;
  readonly now?: () => Date;
}

const MAX_NOTICE_BYTES = 16 * 1024 * 1024;

function sendError(res: ServerResponse, e: CeirError): void {
  const status = ErrorCatalogue[e.code].http;
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(status === 503 ? { 'retry-after': '1' } : {}),
  });
  res.end(`${JSON.stringify({ code: e.code, message: formatError(e) })}\n`);
}

function sendBatch(res: ServerResponse, bytes: Buffer): void {
  res.writeHead(200, { 'content-type': BATCH_CONTENT_TYPE, 'content-length': bytes.length });
  res.end(bytes);
}

function count(v: string | null, fallback: number): number | undefined {
  if (v === null) return fallback;
  return /^[0-9]{1,15}$/.test(v) ? Number(v) : undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > MAX_NOTICE_BYTES) return undefined;
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

export function exchangeHandler(o: ExchangeHttpOptions) {
  const now = o.now ?? (() => new Date());
  const usage = (message: string) => ({
    kind: 'error' as const,
    code: 'CEIR_ERR_USAGE' as const,
    message,
  });
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/exchange/v1/info') {
        const head = await o.withStore((x) => x.feedHead());
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          `${JSON.stringify({ country: o.country, key_id: o.signer.keyId, head_seq: head })}\n`,
        );
      } else if (req.method === 'GET' && url.pathname === FEED_PATH) {
        const after = count(url.searchParams.get('after'), 0);
        const limit = count(url.searchParams.get('limit'), o.maxPageSize);
        if (after === undefined || limit === undefined || limit < 1)
          return sendError(res, usage('after and limit must be non-negative integers, limit >= 1'));
        const lines = await o.withStore((x) =>
          x.feedVersionLines(after, Math.min(limit, o.maxPageSize)),
        );
        sendBatch(res, encodeDeltaBody(o.country, after, lines, o.signer, now().toISOString()));
      } else if (req.method === 'GET' && url.pathname === SNAPSHOT_PATH) {
        const s = await o.withStore((x) => x.feedSnapshot());
        sendBatch(
          res,
          encodeSnapshot(o.country, s.headSeq, s.records, o.signer, now().toISOString()),
        );
      } else if (req.method === 'POST' && url.pathname === NOTICE_PATH) {
        const body = await readBody(req);
        if (!body)
          return sendError(res, usage(`A notice batch is at most ${MAX_NOTICE_BYTES} bytes`));
        const a = acceptNotices(body, o.country, o.senders, `POST ${NOTICE_PATH}`);
        if (a.kind !== 'ok') return sendError(res, a);
        const receivedAt = now().toISOString();
        await o.withStore((x) =>
          x.storeReceivedNotices(
            a.value.notices.map((n) => ({
              ...n,
              fromPeer: a.value.from.peer,
              keyId: a.value.keyId,
              receivedAt,
            })),
          ),
        );
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(`${JSON.stringify({ stored: a.value.notices.length })}\n`);
      } else {
        sendError(res, {
          kind: 'error',
          code: 'CEIR_ERR_NOT_FOUND',
          message: `No ${req.method} ${url.pathname}`,
        });
      }
    } catch (e) {
      if (e instanceof CeirFailure) return sendError(res, e.error);
      sendError(res, { kind: 'error', code: 'CEIR_ERR_INTERNAL', message: (e as Error).message });
    }
  };
}
