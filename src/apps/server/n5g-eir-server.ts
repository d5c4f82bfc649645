/**
 * N5g-eir_EquipmentIdentityCheck server (3GPP TS 29.511 Release 17) over HTTP/2, cleartext
 * (h2c, prior knowledge) or TLS (ALPN h2); HTTP/1.1 is refused. This composition root is the one
 * place that knows both the SBI codec (protocols/sbi) and the check engine (core/check).
 *
 * One request: `GET /n5g-eir-eic/v1/equipment-status?pei=...[&supi=...][&gpsi=...]`.
 * Order of the answers: 503 when over the in-flight limit; 414 when the path is too long;
 * 401/403 when OAuth2 is on and the token is missing, invalid or lacks the scope; 404 for any
 * other path; 405 for another method; 406 when `Accept` excludes JSON; 400 for the query; then
 * the check: 200 `{"status":...}` or 404 ERROR_EQUIPMENT_UNKNOWN.
 *
 * HTTP/2 is our own (protocols/http2, docs/decisions/0005): node's http2 cost ~20-36 us of CPU
 * per request, ours a few. Every answer's header block is encoded once; only `date` changes.
 */
import { encodeHeaderFields, encodeResponseHeaders } from '../../protocols/http2/hpack-encoder.js';
import type { RequestHead } from '../../protocols/http2/request-headers.js';
import {
  createHttp2SocketServer,
  type Http2SocketConnection,
} from '../../protocols/http2/socket-server.js';
import { performance } from 'node:perf_hooks';
import {
  createLocalJWKSet,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyInput,
} from 'jose';
import type { EquipmentChecker, EquipmentCheckResult } from '../../core/check/equipment-check.js';
import { parseGpsi } from '../../core/ids/gpsi.js';
import { parsePei } from '../../core/ids/pei.js';
import { parseSupi } from '../../core/ids/supi.js';
import {
  EIR_RESPONSE_BODY,
  EQUIPMENT_STATUS_PATH,
  EirQueryParam,
  N5G_EIR_OAUTH_SCOPE,
  isSupportedFeatures,
  parseEirQuery,
  queryParamName,
  type EirCause,
} from '../../protocols/sbi/n5g-eir.js';
import {
  APPLICATION_JSON,
  PROBLEM_JSON,
  encodeProblemDetails,
  type InvalidParam,
} from '../../protocols/sbi/problem-details.js';

/** OAuth2 (TS 33.501 §13.4.1, RFC 6750): JWT access tokens issued by the NRF. */
export interface N5gEirOAuthOptions {
  /** Public keys as a JWK Set (a `kid` in the token header picks the key). */
  readonly jwks?: JSONWebKeySet;
  /** Or plain keys (CryptoKey, KeyObject, JWK, or a shared secret); each is tried in turn. */
  readonly keys?: readonly KeyInput[];
  /** Expected `iss` (the NRF instance id), when set. */
  readonly issuer?: string | string[];
  /** Expected `aud` (this NF's type `5G_EIR` or instance id), when set. */
  readonly audience?: string | string[];
  /** Scope the token must grant; TS 29.511 names only `n5g-eir-eic`. */
  readonly requiredScope: typeof N5G_EIR_OAUTH_SCOPE;
  /** Accepted JWS algorithms (default: whatever the key allows). */
  readonly algorithms?: string[];
  /** Clock skew allowed on `exp`/`nbf`, seconds (default 5). */
  readonly clockToleranceSec?: number;
  /** Verified tokens remembered (by their text) until they expire (default 4096). */
  readonly cacheSize?: number;
}

export interface N5gEirOverloadOptions {
  /** Streams open at once (all sessions) above which a request is answered 503 NF_CONGESTION. */
  readonly maxInFlight: number;
  /**
   * Also shed (503) while the event loop lags by more than this many milliseconds (sampled every
   * 10 ms). Off when absent.
   */
  readonly maxEventLoopLagMs?: number;
  /** `Retry-After` seconds on a 503 (default 1). */
  readonly retryAfterSec?: number;
}

/** What one equipment check leaves behind (for the clone detector and statistics). */
export interface N5gEirObservation {
  /** The IMEI as received: 15 digits (from `imei-`) or 16 (from `imeisv-`). */
  readonly imei: string;
  /** IMSI digits when the SUPI was `imsi-...`. */
  readonly imsi?: string;
  /** The GPSI string when one was sent. */
  readonly gpsi?: string;
  /** Remote IP address of the consumer (AMF/SCP). */
  readonly peer: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly result: EquipmentCheckResult;
  /** Version of the checker (snapshot) that decided. */
  readonly version: string;
}

