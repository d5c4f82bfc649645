/**
 * The signed batch of the exchange (docs/exchange.md, format `openceir-exchange/1`): UTF-8 text,
 * LF line ends.
 *
 * - line 1: the header, canonical JSON on one line (keys in the order of {@link BatchHeader});
 * - line 2: the Ed25519 signature (RFC 8032, pure) of the exact bytes of line 1, in base64;
 * - lines 3..: the body, one JSON object per line; `sha256` in the header is the SHA-256 of
 *   these bytes (every body line with its LF), so the one signature covers the whole batch.
 *
 * The same envelope carries feed deltas, feed snapshots and owner notices (`kind`).
 */
import { createHash } from 'node:crypto';
import { ceirError, ok, type Result } from '../core/errors.js';

export const EXCHANGE_FORMAT = 'openceir-exchange/1';
export const BATCH_KINDS = ['snapshot', 'delta', 'notice'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

export interface BatchHeader {
  readonly format: typeof EXCHANGE_FORMAT;
  readonly kind: BatchKind;
  /** The publishing country's code (config `exchange.country`). */
  readonly country: string;
  /** Id of the signing key: first 16 hex digits of the SHA-256 of the raw public key. */
  readonly key_id: string;
  readonly generated_at: string;
  /** The sequence number the batch continues from (exclusive); 0 for a snapshot or a notice. */
  readonly from_seq: number;
  /** The last sequence number the batch brings the reader to. */
  readonly to_seq: number;
  /** Body lines. */
  readonly records: number;
  /** SHA-256 (hex) of the body bytes. */
  readonly sha256: string;
}

/** Signs with the country key (wired from `listgen/keys.ts` by the apps). */
export interface BatchSigner {
  readonly keyId: string;
  sign(data: Buffer): Buffer;
}

/** Verifies with a peer's public key. */
export interface BatchVerifier {
  readonly keyId: string;
  verify(data: Buffer, signature: Buffer): boolean;
}

/** The canonical header line (no LF). */
export function headerLine(h: BatchHeader): string {
  return JSON.stringify({
    format: h.format,
    kind: h.kind,
    country: h.country,
    key_id: h.key_id,
    generated_at: h.generated_at,
    from_seq: h.from_seq,
    to_seq: h.to_seq,
    records: h.records,
    sha256: h.sha256,
  });
}

export interface BatchInput {
  readonly kind: BatchKind;
  readonly country: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly generatedAt?: string;
}

/** Encodes and signs a batch whose body lines (JSON, without LF) are `lines`. */
export function encodeBatch(input: BatchInput, lines: readonly string[], signer: BatchSigner) {
  const body = Buffer.from(lines.length ? `${lines.join('\n')}\n` : '', 'utf8');
  return encodeBatchBody(input, body, lines.length, signer);
}

/** Encodes and signs a batch whose body (`count` lines, each ending in LF) is given whole. */
export function encodeBatchBody(
  input: BatchInput,
  body: Buffer,
  count: number,
  signer: BatchSigner,
): Buffer {
  const header: BatchHeader = {
    format: EXCHANGE_FORMAT,
    kind: input.kind,
    country: input.country,
    key_id: signer.keyId,
    generated_at: input.generatedAt ?? new Date().toISOString(),
    from_seq: input.fromSeq,
    to_seq: input.toSeq,
    records: count,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
  const head = Buffer.from(headerLine(header), 'utf8');
  const sig = signer.sign(head).toString('base64');
  return Buffer.concat([head, Buffer.from(`\n${sig}\n`, 'utf8'), body]);
}

/** A batch split into its parts; nothing verified yet but the header's shape. */
export interface DecodedBatch {
  readonly header: BatchHeader;
  readonly headerBytes: Buffer;
  readonly signature: Buffer;
  readonly body: Buffer;
}

const HEX16 = /^[0-9a-f]{16}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const COUNTRY = /^[A-Z]{2,3}$/;

function headerProblem(h: Record<string, unknown>): string | undefined {
  if (h.format !== EXCHANGE_FORMAT)
    return `format is ${JSON.stringify(h.format)}, not ${EXCHANGE_FORMAT}`;
  if (!BATCH_KINDS.includes(h.kind as BatchKind)) return `kind ${JSON.stringify(h.kind)} unknown`;
  if (typeof h.country !== 'string' || !COUNTRY.test(h.country))
    return 'country is not 2-3 upper-case letters';
  if (typeof h.key_id !== 'string' || !HEX16.test(h.key_id)) return 'key_id is not 16 hex digits';
  if (typeof h.generated_at !== 'string') return 'generated_at missing';
  for (const k of ['from_seq', 'to_seq', 'records'] as const) {
    const v = h[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return `${k} is not a count`;
  }
  if (typeof h.sha256 !== 'string' || !HEX64.test(h.sha256)) return 'sha256 is not 64 hex digits';
  return undefined;
}

/** Splits a batch into header, signature and body; `source` names it in errors. */
export function decodeBatch(bytes: Buffer, source: string): Result<DecodedBatch> {
  const nl1 = bytes.indexOf(0x0a);
  const nl2 = nl1 < 0 ? -1 : bytes.indexOf(0x0a, nl1 + 1);
  if (nl2 < 0)
    return ceirError('CEIR_ERR_PARSE', 'Not an exchange batch: no header and signature lines', {
      file: source,
      line: 1,
    });
  const headerBytes = bytes.subarray(0, nl1);
  let raw: unknown;
  try {
    raw = JSON.parse(headerBytes.toString('utf8'));
  } catch (e) {
    return ceirError('CEIR_ERR_PARSE', `Cannot parse the header: ${(e as Error).message}`, {
      file: source,
      line: 1,
    });
  }
  const problem =
    raw && typeof raw === 'object'
      ? headerProblem(raw as Record<string, unknown>)
      : 'not an object';
  if (problem)
    return ceirError('CEIR_ERR_PARSE', `Bad header: ${problem}`, { file: source, line: 1 });
  const sigText = bytes.subarray(nl1 + 1, nl2).toString('ascii');
  const signature = Buffer.from(sigText, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sigText) || signature.length !== 64)
    return ceirError(
      'CEIR_ERR_BAD_SIGNATURE',
      'The signature line is not a base64 Ed25519 signature',
      {
        file: source,
        line: 2,
      },
    );
  return ok({ header: raw as BatchHeader, headerBytes, signature, body: bytes.subarray(nl2 + 1) });
}

/**
 * Checks the signature of the header with the peer's key, then that the body is the one the
 * header names (SHA-256 and line count). A failure is `CEIR_ERR_BAD_SIGNATURE`.
 */
export function verifyBatch(
  b: DecodedBatch,
  verifier: BatchVerifier,
  source: string,
): Result<string[]> {
  const bad = (message: string, line?: number) =>
    ceirError('CEIR_ERR_BAD_SIGNATURE', message, { file: source, ...(line ? { line } : {}) });
  if (b.header.key_id !== verifier.keyId)
    return bad(
      `Signed with key ${b.header.key_id}, but the peer's configured key is ${verifier.keyId}`,
      1,
    );
  if (!verifier.verify(b.headerBytes, b.signature))
    return bad("The header's signature does not verify with the peer's key", 2);
  const digest = createHash('sha256').update(b.body).digest('hex');
  if (digest !== b.header.sha256)
    return bad(
      `The body was altered: its SHA-256 is ${digest}, the signed header says ${b.header.sha256}`,
    );
  if (b.body.length > 0 && b.body[b.body.length - 1] !== 0x0a)
    return bad('The body does not end with a line feed');
  const lines = b.body.length ? b.body.toString('utf8').slice(0, -1).split('\n') : [];
  if (lines.length !== b.header.records)
    return bad(`The body has ${lines.length} lines, the signed header says ${b.header.records}`);
  return ok(lines);
}

/** SHA-256 (hex) of the header bytes: the batch's identity in provenance. */
export function headerDigest(b: DecodedBatch): string {
  return createHash('sha256').update(b.headerBytes).digest('hex');
}
