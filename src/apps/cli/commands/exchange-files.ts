/**
 * `ceir exchange export` and `ceir exchange import`: the block-list files of docs/exchange.md.
 * `feed` is a signed snapshot batch (self-contained); `gsma` (the OCBL01 fixed-width file) and
 * `csv` are signed by a detached `<file>.sig`, the raw Ed25519 signature of the file's bytes
 * (what `openssl pkeyutl -sign -rawin` makes), so a CEIR without OpenCEIR can take part.
 * An import is a full list of the peer's records: what it lacks is marked removed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ceirError, CeirFailure, type CeirError } from '../../../core/errors.js';
import type { ExchangeRecord, VerifiedBatch } from '../../../core/ports/exchange-store.js';
import { encodeExchangeCsv, parseExchangeCsv } from '../../../exchange/csv-file.js';
import { acceptFeedBatch, encodeSnapshot } from '../../../exchange/feed-batch.js';
import { encodeOcbl, parseOcbl } from '../../../exchange/gsma-file.js';
import { recordsBody } from '../../../exchange/feed-record.js';
import {
  configuredPeers,
  countrySigner,
  exchangeStoreOf,
  ourCountry,
} from '../../server/exchange-wiring.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';

const FORMATS = ['feed', 'gsma', 'csv'] as const;
type FileFormat = (typeof FORMATS)[number];

function format(v: string | undefined): FileFormat {
  const f = (v ?? 'feed') as FileFormat;
  if (!FORMATS.includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  return f;
}

function writeAtomic(path: string, data: Buffer | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export async function runExchangeExport(
  ctx: CliContext,
  a: { out?: string; format?: string },
): Promise<number> {
  if (!a.out) throw new UsageError('ceir exchange export --out <file> [--format feed|gsma|csv]');
  const f = format(a.format);
  const country = ourCountry(ctx.config);
  const signer = countrySigner(ctx.dataDir);
  const s = await exchangeStoreOf(await ctx.openStore()).feedSnapshot();
  const today = new Date().toISOString().slice(0, 10);
  const bytes =
    f === 'feed'
      ? encodeSnapshot(country, s.headSeq, s.records, signer)
      : Buffer.from(
          f === 'gsma'
            ? encodeOcbl(country, s.headSeq, today, s.records)
            : encodeExchangeCsv(s.records),
        );
  writeAtomic(a.out, bytes);
  if (f !== 'feed') writeAtomic(`${a.out}.sig`, signer.sign(bytes));
  ctx.print({ file: a.out, format: f, records: s.records.length, head_seq: s.headSeq }, () => [
    `wrote ${s.records.length} records (${f}, as of seq ${s.headSeq}) to ${a.out}${f === 'feed' ? '' : ` and ${a.out}.sig`}`,
  ]);
  return 0;
}

function fail(e: CeirError): never {
  throw new CeirFailure(e);
}

export async function runExchangeImport(
  ctx: CliContext,
  files: readonly string[],
  a: { peer?: string; format?: string },
): Promise<number> {
  if (files.length !== 1 || !a.peer)
    throw new UsageError('ceir exchange import <file> --peer <id> [--format feed|gsma|csv]');
  const file = files[0]!;
  const f = format(a.format);
  const peer = configuredPeers(ctx.config, ctx.configPath).find((p) => p.peer === a.peer);
  if (!peer) throw new UsageError(`No peer "${a.peer}" in exchange.peers`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return fail(ceirError('CEIR_ERR_INPUT_FILE', (e as Error).message, { file }));
  }
  const x = exchangeStoreOf(await ctx.openStore());
  await x.syncPeers(configuredPeers(ctx.config, ctx.configPath));
  const cursor = (await x.peerStates()).find((s) => s.peer === peer.peer)?.lastSeq ?? 0;
  let batch: VerifiedBatch;
  if (f === 'feed') {
    const b = acceptFeedBatch(
      bytes,
      { country: peer.country, verifier: peer.verifier, cursor },
      file,
    );
    if (b.kind !== 'ok') return fail(b);
    batch = b.value;
  } else {
    const sigFile = `${file}.sig`;
    if (!existsSync(sigFile))
      return fail(
        ceirError('CEIR_ERR_BAD_SIGNATURE', `No signature ${sigFile} beside the file`, { file }),
      );
    if (!peer.verifier.verify(bytes, readFileSync(sigFile)))
      return fail(
        ceirError('CEIR_ERR_BAD_SIGNATURE', `${sigFile} does not verify with ${peer.peer}'s key`, {
          file,
        }),
      );
    let records: readonly ExchangeRecord[];
    let toSeq: number;
    if (f === 'gsma') {
      const p = parseOcbl(bytes.toString('latin1'), file);
      if (p.kind !== 'ok') return fail(p);
      if (p.value.origin !== peer.country)
        return fail(
          ceirError(
            'CEIR_ERR_NOT_OWNER',
            `The file is ${p.value.origin}'s, the peer is ${peer.country}`,
            { file, line: 1 },
          ),
        );
      records = p.value.records.filter((r) => r.status === 'active');
      toSeq = p.value.fileSeq;
    } else {
      const p = parseExchangeCsv(bytes.toString('utf8'), file);
      if (p.kind !== 'ok') return fail(p);
      const i = p.value.findIndex((r) => r.origin !== peer.country);
      if (i >= 0)
        return fail(
          ceirError(
            'CEIR_ERR_NOT_OWNER',
            `Record ${p.value[i]!.recordId} is not ${peer.country}'s`,
            { file, line: i + 2 },
          ),
        );
      records = p.value.filter((r) => r.status === 'active');
      toSeq = p.value.reduce((m, r) => Math.max(m, r.seq), 0);
    }
    if (toSeq < cursor)
      return fail(
        ceirError(
          'CEIR_ERR_SEQUENCE_GAP',
          `The file is as of sequence ${toSeq}, before the last applied ${cursor}`,
          { file },
        ),
      );
    batch = {
      kind: 'snapshot',
      fromSeq: 0,
      toSeq,
      keyId: peer.verifier.keyId,
      headerSha256: createHash('sha256').update(bytes).digest('hex'),
      count: records.length,
      body: recordsBody(records),
    };
  }
  const n = await x.applyBatch(peer, batch, new Date());
  ctx.print({ peer: peer.peer, format: f, records: n, seq: batch.toSeq }, () => [
    `imported ${n} records of ${peer.peer} (${peer.country}) from ${file}; now at seq ${batch.toSeq}`,
  ]);
  return 0;
}
