/**
 * Feed batches: a publisher encodes its record versions (a delta after a sequence number, or a
 * snapshot of every active record); a subscriber accepts a peer's batch only when every check
 * passes (docs/exchange.md "Pulling"):
 *
 * 1. signature: the header is signed by the key configured for the peer, and the body is the one
 *    the header names (`CEIR_ERR_BAD_SIGNATURE`);
 * 2. ownership (as in GSMA SG.18): the batch is the peer's own country's, and every record in it
 *    originates there: a country cannot create, change or remove another's record
 *    (`CEIR_ERR_NOT_OWNER`);
 * 3. continuity: a delta starts exactly at the subscriber's cursor and numbers its records
 *    consecutively up to `to_seq`; a snapshot does not go back before the cursor
 *    (`CEIR_ERR_SEQUENCE_GAP`).
 *
 * A refused batch changes nothing.
 */
import { ceirError, ok, type Result } from '../core/errors.js';
import type { ExchangeRecord, VerifiedBatch } from '../core/ports/exchange-store.js';
import {
  decodeBatch,
  encodeBatch,
  encodeBatchBody,
  headerDigest,
  verifyBatch,
  type BatchSigner,
  type BatchVerifier,
} from './batch-format.js';
import { parseRecordLine, recordLine, scanRecordLine } from './feed-record.js';

/** The records of a checked batch, parsed (for small batches and tests). */
export function batchRecords(b: VerifiedBatch): ExchangeRecord[] {
  if (b.count === 0) return [];
  const lines = b.body.toString('utf8').slice(0, -1).split('\n');
  return lines.map((l, i) => {
    const r = parseRecordLine(l, 'batch', i + 3);
    if (r.kind !== 'ok') throw new Error(r.message);
    return r.value;
  });
}

/** A delta: the versions after `fromSeq` (consecutive), up to the last of them. */
export function encodeDelta(
  country: string,
  fromSeq: number,
  versions: readonly ExchangeRecord[],
  signer: BatchSigner,
  generatedAt?: string,
): Buffer {
  const toSeq = versions.length ? versions[versions.length - 1]!.seq : fromSeq;
  return encodeBatch(
    { kind: 'delta', country, fromSeq, toSeq, ...(generatedAt ? { generatedAt } : {}) },
    versions.map(recordLine),
    signer,
  );
}

/** A delta whose body the store wrote (`ExchangeStore.feedVersionLines`). */
export function encodeDeltaBody(
  country: string,
  fromSeq: number,
  v: { readonly body: Buffer; readonly count: number; readonly lastSeq: number },
  signer: BatchSigner,
  generatedAt?: string,
): Buffer {
  return encodeBatchBody(
    {
      kind: 'delta',
      country,
      fromSeq,
      toSeq: v.count ? v.lastSeq : fromSeq,
      ...(generatedAt ? { generatedAt } : {}),
    },
    v.body,
    v.count,
    signer,
  );
}

/** A snapshot of every active record as of `headSeq`. */
export function encodeSnapshot(
  country: string,
  headSeq: number,
  records: readonly ExchangeRecord[],
  signer: BatchSigner,
  generatedAt?: string,
): Buffer {
  return encodeBatch(
    {
      kind: 'snapshot',
      country,
      fromSeq: 0,
      toSeq: headSeq,
      ...(generatedAt ? { generatedAt } : {}),
    },
    records.map(recordLine),
    signer,
  );
}

export interface PeerExpectation {
  /** The peer's country code: every record must originate there. */
  readonly country: string;
  readonly verifier: BatchVerifier;
  /** The last sequence number applied from this peer (0: none). */
  readonly cursor: number;
}

/** Decodes and checks a peer's batch; `source` (URL or file) names it in errors. */
export function acceptFeedBatch(
  bytes: Buffer,
  peer: PeerExpectation,
  source: string,
): Result<VerifiedBatch> {
  const d = decodeBatch(bytes, source);
  if (d.kind !== 'ok') return d;
  const h = d.value.header;
  const lines = verifyBatch(d.value, peer.verifier, source);
  if (lines.kind !== 'ok') return lines;
  if (h.kind === 'notice')
    return ceirError('CEIR_ERR_PARSE', 'A notice batch where a feed batch was expected', {
      file: source,
      line: 1,
    });
  if (h.country !== peer.country)
    return ceirError(
      'CEIR_ERR_NOT_OWNER',
      `The batch is published as country ${h.country}, but this peer is ${peer.country}`,
      { file: source, line: 1 },
    );
  const gap = (message: string, line = 1) =>
    ceirError('CEIR_ERR_SEQUENCE_GAP', message, { file: source, line });
  if (h.kind === 'delta' && h.from_seq !== peer.cursor)
    return gap(
      `The delta starts after sequence ${h.from_seq}, but the last applied is ${peer.cursor}`,
    );
  if (h.kind === 'snapshot' && h.to_seq < peer.cursor)
    return gap(
      `The snapshot is as of sequence ${h.to_seq}, before the last applied ${peer.cursor}`,
    );
  const records = lines.value;
  const ids = h.kind === 'snapshot' ? new Set<string>() : undefined;
  for (let i = 0; i < lines.value.length; i++) {
    const line = i + 3;
    const r = scanRecordLine(records[i]!, source, line);
    if (r.kind !== 'ok') return r;
    const rec = r.value;
    if (rec.origin !== h.country)
      return ceirError(
        'CEIR_ERR_NOT_OWNER',
        `Record ${rec.recordId} originates in ${rec.origin}: only ${rec.origin} may publish, change or remove it, not ${h.country}`,
        { file: source, line, field: 'origin' },
      );
    if (h.kind === 'delta' && rec.seq !== h.from_seq + i + 1)
      return gap(`Sequence ${rec.seq} where ${h.from_seq + i + 1} was expected`, line);
    if (ids) {
      if (rec.seq > h.to_seq)
        return gap(`Sequence ${rec.seq} is after the snapshot's ${h.to_seq}`, line);
      if (rec.status !== 'active')
        return ceirError('CEIR_ERR_PARSE', 'A snapshot holds active records only', {
          file: source,
          line,
          field: 'status',
        });
      if (ids.has(rec.recordId))
        return ceirError('CEIR_ERR_PARSE', `Record ${rec.recordId} twice in the snapshot`, {
          file: source,
          line,
        });
      ids.add(rec.recordId);
    }
  }
  if (h.kind === 'delta' && h.to_seq !== h.from_seq + records.length)
    return gap(
      `The delta ends at ${h.to_seq} but holds sequences ${h.from_seq + 1}..${h.from_seq + records.length}`,
    );
  return ok({
    kind: h.kind,
    fromSeq: h.from_seq,
    toSeq: h.to_seq,
    keyId: h.key_id,
    headerSha256: headerDigest(d.value),
    count: records.length,
    body: d.value.body,
  });
}
