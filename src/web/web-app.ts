/**
 * The web UI (issue #6): server-rendered pages for every role, built on the JSON API (issue #5)
 * called in process. For each request: the language; who is logged in (the API's `/auth/me`
 * with the browser's cookie); on a POST, the form's `_csrf` must equal the session's CSRF token
 * (or, before any login, the double-submit token of the `ceir_form` cookie); then the page.
 */
import type { PageCtx, Me } from './context.js';
import { apiClient } from './context.js';
import { parseFormBody } from './form-body.js';
import { APP_CSS, APP_JS } from './assets.js';
import { html } from './html.js';
import { pickLang, translator } from './i18n/index.js';
import { notice, page, redirect } from './layout.js';
import { PAGE_ROUTES } from './pages/index.js';
import {
  LANG_COOKIE,
  PAGE_HEADERS,
  PRE_SESSION_COOKIE,
  newFormToken,
  sameToken,
} from './security.js';
import type { ApiCall, WebRequest, WebResponse } from './web-types.js';
import { cookieValue } from '../core/http-cookie.js';

export interface PageRoute {
  readonly method: 'GET' | 'POST';
  /** `/cases/:case` style pattern. */
  readonly path: string;
  /** Roles that may open the page (default: everyone). */
  readonly roles?: readonly string[];
  handler(c: PageCtx): Promise<WebResponse>;
}

export interface WebAppOptions {
  readonly api: ApiCall;
  /** Extra routes (tests). */
  readonly routes?: readonly PageRoute[];
}

export interface WebApp {
  handle(req: WebRequest): Promise<WebResponse>;
  /** Paths the UI answers (everything except the API's). */
  owns(path: string): boolean;
}

const ASSETS: Readonly<Record<string, [string, string]>> = {
  '/assets/app.js': ['text/javascript; charset=utf-8', APP_JS],
  '/assets/app.css': ['text/css; charset=utf-8', APP_CSS],
};

function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) {
      try {
        params[p[i]!.slice(1)] = decodeURIComponent(s[i]!);
      } catch {
        return undefined;
      }
    } else if (p[i] !== s[i]) return undefined;
  }
  return params;
}

async function whoIs(api: ApiCall, req: WebRequest): Promise<Me> {
  if (!cookieValue(req.headers.cookie, 'ceir_session'))
    return { role: 'public', subject: 'public' };
  const r = await api({
    method: 'GET',
    path: '/api/v1/auth/me',
    query: new URLSearchParams(),
    headers: { cookie: req.headers.cookie },
    body: new Uint8Array(0),
    ip: req.ip,
  });
  if (r.status !== 200) return { role: 'public', subject: 'public' };
  const b = r.body as {
    role: string;
    subject: string;
    username?: string;
    operator?: string | null;
    csrf_token?: string;
  };
  return {
    role: b.role,
    subject: b.subject,
    ...(b.username !== undefined ? { username: b.username } : {}),
    ...(b.operator !== undefined ? { operator: b.operator } : {}),
    ...(b.csrf_token !== undefined ? { csrf: b.csrf_token } : {}),
  };
}

export function createWebApp(o: WebAppOptions): WebApp {
  const routes = [...(o.routes ?? []), ...PAGE_ROUTES];
  const handle = async (req: WebRequest): Promise<WebResponse> => {
    const asset = ASSETS[req.path];
    if (asset && (req.method === 'GET' || req.method === 'HEAD'))
      return {
        status: 200,
        headers: {
          ...PAGE_HEADERS,
          'content-type': asset[0],
          'cache-control': 'public, max-age=3600',
        },
        body: asset[1],
        raw: true,
      };
    const setCookies: string[] = [];
    const qLang = req.query.get('lang');
    const lang = pickLang(
      qLang,
      cookieValue(req.headers.cookie, LANG_COOKIE),
      req.headers['accept-language'],
    );
    if (qLang === lang)
      setCookies.push(`${LANG_COOKIE}=${lang}; Path=/; SameSite=Lax; Max-Age=31536000`);
    const t = translator(lang);
    const me = await whoIs(o.api, req);
    let pre = cookieValue(req.headers.cookie, PRE_SESSION_COOKIE);
    if (!pre || !/^[A-Za-z0-9_-]{20,40}$/.test(pre)) {
      pre = newFormToken();
      setCookies.push(`${PRE_SESSION_COOKIE}=${pre}; Path=/; HttpOnly; SameSite=Strict`);
    }
    const csrf = me.csrf ?? pre;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const form =
      method === 'POST'
        ? parseFormBody(req.headers['content-type'], req.body)
        : { fields: new URLSearchParams(), files: new Map() };
    let found: { route: PageRoute; params: Record<string, string> } | undefined;
    let pathExists = false;
    for (const route of routes) {
      const params = match(route.path, req.path);
      if (!params) continue;
      pathExists = true;
      if (route.method === method) {
        found = { route, params };
        break;
      }
    }
    const c: PageCtx = {
      req,
      lang,
      t,
      me,
      csrf,
      form,
      params: found?.params ?? {},
      setCookies,
      api: apiClient(o.api, req, () => me.csrf, setCookies),
    };
    if (!found)
      return page(
        c,
        t('common.error'),
        notice(t('error.notFound'), 'error'),
        pathExists ? 405 : 404,
      );
    if (method === 'POST' && !sameToken(form.fields.get('_csrf'), csrf))
      return page(c, t('common.error'), notice(t('error.csrf'), 'error'), 403);
    const roles = found.route.roles;
    if (roles && !roles.includes(me.role)) {
      const next = encodeURIComponent(req.path);
      if (roles.includes('subscriber') && me.role !== 'subscriber' && method === 'GET')
        return redirect(c, `/otp?next=${next}`);
      if (me.role === 'public' && method === 'GET') return redirect(c, `/login?next=${next}`);
      return page(c, t('common.error'), notice(t('error.forbidden'), 'error'), 403);
    }
    return found.route.handler(c);
  };
  return {
    owns: (path) => !(path.startsWith('/api/') || path === '/openapi.json'),
    handle: async (req) => {
      try {
        return await handle(req);
      } catch (e) {
        return {
          status: 500,
          headers: { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' },
          body: html`<!doctype html><title>Error</title>
            <p>Internal error: ${(e as Error).message}</p>`.text,
          raw: true,
        };
      }
    },
  };
}
