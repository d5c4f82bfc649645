/**
 * Revocation of attestation certificates from a status list in the format Google publishes at
 * https://android.googleapis.com/attestation/status:
 * `{"entries": {"<serial hex>": {"status": "REVOKED", "reason": "KEY_COMPROMISE"}}}`.
 * Serials are compared as lower-case hex without leading zeros.
 */
import { ceirError, ok, type CeirError, type Result } from '../core/errors.js';

export interface RevocationEntry {
  readonly status: string;
  readonly reason: string | null;
}

export interface RevocationList {
  /** The entry of a serial (any case, leading zeros allowed) with status REVOKED, if any. */
  revoked(serialHex: string): RevocationEntry | undefined;
  readonly size: number;
}

/** A serial as lower-case hex without leading zeros (`0` for zero). */
export function normaliseSerial(hex: string): string {
  return hex
    .trim()
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
}

/** An empty list (no revocation data). */
export const NO_REVOCATIONS: RevocationList = { revoked: () => undefined, size: 0 };

/** Parses a status list; `source` names the file in errors. */
export function parseRevocationList(
  text: string,
  source = 'status list',
): Result<RevocationList, CeirError> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return ceirError('CEIR_ERR_PARSE', `Cannot parse JSON: ${(e as Error).message}`, {
      file: source,
    });
  }
  const entries = (doc as { entries?: unknown } | null)?.entries;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries))
    return ceirError('CEIR_ERR_PARSE', 'expected an object "entries"', {
      file: source,
      field: 'entries',
    });
  const map = new Map<string, RevocationEntry>();
  for (const [serial, v] of Object.entries(entries)) {
    if (!/^[0-9a-fA-F]+$/.test(serial))
      return ceirError('CEIR_ERR_PARSE', `serial "${serial}" is not hexadecimal`, {
        file: source,
        field: `entries.${serial}`,
      });
    const e = v as { status?: unknown; reason?: unknown } | null;
    if (typeof e?.status !== 'string')
      return ceirError('CEIR_ERR_PARSE', 'expected a string "status"', {
        file: source,
        field: `entries.${serial}.status`,
      });
    map.set(normaliseSerial(serial), {
      status: e.status,
      reason: typeof e.reason === 'string' ? e.reason : null,
    });
  }
  return ok({
    size: map.size,
    revoked(serialHex: string) {
      const e = map.get(normaliseSerial(serialHex));
      return e && e.status.toUpperCase() === 'REVOKED' ? e : undefined;
    },
  });
}
