/**
 * SUPI as a string, 3GPP TS 29.571 §5.3.2 (`Supi`), identities of TS 23.003 §2.2A:
 * `imsi-<digits>`, `nai-<NAI>`, `gci-<...>`, `gli-<...>`. The OpenAPI pattern ends in `|.+`, so
 * the strict check is here. An IMSI must also satisfy {@link parseImsi} (6 to 15 digits; the
 * OpenAPI pattern allows 5, which cannot hold an MCC, an MNC and an MSIN).
 */
import { ceirError, ok, type Result } from '../errors.js';
import { parseImsi, type Imsi } from './imsi.js';

/** A parsed SUPI. */
export type Supi =
  | { readonly kind: 'imsi'; readonly imsi: Imsi }
  | { readonly kind: 'nai' | 'gci' | 'gli'; readonly value: string };

/** Parse a SUPI string strictly. Never throws. */
export function parseSupi(raw: string): Result<Supi> {
  const imsi = /^imsi-([0-9]{6,15})$/.exec(raw);
  if (imsi?.[1] !== undefined) {
    const r = parseImsi(imsi[1]);
    return r.kind === 'ok' ? ok({ kind: 'imsi', imsi: r.value }) : r;
  }
  const other = /^(nai|gci|gli)-(.+)$/s.exec(raw);
  if (other?.[1] !== undefined && other[2] !== undefined) {
    return ok({ kind: other[1] as 'nai' | 'gci' | 'gli', value: other[2] });
  }
  const reason = raw.startsWith('imsi-')
    ? 'imsi- must be followed by 6 to 15 digits'
    : 'does not start with imsi-, nai-, gci- or gli-';
  return ceirError('CEIR_ERR_PARSE', `Cannot parse SUPI "${raw}": ${reason}`);
}
