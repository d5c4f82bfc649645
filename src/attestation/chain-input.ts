/**
 * Reads a certificate chain, leaf first (RFC 7468 PEM text, split by a pattern and decoded by
 * `Buffer`; the DER itself is left to the X.509 parsers): PEM text (any number of CERTIFICATE blocks), one DER
 * certificate, or a list of DER certificates (bytes or base64 strings, as a JSON API sends them).
 */

export type ChainInput = string | Uint8Array | readonly (string | Uint8Array)[];

const PEM_BEGIN = '-----BEGIN';
/** RFC 7468 section 5: a CERTIFICATE block (explanatory text around it is ignored). */
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;

/**
 * Base64 or base64url (RFC 4648 sections 4-5) with whitespace anywhere and at most two `=` at the
 * end; undefined otherwise or when empty. Checked in one pass over the text (`Buffer` skips the
 * whitespace itself); `chain-input.test.ts` holds it to removing whitespace first.
 */
const BASE64 = /^[A-Za-z0-9+/_\s-]*(?:=\s*){0,2}$/;
const NOT_SPACE = /\S/;

export function fromBase64(s: string): Uint8Array | undefined {
  if (!BASE64.test(s) || !NOT_SPACE.test(s)) return undefined;
  return new Uint8Array(
    Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64'),
  );
}

/**
 * A CERTIFICATE block's body, which `PEM_CERTIFICATE` limits to `[A-Za-z0-9+/=\s]`: as
 * `fromBase64`, without its pattern when there is no `=` (then only emptiness is left to check).
 */
export function fromPemBody(s: string): Uint8Array | undefined {
  if (s.includes('=')) return fromBase64(s);
  return NOT_SPACE.test(s) ? new Uint8Array(Buffer.from(s, 'base64')) : undefined;
}

/**
 * The DER certificates of a chain input, or a problem text. PEM is recognised by its BEGIN
 * line (text or bytes); other bytes are one DER certificate.
 */
export function chainDers(input: ChainInput): Uint8Array[] | string {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text =
      typeof input === 'string'
        ? input
        : Buffer.from(input.subarray(0, 64)).toString('latin1').includes(PEM_BEGIN)
          ? Buffer.from(input).toString('utf8')
          : undefined;
    if (text === undefined) return [input as Uint8Array];
    if (!text.includes(PEM_BEGIN)) {
      const der = fromBase64(text);
      return der ? [der] : 'input is neither PEM nor base64 DER';
    }
    const blocks = [...text.matchAll(PEM_CERTIFICATE)].map((m) => fromPemBody(m[1]!));
    if (blocks.length === 0) return 'no CERTIFICATE block in the PEM text';
    if (blocks.some((b) => b === undefined)) return 'a CERTIFICATE block is not base64';
    return blocks as Uint8Array[];
  }
  const out: Uint8Array[] = [];
  for (const [i, item] of input.entries()) {
    if (typeof item === 'string') {
      const der = item.includes(PEM_BEGIN) ? undefined : fromBase64(item);
      if (!der) return `certificate ${i} is not base64 DER`;
      out.push(der);
    } else out.push(item);
  }
  return out;
}