export interface N5gEirServerOptions {
  /** Called per request, so a swapped snapshot is used from the next request on. */
  readonly checker: () => EquipmentChecker;
  /** PEM key and certificate; TLS (h2) when given, cleartext h2c otherwise. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** OAuth2 bearer tokens required when given (the YAML's `security` allows both). */
  readonly oauth?: N5gEirOAuthOptions;
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection (default 256). */
  readonly maxConcurrentStreams?: number;
  readonly overload?: N5gEirOverloadOptions;
  /** Called after each answered check (not for refused requests); must be quick. */
  readonly onCheck?: (observation: N5gEirObservation) => void;
  /** Longest `:path` accepted, bytes; longer is answered 414 (default 2048). */
  readonly maxPathLength?: number;
  /** Connections accepted at once; more are closed at once (default 10,000). */
  readonly maxSessions?: number;
  /** Idle connection timeout, ms (default 120,000; 0 = none). */
  readonly idleTimeoutMs?: number;
}

export interface N5gEirServer {
  /** Start listening; resolves with the bound port (use 0 for any free port). */
  listen(port: number, host: string): Promise<number>;
  /** Stop accepting, close every connection (GOAWAY, then destroy after 1 s). */
  close(): Promise<void>;
  /** Streams open now (for monitoring and tests). */
  inFlight(): number;
}

/** Extra response header fields (lowercase names). */
type ExtraHeaders = Readonly<Record<string, string>>;

/** One response, its header block (but `date`) and body built once. */
interface Canned {
  readonly status: number;
  readonly body: Buffer;
  /** `:status`, content-type, content-length and the extras, HPACK-encoded. */
  readonly block: Buffer;
  /** `block` plus the `date` of second `second` (rebuilt when the second changes). */
  second: number;
  withDate: Buffer;
}

function canned(
  status: number,
  contentType: string | undefined,
  body: string,
  extra?: ExtraHeaders,
): Canned {
  const b = Buffer.from(body, 'utf8');
  const fields: [string, string][] = [];
  if (contentType !== undefined)
    fields.push(['content-type', contentType], ['content-length', String(b.length)]);
  for (const [k, v] of Object.entries(extra ?? {})) fields.push([k, v]);
  const block = encodeResponseHeaders(status, fields);
  return { status, body: b, block, second: -1, withDate: block };
}

/** The header block with `date` (RFC 9110 §6.6.1), as node's http2 sent it. */
function blockOf(r: Canned): Buffer {
  const second = Math.floor(Date.now() / 1000);
  if (r.second !== second) {
    r.second = second;
    const date = encodeHeaderFields([['date', new Date(second * 1000).toUTCString()]]);
    r.withDate = Buffer.concat([r.block, date]);
  }
  return r.withDate;
}

/** 406 has no content in Release 18 (and is `default` in Release 17): no body. */
const NOT_ACCEPTABLE = canned(406, undefined, '');

function problem(
  status: number,
  cause: EirCause | undefined,
  detail: string,
  invalidParams?: readonly InvalidParam[],
  extra?: ExtraHeaders,
): Canned {
  return canned(
    status,
    PROBLEM_JSON,
    encodeProblemDetails(status, {
      ...(cause !== undefined ? { cause } : {}),
      detail,
      ...(invalidParams ? { invalidParams } : {}),
    }),
    extra,
  );
}

const OK_BODY = {
  WHITELISTED: canned(200, APPLICATION_JSON, EIR_RESPONSE_BODY.WHITELISTED),
  BLACKLISTED: canned(200, APPLICATION_JSON, EIR_RESPONSE_BODY.BLACKLISTED),
  GREYLISTED: canned(200, APPLICATION_JSON, EIR_RESPONSE_BODY.GREYLISTED),
} as const;
const UNKNOWN = problem(404, 'ERROR_EQUIPMENT_UNKNOWN', 'The equipment is unknown');
const NO_PATH = problem(404, undefined, 'No such resource in N5g-eir_EquipmentIdentityCheck');
const NO_METHOD = problem(405, undefined, 'Only GET is allowed on this resource', undefined, {
  allow: 'GET',
});
const TOO_LONG = problem(414, undefined, 'The request URI is too long');
const FAILURE = problem(500, 'SYSTEM_FAILURE', 'The check failed');
const MISSING_PEI = problem(
  400,
  'MANDATORY_QUERY_PARAM_MISSING',
  'Query parameter pei is missing',
  [{ param: queryParamName(EirQueryParam.PEI), reason: 'missing' }],
);

