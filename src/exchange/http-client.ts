/**
 * The exchange's HTTP client (node:http / node:https): GET a batch, POST a notice batch. A
 * connection failure, a timeout or a non-2xx answer is `CEIR_ERR_PEER_DOWN` naming the URL.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ceirError, ok, type Result } from '../core/errors.js';

export const BATCH_CONTENT_TYPE = 'application/vnd.openceir.exchange-batch';

/**
 * Fetches `url` with `method`; the answer body whole. A 503 (the peer's store is busy for a
 * moment) is retried after its Retry-After (at most 1 s) up to `retries` times.
 */
export async function httpExchange(
  method: 'GET' | 'POST',
  url: string,
  body?: Buffer,
  timeoutMs = 60_000,
  retries = 30,
): Promise<Result<Buffer>> {
  for (let i = 0; ; i++) {
    const r = await httpOnce(method, url, body, timeoutMs);
    if (r.kind === 'ok' || r.status !== 503 || i >= retries) return r.result;
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 1000 * r.retryAfter)));
  }
}

type Answer =
  | { kind: 'ok'; result: Result<Buffer> }
  | { kind: 'error'; status: number; retryAfter: number; result: Result<Buffer> };

function httpOnce(
  method: 'GET' | 'POST',
  url: string,
  body: Buffer | undefined,
  timeoutMs: number,
): Promise<Answer> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      resolve({
        kind: 'error',
        status: 0,
        retryAfter: 0,
        result: ceirError('CEIR_ERR_CONFIG', `Not a URL: ${url}`),
      });
      return;
    }
    const down = (why: string, status = 0, retryAfter = 1) =>
      resolve({
        kind: 'error',
        status,
        retryAfter,
        result: ceirError('CEIR_ERR_PEER_DOWN', `${method} ${url}: ${why}`),
      });
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      u,
      {
        method,
        timeout: timeoutMs,
        headers: body
          ? { 'content-type': BATCH_CONTENT_TYPE, 'content-length': body.length }
          : { accept: BATCH_CONTENT_TYPE },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => down(e.message));
        res.on('end', () => {
          const data = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ kind: 'ok', result: ok(data) });
          else
            down(
              `HTTP ${status} ${data.toString('utf8').slice(0, 300).trim()}`,
              status,
              Number(res.headers['retry-after'] ?? 1) || 1,
            );
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => down(e.message));
    req.end(body);
  });
}
