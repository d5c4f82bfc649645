/**
 * GPSI as a string, 3GPP TS 29.571 §5.3.2 (`Gpsi`), identities of TS 23.003 §28.7.x:
 * `msisdn-<5 to 15 digits>` or `extid-<local>@<domain>`. The OpenAPI pattern ends in `|.+`, so
 * the strict check is here.
 */
import { ceirError, ok, type Result } from '../errors.js';
import { parseMsisdn, type Msisdn } from './msisdn.js';

/** A parsed GPSI. */
export type Gpsi =
  | { readonly kind: 'msisdn'; readonly msisdn: Msisdn }
  | { readonly kind: 'extid'; readonly value: string };

/** Parse a GPSI string strictly. Never throws. */
export function parseGpsi(raw: string): Result<Gpsi> {
  const msisdn = /^msisdn-([0-9]{5,15})$/.exec(raw);
  if (msisdn?.[1] !== undefined) {
    const r = parseMsisdn(msisdn[1]);
    return r.kind === 'ok' ? ok({ kind: 'msisdn', msisdn: r.value }) : r;
  }
  const extid = /^extid-([^@]+@[^@]+)$/s.exec(raw);
  if (extid?.[1] !== undefined) return ok({ kind: 'extid', value: extid[1] });
  const reason = raw.startsWith('msisdn-')
    ? 'msisdn- must be followed by 5 to 15 digits'
    : raw.startsWith('extid-')
      ? 'extid- must be followed by one local-part@domain'
      : 'does not start with msisdn- or extid-';
  return ceirError('CEIR_ERR_PARSE', `Cannot parse GPSI "${raw}": ${reason}`);
}
