/**
 * N5g-eir_EquipmentIdentityCheck, 3GPP TS 29.511 (Release 17, V17.3.0, API 1.2.0): the one
 * operation `GET {apiRoot}/n5g-eir-eic/v1/equipment-status?pei=...[&supi=...][&gpsi=...]
 * [&supported-features=...]` and its answers. Pure codec: names, paths, causes, the query parser
 * and the JSON bodies; it does not parse identities strictly (core/ids does) nor decide anything.
 *
 * Error causes are those of TS 29.500 Table 5.2.7.2-1 and TS 29.511 Table 6.1.7.3-1.
 */

/** API name, version and paths (TS 29.511 §6.1.1, §6.1.3.2.1). */
export const N5G_EIR_API_NAME = 'n5g-eir-eic';
export const N5G_EIR_API_VERSION = 'v1';
export const N5G_EIR_API_ROOT = `/${N5G_EIR_API_NAME}/${N5G_EIR_API_VERSION}`;
export const EQUIPMENT_STATUS_RESOURCE = '/equipment-status';
export const EQUIPMENT_STATUS_PATH = `${N5G_EIR_API_ROOT}${EQUIPMENT_STATUS_RESOURCE}`;

/** OAuth2 scope of the service (TS 29.511 §6.1.1, securitySchemes of the YAML). */
export const N5G_EIR_OAUTH_SCOPE = 'n5g-eir-eic';

/** Query parameters of GetEquipmentStatus (TS 29.511 Table 6.1.3.2.3.1-1). */
export const EirQueryParam = {
  PEI: 'pei',
  SUPI: 'supi',
  GPSI: 'gpsi',
  SUPPORTED_FEATURES: 'supported-features',
} as const;
export type EirQueryParam = (typeof EirQueryParam)[keyof typeof EirQueryParam];

/** TS 29.511 §6.1.6.3.2 EquipmentStatus. */
export type EirEquipmentStatus = 'WHITELISTED' | 'BLACKLISTED' | 'GREYLISTED';

/** TS 29.511 §6.1.6.2.2 EirResponseData. */
export interface EirResponseData {
  readonly status: EirEquipmentStatus;
}

/**
 * ProblemDetails `cause` values this service uses, with the HTTP status each goes with.
 * ERROR_EQUIPMENT_UNKNOWN is TS 29.511 Table 6.1.7.3-1; the others are TS 29.500
 * Table 5.2.7.2-1. TS 29.500 defines no cause for 401, 403 (an OAuth2 token failure is told in
 * `WWW-Authenticate`, RFC 6750), 405, 406 or 414, so those answers carry none.
 */
export const EirCause = {
  ERROR_EQUIPMENT_UNKNOWN: 404,
  MANDATORY_QUERY_PARAM_MISSING: 400,
  MANDATORY_QUERY_PARAM_INCORRECT: 400,
  OPTIONAL_QUERY_PARAM_INCORRECT: 400,
  INVALID_QUERY_PARAM: 400,
  NF_CONGESTION_RISK: 429,
  SYSTEM_FAILURE: 500,
  UNSPECIFIED_NF_FAILURE: 500,
  INSUFFICIENT_RESOURCES: 500,
  NF_CONGESTION: 503,
} as const;
export type EirCause = keyof typeof EirCause;

/**
 * Response codes GetEquipmentStatus lists in the Release 17 YAML (anything else falls under
 * `default`). Release 18 adds 403, 406 and 502.
 */
export const EIR_RESPONSE_CODES_REL17: readonly number[] = [
  200, 307, 308, 400, 401, 404, 414, 429, 500, 503,
];
export const EIR_RESPONSE_CODES_REL18: readonly number[] = [
  200, 307, 308, 400, 401, 403, 404, 406, 414, 429, 500, 502, 503,
];

/** `InvalidParam.param` of a query parameter (TS 29.571 §5.2.4.2). */
export function queryParamName(name: string): string {
  return `query ${name}`;
}

/** The JSON text of EirResponseData, one constant string per status. */
export const EIR_RESPONSE_BODY: Readonly<Record<EirEquipmentStatus, string>> = {
  WHITELISTED: '{"status":"WHITELISTED"}',
  BLACKLISTED: '{"status":"BLACKLISTED"}',
  GREYLISTED: '{"status":"GREYLISTED"}',
};

/** The query of a GetEquipmentStatus request, decoded but not interpreted. */
export interface EirQuery {
  pei: string | undefined;
  supi: string | undefined;
  gpsi: string | undefined;
  supportedFeatures: string | undefined;
  /** Known parameters given more than once (each name once). */
  repeated: string[] | undefined;
  /** Parameters whose name or value is not valid percent-encoding (each name once). */
  undecodable: string[] | undefined;
  /** Names of parameters the operation does not define (ignored by the server). */
  unknown: string[] | undefined;
}

/**
 * Parse the query string (the text after `?`, without `#`) by hand: `&`-separated `name=value`
 * pairs, percent-decoded only when a `%` is present; `+` is kept (RFC 3986 query, not a form).
 * Never throws.
 */
export function parseEirQuery(query: string): EirQuery {
  const q: EirQuery = {
    pei: undefined,
    supi: undefined,
    gpsi: undefined,
    supportedFeatures: undefined,
    repeated: undefined,
    undecodable: undefined,
    unknown: undefined,
  };
  let start = 0;
  const n = query.length;
  while (start <= n) {
    let end = query.indexOf('&', start);
    if (end < 0) end = n;
    if (end > start) {
      const eq = query.indexOf('=', start);
      const hasValue = eq >= 0 && eq < end;
      let name = query.slice(start, hasValue ? eq : end);
      let value = hasValue ? query.slice(eq + 1, end) : '';
      let ok = true;
      if (name.includes('%')) {
        const d = decode(name);
        if (d === undefined) ok = false;
        else name = d;
      }
      if (ok && value.includes('%')) {
        const d = decode(value);
        if (d === undefined) ok = false;
        else value = d;
      }
      if (!ok) {
        const u = (q.undecodable ??= []);
        if (!u.includes(name)) u.push(name);
      } else {
        assign(q, name, value);
      }
    }
    start = end + 1;
  }
  return q;
}

function assign(q: EirQuery, name: string, value: string): void {
  switch (name) {
    case 'pei':
      if (q.pei !== undefined) repeated(q, name);
      else q.pei = value;
      return;
    case 'supi':
      if (q.supi !== undefined) repeated(q, name);
      else q.supi = value;
      return;
    case 'gpsi':
      if (q.gpsi !== undefined) repeated(q, name);
      else q.gpsi = value;
      return;
    case 'supported-features':
      if (q.supportedFeatures !== undefined) repeated(q, name);
      else q.supportedFeatures = value;
      return;
    default:
      (q.unknown ??= []).push(name);
  }
}

function repeated(q: EirQuery, name: string): void {
  const r = (q.repeated ??= []);
  if (!r.includes(name)) r.push(name);
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** TS 29.571 SupportedFeatures: hexadecimal digits, possibly none. */
export function isSupportedFeatures(s: string): boolean {
  return /^[A-Fa-f0-9]*$/.test(s);
}
