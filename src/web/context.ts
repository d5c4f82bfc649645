/**
 * What a page handler gets: the request, the language, who is logged in (from the API's
 * `/auth/me`), the form token, the parsed form, and an API client that forwards the browser's
 * session cookie and, on writes, the session's CSRF token (the API checks it again).
 */
import type { FormBody } from './form-body.js';
import type { Lang, Translate } from './i18n/index.js';
import type { ApiCall, WebRequest, WebResponse } from './web-types.js';

export interface Me {
  readonly role: string;
  readonly subject: string;
  readonly username?: string;
  readonly operator?: string | null;
  readonly csrf?: string;
}

export interface ApiResult {
  readonly status: number;
  readonly ok: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
  readonly response: WebResponse;
  /** The API's error message (status >= 400). */
  readonly error?: string;
}

export interface PageCtx {
  readonly req: WebRequest;
  readonly lang: Lang;
  readonly t: Translate;
  readonly me: Me;
  /** The token every form of this page carries in `_csrf`. */
  readonly csrf: string;
  readonly form: FormBody;
  readonly params: Readonly<Record<string, string>>;
  /** Cookies to set on the browser (language, form token, the API's session cookie). */
  readonly setCookies: string[];
  api(
    method: 'GET' | 'POST',
    path: string,
    o?: {
      query?: Record<string, string | undefined>;
      json?: unknown;
      body?: Uint8Array | string;
      contentType?: string;
    },
  ): Promise<ApiResult>;
}

export function apiClient(
  call: ApiCall,
  req: WebRequest,
  csrf: () => string | undefined,
  setCookies: string[],
): PageCtx['api'] {
  return async (method, path, o = {}) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(o.query ?? {}))
      if (v !== undefined && v !== '') query.set(k, v);
    const headers: Record<string, string> = {};
    if (req.headers.cookie) headers.cookie = req.headers.cookie;
    const token = csrf();
    if (method !== 'GET' && token) headers['x-csrf-token'] = token;
    let body: Uint8Array = new Uint8Array(0);
    if (o.json !== undefined) {
      body = Buffer.from(JSON.stringify(o.json));
      headers['content-type'] = 'application/json';
    } else if (o.body !== undefined) {
      body = typeof o.body === 'string' ? Buffer.from(o.body) : o.body;
      headers['content-type'] = o.contentType ?? 'application/octet-stream';
    }
    const r = await call({ method, path, query, headers, body, ip: req.ip });
    const sc = r.headers['set-cookie'];
    if (sc) setCookies.push(...(Array.isArray(sc) ? sc : [sc]));
    let json: unknown = r.body;
    if (r.raw && typeof r.body === 'string' && /json/.test(String(r.headers['content-type'] ?? '')))
      json = JSON.parse(r.body);
    const ok = r.status < 400;
    const error = ok
      ? undefined
      : String(
          (json as { error?: { message?: string } } | undefined)?.error?.message ??
            `HTTP ${r.status}`,
        );
    return { status: r.status, ok, json, response: r, ...(error !== undefined ? { error } : {}) };
  };
}
