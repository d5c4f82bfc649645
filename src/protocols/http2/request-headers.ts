/**
 * Request header checks (RFC 9113 §8.2, §8.3.1): lowercase field names of token characters,
 * pseudo-header fields first, only the request ones and each once, `:method`, `:scheme` and a
 * non-empty `:path` present, no connection-specific fields (§8.2.2), `te` only `trailers`, no
 * NUL/CR/LF in values (§8.2.1). A failing request is malformed: stream error PROTOCOL_ERROR.
 */

/** Token characters of RFC 9110 §5.6.2 without uppercase letters, by code. */
const NAME_OK = (() => {
  const ok = new Uint8Array(256);
  for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz") ok[c.charCodeAt(0)] = 1;
  return ok;
})();

const CONNECTION_SPECIFIC = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]);

/** The request's pseudo-header values, or a reason it is malformed. */
export interface RequestHead {
  method: string;
  path: string;
  scheme: string;
  authority: string | undefined;
}

/** Check `fields` (flat name/value list); returns the pseudo-headers or an error message. */
export function checkRequestHeaders(fields: readonly string[]): RequestHead | string {
  let method: string | undefined;
  let path: string | undefined;
  let scheme: string | undefined;
  let authority: string | undefined;
  let regular = false;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i]!;
    const value = fields[i + 1]!;
    if (!valueOk(value)) return `invalid value for ${name}`;
    if (name.charCodeAt(0) === 58 /* : */) {
      if (regular) return 'pseudo-header after a regular field';
      if (name === ':method') {
        if (method !== undefined) return 'repeated :method';
        method = value;
      } else if (name === ':path') {
        if (path !== undefined) return 'repeated :path';
        path = value;
      } else if (name === ':scheme') {
        if (scheme !== undefined) return 'repeated :scheme';
        scheme = value;
      } else if (name === ':authority') {
        if (authority !== undefined) return 'repeated :authority';
        authority = value;
      } else return `unknown pseudo-header ${name}`;
      continue;
    }
    regular = true;
    if (name.length === 0) return 'empty field name';
    for (let j = 0; j < name.length; j++) {
      if (NAME_OK[name.charCodeAt(j)] !== 1) return `invalid field name ${name}`;
    }
    if (CONNECTION_SPECIFIC.has(name)) return `connection-specific field ${name}`;
    if (name === 'te' && value !== 'trailers') return 'te other than trailers';
  }
  if (method === undefined || scheme === undefined || path === undefined || path.length === 0) {
    return 'missing :method, :scheme or :path';
  }
  return { method, path, scheme, authority };
}

/** Trailer fields: no pseudo-headers (§8.1). */
export function checkTrailers(fields: readonly string[]): boolean {
  for (let i = 0; i < fields.length; i += 2) if (fields[i]!.charCodeAt(0) === 58) return false;
  return true;
}

function valueOk(v: string): boolean {
  for (let j = 0; j < v.length; j++) {
    const c = v.charCodeAt(j);
    if (c === 0 || c === 10 || c === 13) return false;
  }
  return true;
}
