/**
 * Serves the API over node:http (HTTP/1.1, keep-alive): reads the body (up to `maxBodyBytes`),
 * hands an ApiRequest to the app and writes its response. The client address is the socket's
 * (a reverse proxy in front would pass its own; not trusted from headers).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse, type Api } from './api-app.js';
import { ceirError } from '../core/errors.js';
import type { ApiRequest, ApiResponse } from './http-types.js';

const EMPTY = new Uint8Array(0);

/** Writes an API response (JSON serialised here unless raw). */
export function send(res: ServerResponse, r: ApiResponse, head: boolean): void {
  let body: string | Uint8Array;
  const headers = { ...r.headers };
  if (r.raw) body = r.body as string | Uint8Array;
  else {
    body = JSON.stringify(r.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(
    typeof body === 'string' ? Buffer.byteLength(body) : body.length,
  );
  res.writeHead(r.status, headers);
  res.end(head ? undefined : body);
}

/**
 * `proxySecret`: requests carrying it in `x-ceir-proxy` come from this CEIR's own check workers,
 * which pass the client's address in `x-ceir-client` (trusted only with the secret).
 */
export function httpHandler(api: Api, maxBodyBytes: number, proxySecret?: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const base = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
      headers: req.headers as Record<string, string | undefined>,
      ip:
        proxySecret !== undefined && req.headers['x-ceir-proxy'] === proxySecret
          ? String(req.headers['x-ceir-client'] ?? 'unknown')
          : (req.socket.remoteAddress ?? 'unknown'),
    };
    const head = base.method === 'HEAD';
    const go = (body: Uint8Array): void => {
      const r: ApiRequest = { ...base, body };
      api.handle(r).then(
        (out) => send(res, out, head),
        () => send(res, errorResponse(ceirError('CEIR_ERR_INTERNAL', 'Internal error')), head),
      );
    };
    if (base.method === 'GET' || base.method === 'HEAD') {
      req.resume();
      go(EMPTY);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > maxBodyBytes) {
        refused = true;
        send(
          res,
          errorResponse(
            ceirError('CEIR_ERR_USAGE', `The body is larger than ${maxBodyBytes} bytes`),
          ),
          false,
        );
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!refused) go(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
  };
}
