/**
 * The API application: one `handle(request) -> response` (called in process by the tests, and by
 * the node:http adapter in `http-adapter.ts`). For each request: find the route; resolve who
 * calls (auth.ts); rate-limit public callers per client address; check the role; check the CSRF
 * token of cookie sessions on writes; validate query and body against the route's schemas; run
 * the handler; write the audit entry (every change, every read of personal data, refusals of
 * logged-in callers) before the response leaves.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { CeirFailure, ErrorCatalogue, ceirError, type CeirError } from '../core/errors.js';
import type { ApiDeps } from './api-deps.js';
import { Authenticator } from './auth.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import { openApiDocument } from './openapi.js';
import { RateLimiter } from './rate-limit.js';
import type { Principal, RouteContext, RouteDef, Schema } from './route-def.js';
import { Router } from './router.js';
import { safeEqual } from './secrets.js';

export const API_VERSION = '1.0.0';
const JSON_LIMIT = 1024 * 1024;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

export function errorResponse(e: CeirError, headers: Record<string, string> = {}): ApiResponse {
  const { code, message, at, rule } = e;
  return {
    status: ErrorCatalogue[code].http,
    headers: { ...SECURITY_HEADERS, ...headers },
    body: { error: { code, message, ...(at ? { at } : {}), ...(rule ? { rule } : {}) } },
  };
}

export interface Api {
  handle(req: ApiRequest): Promise<ApiResponse>;
  readonly routes: readonly RouteDef[];
  readonly openapi: Schema;
  readonly auth: Authenticator;
}

interface Compiled {
  readonly def: RouteDef;
  readonly query?: ValidateFunction;
  readonly body?: ValidateFunction;
}

function ajvErrors(v: ValidateFunction, where: string): string {
  return (v.errors ?? [])
    .slice(0, 5)
    .map((e) => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

export function createApi(deps: ApiDeps, routes: readonly RouteDef[]): Api {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false });
  const router = new Router<Compiled>();
  for (const def of routes) {
    const query = def.query
      ? ajv.compile({
          type: 'object',
          properties: def.query.properties,
          required: def.query.required ?? [],
          additionalProperties: false,
        })
      : undefined;
    const body = def.body?.type === 'json' ? ajv.compile(def.body.schema) : undefined;
    router.add(def.method, def.path, {
      def,
      ...(query ? { query } : {}),
      ...(body ? { body } : {}),
    });
  }
  const openapi = openApiDocument(routes, API_VERSION);
  const openapiText = JSON.stringify(openapi);
  const auth = new Authenticator(deps);
  const limiter = new RateLimiter(deps.settings.rateLimit.perSecond, deps.settings.rateLimit.burst);

  const audit = async (
    p: Principal,
    req: ApiRequest,
    action: string,
    target: string,
    outcome: string,
    detail: Record<string, unknown>,
  ): Promise<void> => {
    await deps.store((_people, log) =>
      log.append({
        actor: p.subject,
        role: p.role,
        action,
        target,
        source: req.ip,
        outcome,
        detail,
      }),
    );
  };

  const run = async (req: ApiRequest): Promise<ApiResponse> => {
    if (req.path === '/openapi.json' && (req.method === 'GET' || req.method === 'HEAD'))
      return {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'content-type': 'application/json' },
        body: openapiText,
        raw: true,
      };
    const found = router.find(req.method, req.path);
    if (!found)
      return errorResponse(ceirError('CEIR_ERR_NOT_FOUND', `No route ${req.method} ${req.path}`));
    if (!('route' in found))
      return errorResponse(
        ceirError('CEIR_ERR_USAGE', `${req.method} is not allowed on ${req.path}`),
        { allow: found.allowed.join(', ') },
      );
    const { def } = found.route;
    const principal = await auth.principal(req);
    if (principal.role === 'public' || def.roles.includes('public') || def.limited) {
      const wait = limiter.take(req.ip, deps.now().getTime());
      if (wait > 0)
        return errorResponse(
          ceirError('CEIR_ERR_RATE_LIMITED', `Too many requests: retry in ${wait} s`),
          { 'retry-after': String(wait) },
        );
    }
    if (!def.roles.includes('public') && !def.roles.includes(principal.role)) {
      if (principal.role === 'public')
        return errorResponse(
          ceirError(
            'CEIR_ERR_UNAUTHENTICATED',
            `${def.path} needs a login (${def.roles.join(', ')})`,
          ),
        );
      await audit(principal, req, def.id, req.path, 'refused', { reason: 'role' });
      return errorResponse(
        ceirError(
          'CEIR_ERR_FORBIDDEN',
          `The role ${principal.role} may not use ${def.method} ${def.path}`,
        ),
      );
    }
    if (principal.via === 'cookie' && def.method !== 'GET') {
      const s = auth.sessionOf(principal);
      const t = req.headers['x-csrf-token'];
      if (!s || t === undefined || !safeEqual(t, s.csrfToken))
        return errorResponse(
          ceirError(
            'CEIR_ERR_FORBIDDEN',
            'A browser session needs its CSRF token in x-csrf-token for this request',
          ),
        );
    }
    const query: Record<string, string> = {};
    for (const [k, v] of req.query) if (!(k in query)) query[k] = v;
    if (found.route.query && !found.route.query(query))
      return errorResponse(ceirError('CEIR_ERR_USAGE', ajvErrors(found.route.query, 'query')));
    if (!found.route.query && Object.keys(query).length > 0)
      return errorResponse(ceirError('CEIR_ERR_USAGE', `${def.path} takes no query parameters`));
    let body: unknown;
    if (def.body?.type === 'json') {
      if (req.body.length > JSON_LIMIT)
        return errorResponse(ceirError('CEIR_ERR_USAGE', 'The JSON body is larger than 1 MiB'));
      try {
        body = JSON.parse(Buffer.from(req.body).toString('utf8'));
      } catch {
        return errorResponse(ceirError('CEIR_ERR_USAGE', 'The body is not JSON'));
      }
      if (!found.route.body!(body))
        return errorResponse(ceirError('CEIR_ERR_USAGE', ajvErrors(found.route.body!, 'body')));
    } else if (def.body?.type === 'csv') body = Buffer.from(req.body).toString('utf8');
    else if (def.body?.type === 'binary') body = req.body;
    const ctx: RouteContext = {
      req,
      params: found.params,
      query,
      body,
      principal,
      deps,
      auth,
      audit: { target: '', detail: {} },
    };
    let res: ApiResponse;
    try {
      res = await def.handler(ctx);
    } catch (e) {
      if (!(e instanceof CeirFailure)) throw e;
      res = errorResponse(e.error);
    }
    const change = def.audited ?? def.method !== 'GET';
    if (change || (def.personalData && res.status < 300))
      await audit(principal, req, def.id, ctx.audit.target, res.status < 400 ? 'ok' : 'refused', {
        ...ctx.audit.detail,
        status: res.status,
      });
    return { ...res, headers: { ...SECURITY_HEADERS, ...res.headers } };
  };

  return {
    routes,
    openapi,
    auth,
    handle: async (req) => {
      try {
        return await run(req);
      } catch (e) {
        if (e instanceof CeirFailure) return errorResponse(e.error);
        return errorResponse(
          ceirError('CEIR_ERR_INTERNAL', `Internal error: ${(e as Error).message ?? String(e)}`),
        );
      }
    },
  };
}