function unauthorized(wwwAuthenticate: string, detail: string): Canned {
  return problem(401, undefined, detail, undefined, { 'www-authenticate': wwwAuthenticate });
}
const NO_TOKEN = unauthorized(
  `Bearer scope="${N5G_EIR_OAUTH_SCOPE}"`,
  'An OAuth2 access token is required',
);
const BAD_TOKEN = unauthorized('Bearer error="invalid_token"', 'The access token is not valid');
const NO_SCOPE = problem(
  403,
  undefined,
  `The access token lacks scope ${N5G_EIR_OAUTH_SCOPE}`,
  undefined,
  {
    'www-authenticate': `Bearer error="insufficient_scope", scope="${N5G_EIR_OAUTH_SCOPE}"`,
  },
);

/** Token check outcome. */
type TokenVerdict = 'ok' | 'invalid' | 'scope';

interface CachedToken {
  readonly expMs: number;
  readonly nbfMs: number;
  readonly scopeOk: boolean;
}

function noop(): void {}

/** Create the server (not yet listening). */
export function createN5gEirServer(options: N5gEirServerOptions): N5gEirServer {
  const maxInFlight = options.overload?.maxInFlight ?? Number.POSITIVE_INFINITY;
  const maxPath = options.maxPathLength ?? 2048;
  const maxSessions = options.maxSessions ?? 10_000;
  const onCheck = options.onCheck;
  const congested = problem(503, 'NF_CONGESTION', 'The 5G-EIR is overloaded', undefined, {
    'retry-after': String(options.overload?.retryAfterSec ?? 1),
  });
  const auth = options.oauth ? tokenChecker(options.oauth) : undefined;

  let inFlight = 0;
  let lagging = false;
  let lagTimer: NodeJS.Timeout | undefined;

  /** One request: its connection and stream, what route() needs of its headers. */
  interface Req {
    readonly conn: Http2SocketConnection;
    readonly id: number;
    readonly head: RequestHead;
    readonly fields: string[];
  }

  const h2 = createHttp2SocketServer({
    ...(options.tls ? { tls: options.tls } : {}),
    maxConcurrentStreams: options.maxConcurrentStreams ?? 256,
    maxConnections: maxSessions,
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
    onRequest: (conn, id, head, fields) => onRequest({ conn, id, head, fields }),
    onStreamClose: () => {
      inFlight--;
    },
  });
  const server = h2.server;

  function send(req: Req, r: Canned): void {
    req.conn.respond(req.id, blockOf(r), r.body);
  }

  function badRequest(
    req: Req,
    cause: EirCause,
    detail: string,
    invalidParams: InvalidParam[],
  ): void {
    send(req, problem(400, cause, detail, invalidParams));
  }

  function onRequest(req: Req): void {
    inFlight++;
    try {
      if (inFlight > maxInFlight || lagging) {
        send(req, congested);
        return;
      }
      const path = req.head.path;
      if (path.length > maxPath) {
        send(req, TOO_LONG);
        return;
      }
      if (auth) {
        const authorization = field(req.fields, 'authorization');
        const verdict = auth.cached(authorization);
        if (verdict === undefined) {
          auth.verify(authorization).then(
            (v) => {
              try {
                if (v === 'ok') route(req, path);
                else send(req, v === 'scope' ? NO_SCOPE : BAD_TOKEN);
              } catch {
                send(req, FAILURE);
              }
            },
            () => send(req, FAILURE),
          );
          return;
        }
        if (verdict !== 'ok') {
          send(req, verdict === 'scope' ? NO_SCOPE : verdict === 'missing' ? NO_TOKEN : BAD_TOKEN);
          return;
        }
      }
      route(req, path);
    } catch {
      send(req, FAILURE);
    }
  }

  function route(req: Req, path: string): void {
    const qm = path.indexOf('?');
    const pathname = qm < 0 ? path : path.slice(0, qm);
    if (pathname !== EQUIPMENT_STATUS_PATH) {
      send(req, NO_PATH);
      return;
    }
    if (req.head.method !== 'GET') {
      send(req, NO_METHOD);
      return;
    }
    const accept = field(req.fields, 'accept', ', ');
    if (accept !== undefined && !acceptsJson(accept)) {
      send(req, NOT_ACCEPTABLE);
      return;
    }
    let hash = path.indexOf('#', qm);
    if (hash < 0) hash = path.length;
    const q = parseEirQuery(qm < 0 ? '' : path.slice(qm + 1, hash));

    if (q.pei === undefined && !q.undecodable?.includes(EirQueryParam.PEI)) {
      send(req, MISSING_PEI);
      return;
    }
    if (q.pei === undefined || q.repeated?.includes(EirQueryParam.PEI)) {
      badRequest(req, 'MANDATORY_QUERY_PARAM_INCORRECT', 'Query parameter pei is incorrect', [
        {
          param: queryParamName(EirQueryParam.PEI),
          reason: q.pei === undefined ? 'invalid percent-encoding' : 'given more than once',
        },
      ]);
      return;
    }
    const pei = parsePei(q.pei);
    if (pei.kind === 'error') {
      badRequest(req, 'MANDATORY_QUERY_PARAM_INCORRECT', 'Query parameter pei is incorrect', [
        { param: queryParamName(EirQueryParam.PEI), reason: peiReason(pei.message) },
      ]);
      return;
    }

    let imsi: string | undefined;
    let optionalBad: InvalidParam[] | undefined;
    if (q.undecodable !== undefined || q.repeated !== undefined) {
      for (const name of [...(q.undecodable ?? []), ...(q.repeated ?? [])]) {
        (optionalBad ??= []).push({
          param: queryParamName(name),
          reason: q.undecodable?.includes(name)
            ? 'invalid percent-encoding'
            : 'given more than once',
        });
      }
    }
    if (q.supi !== undefined) {
      const supi = parseSupi(q.supi);
      if (supi.kind === 'error') {
        (optionalBad ??= []).push({
          param: queryParamName(EirQueryParam.SUPI),
          reason: afterColon(supi.message),
        });
      } else if (supi.value.kind === 'imsi') imsi = supi.value.imsi;
    }
    if (q.gpsi !== undefined) {
      const gpsi = parseGpsi(q.gpsi);
      if (gpsi.kind === 'error') {
        (optionalBad ??= []).push({
          param: queryParamName(EirQueryParam.GPSI),
          reason: afterColon(gpsi.message),
        });
      }
    }
    if (q.supportedFeatures !== undefined && !isSupportedFeatures(q.supportedFeatures)) {
      (optionalBad ??= []).push({
        param: queryParamName(EirQueryParam.SUPPORTED_FEATURES),
        reason: 'must be hexadecimal digits',
      });
    }
    if (optionalBad !== undefined) {
      badRequest(
        req,
        'OPTIONAL_QUERY_PARAM_INCORRECT',
        'An optional query parameter is incorrect',
        optionalBad,
      );
      return;
    }

    const p = pei.value;
    if (p.kind === 'mac' || p.kind === 'eui64') {
      // A wireline MAC/EUI-64 PEI is in no equipment list: unknown equipment.
      send(req, UNKNOWN);
      return;
    }
    const imei = p.kind === 'imei' ? p.raw : p.norm + p.svn;
    const checker = options.checker();
    const result = checker.check(imei, imsi);
    send(req, result.kind === 'status' ? OK_BODY[result.status] : UNKNOWN);
    if (onCheck) {
      try {
        // One literal (absent fields undefined), not spreads: one object shape per request.
        onCheck({
          imei,
          imsi,
          gpsi: q.gpsi,
          peer: req.conn.remoteAddress,
          time: Date.now(),
          result,
          version: checker.version,
        });
      } catch {
        // An observer's failure never changes an answer already sent.
      }
    }
  }

  return {
    listen(port: number, host: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const onError = (e: Error): void => reject(e);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          server.on('error', noop);
          const lag = options.overload?.maxEventLoopLagMs;
          if (lag !== undefined && lagTimer === undefined) {
            let last = performance.now();
            lagTimer = setInterval(() => {
              const now = performance.now();
              lagging = now - last - 10 > lag;
              last = now;
            }, 10);
            lagTimer.unref();
          }
          const a = server.address();
          resolve(typeof a === 'object' && a !== null ? a.port : port);
        });
      });
    },
    close(): Promise<void> {
      if (lagTimer) clearInterval(lagTimer);
      lagTimer = undefined;
      return new Promise((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        const force = setTimeout(() => {
          for (const c of h2.connections) c.destroy();
        }, 1000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        for (const c of h2.connections) c.goaway();
      });
    },
    inFlight: () => inFlight,
  };
}

