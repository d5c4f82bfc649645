/**
 * Owner notices (docs/exchange.md "Owner notice"): when a device another country reported is
 * seen on our network, its originating CEIR is told: record id, IMEI, our country and the day it
 * was last seen. No subscriber data (no IMSI, MSISDN or operator). A notice travels as a signed
 * batch of kind `notice`; the owner accepts it only from a configured peer's key, only for its
 * own records, and only about the sender's own network.
 */
import { ceirError, ok, type Result } from '../core/errors.js';
import type { OwnerNotice } from '../core/ports/exchange-store.js';
import {
  decodeBatch,
  encodeBatch,
  headerDigest,
  verifyBatch,
  type BatchSigner,
  type BatchVerifier,
} from './batch-format.js';

export const NOTICE_PATH = '/exchange/v1/notices';

export function encodeNotices(
  country: string,
  notices: readonly OwnerNotice[],
  signer: BatchSigner,
): Buffer {
  const lines = notices.map((n) =>
    JSON.stringify({ record_id: n.recordId, imei: n.imei, seen_in: n.seenIn, seen_on: n.seenOn }),
  );
  return encodeBatch({ kind: 'notice', country, fromSeq: 0, toSeq: 0 }, lines, signer);
}

export interface NoticeSender {
  readonly peer: string;
  readonly country: string;
  readonly verifier: BatchVerifier;
}

export interface AcceptedNotices {
  readonly from: NoticeSender;
  readonly keyId: string;
  readonly headerSha256: string;
  readonly notices: readonly OwnerNotice[];
}

const FIELDS = ['record_id', 'imei', 'seen_in', 'seen_on'];

/**
 * Checks a notice batch: sent by a configured peer (by its country, with its key), each notice
 * about one of `ourCountry`'s records and seen in the sender's country.
 */
export function acceptNotices(
  bytes: Buffer,
  ourCountry: string,
  senders: readonly NoticeSender[],
  source: string,
): Result<AcceptedNotices> {
  const d = decodeBatch(bytes, source);
  if (d.kind !== 'ok') return d;
  const h = d.value.header;
  if (h.kind !== 'notice')
    return ceirError('CEIR_ERR_PARSE', `A ${h.kind} batch where notices were expected`, {
      file: source,
      line: 1,
    });
  const from = senders.find((s) => s.country === h.country);
  if (!from)
    return ceirError('CEIR_ERR_BAD_SIGNATURE', `Country ${h.country} is not a configured peer`, {
      file: source,
      line: 1,
    });
  const lines = verifyBatch(d.value, from.verifier, source);
  if (lines.kind !== 'ok') return lines;
  const notices: OwnerNotice[] = [];
  for (let i = 0; i < lines.value.length; i++) {
    const at = { file: source, line: i + 3 };
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(lines.value[i]!) as Record<string, unknown>;
    } catch (e) {
      return ceirError('CEIR_ERR_PARSE', `Cannot parse notice: ${(e as Error).message}`, at);
    }
    const keys = Object.keys(o ?? {});
    if (keys.length !== FIELDS.length || !FIELDS.every((f) => typeof o[f] === 'string'))
      return ceirError(
        'CEIR_ERR_PARSE',
        `A notice has exactly the fields ${FIELDS.join(', ')}`,
        at,
      );
    const n = {
      recordId: o.record_id as string,
      imei: o.imei as string,
      seenIn: o.seen_in as string,
      seenOn: o.seen_on as string,
    };
    if (!/^[0-9]{14}$/.test(n.imei) || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(n.seenOn))
      return ceirError('CEIR_ERR_PARSE', 'imei must be 14 digits and seen_on YYYY-MM-DD', at);
    if (!n.recordId.startsWith(`${ourCountry}-`) || !n.recordId.endsWith(`-${n.imei}`))
      return ceirError(
        'CEIR_ERR_NOT_OWNER',
        `Record ${n.recordId} is not a record of ${ourCountry}`,
        at,
      );
    if (n.seenIn !== h.country)
      return ceirError(
        'CEIR_ERR_NOT_OWNER',
        `${h.country} reports a sighting in ${n.seenIn}: only its own`,
        at,
      );
    notices.push(n);
  }
  return ok({ from, keyId: h.key_id, headerSha256: headerDigest(d.value), notices });
}
