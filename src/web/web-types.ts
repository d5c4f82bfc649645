/**
 * Requests and responses of the web UI: the API's own shapes (`core/ports/http-exchange.ts`; the
 * web layer may not import `api`), so the composition root passes the API's `handle` in as
 * `ApiCall`.
 */
import type { HttpRequest, HttpResponse } from '../core/ports/http-exchange.js';

export type WebRequest = HttpRequest;
export type WebResponse = HttpResponse;

/** The JSON API, called in process (`Api.handle`). */
export type ApiCall = (req: WebRequest) => Promise<WebResponse>;