/**
 * A request header field by lowercase name: the first, or all joined by `join` (as node joined
 * repeated `accept`), undefined when absent.
 */
function field(fields: readonly string[], name: string, join?: string): string | undefined {
  let v: string | undefined;
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i] !== name) continue;
    if (v === undefined) v = fields[i + 1]!;
    else if (join !== undefined) v += join + fields[i + 1]!;
    else break;
  }
  return v;
}

/** Whether an `Accept` header admits `application/json` (with q > 0). */
function acceptsJson(accept: string): boolean {
  for (const range of accept.split(',')) {
    const semi = range.indexOf(';');
    const type = (semi < 0 ? range : range.slice(0, semi)).trim().toLowerCase();
    if (type !== '*/*' && type !== 'application/*' && type !== APPLICATION_JSON) continue;
    if (semi >= 0 && /(?:^|;)\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:;|$)/i.test(range.slice(semi))) {
      continue;
    }
    return true;
  }
  return false;
}

/** The reason part of a core parse error message (`Cannot parse PEI "x": reason`). */
function afterColon(message: string): string {
  const i = message.lastIndexOf('": ');
  return i < 0 ? message : message.slice(i + 3);
}

function peiReason(message: string): string {
  return afterColon(message);
}

/** OAuth2 bearer-token checks, with a cache of verified tokens. */
function tokenChecker(o: N5gEirOAuthOptions): {
  cached(header: string | undefined): TokenVerdict | 'missing' | undefined;
  verify(header: string | undefined): Promise<TokenVerdict>;
} {
  const cacheSize = o.cacheSize ?? 4096;
  const toleranceMs = (o.clockToleranceSec ?? 5) * 1000;
  const cache = new Map<string, CachedToken>();
  const keys = o.keys ?? [];
  const jwks: JWTVerifyGetKey | undefined = o.jwks ? createLocalJWKSet(o.jwks) : undefined;
  if (!jwks && keys.length === 0) throw new Error('oauth: give jwks or keys');
  const verifyOptions = {
    ...(o.issuer !== undefined ? { issuer: o.issuer } : {}),
    ...(o.audience !== undefined ? { audience: o.audience } : {}),
    ...(o.algorithms !== undefined ? { algorithms: o.algorithms } : {}),
    clockTolerance: o.clockToleranceSec ?? 5,
    requiredClaims: ['exp'],
  };

  function tokenOf(header: string | undefined): string | undefined {
    if (header === undefined || header.length < 8) return undefined;
    if (header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
    const t = header.slice(7).trim();
    return t.length > 0 ? t : undefined;
  }

  async function verifyToken(token: string): Promise<JWTPayload | undefined> {
    if (jwks) {
      try {
        return (await jwtVerify(token, jwks, verifyOptions)).payload;
      } catch {
        if (keys.length === 0) return undefined;
      }
    }
    for (const key of keys) {
      try {
        return (await jwtVerify(token, key, verifyOptions)).payload;
      } catch {
        // try the next key
      }
    }
    return undefined;
  }

  return {
    cached(header) {
      if (header === undefined) return 'missing';
      const token = tokenOf(header);
      if (token === undefined) return 'invalid';
      const c = cache.get(token);
      if (c === undefined) return undefined;
      const now = Date.now();
      if (now > c.expMs + toleranceMs || now + toleranceMs < c.nbfMs) {
        cache.delete(token);
        return 'invalid';
      }
      return c.scopeOk ? 'ok' : 'scope';
    },
    async verify(header) {
      const token = tokenOf(header);
      if (token === undefined) return 'invalid';
      const payload = await verifyToken(token);
      if (payload === undefined || typeof payload.exp !== 'number') return 'invalid';
      const scope = payload['scope'];
      const scopeOk =
        typeof scope === 'string' &&
        scope.split(' ').includes(o.requiredScope ?? N5G_EIR_OAUTH_SCOPE);
      if (cache.size >= cacheSize) cache.clear();
      cache.set(token, {
        expMs: payload.exp * 1000,
        nbfMs: typeof payload.nbf === 'number' ? payload.nbf * 1000 : 0,
        scopeOk,
      });
      return scopeOk ? 'ok' : 'scope';
    },
  };
}
