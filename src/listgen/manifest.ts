/**
 * The manifest of one list run (docs/lists.md): `manifest.json`, canonical JSON (fixed key
 * order, files sorted by name, 2-space indent, trailing LF) naming every list file with its row
 * count, SHA-256 and size; and `manifest.sig`, the raw 64-byte Ed25519 signature (RFC 8032, pure
 * Ed25519, no pre-hash) of the exact bytes of `manifest.json`, which
 * `openssl pkeyutl -verify -pubin -inkey ceir-lists.pub.pem -rawin -in manifest.json -sigfile manifest.sig`
 * verifies.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ceirError, ok, type Result } from '../core/errors.js';
import { keyId } from './keys.js';
import {
  LIST_KINDS,
  parseListFileName,
  type ListFileInfo,
  type ListFileKind,
  type ListForm,
} from './list-files.js';

export const MANIFEST_FORMAT = 'openceir-lists/1';
export const MANIFEST_NAME = 'manifest.json';
export const SIGNATURE_NAME = 'manifest.sig';

export interface ManifestFile {
  readonly name: string;
  readonly kind: ListFileKind;
  readonly form: ListForm;
  /** Operator id; null for the national black list. */
  readonly operator: string | null;
  readonly rows: number;
  readonly sha256: string;
  readonly bytes: number;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly country: string;
  /** Id of the signing key ({@link keyId}). */
  readonly key_id: string;
  /** When the files were written, ISO 8601 UTC. */
  readonly generated_at: string;
  /** The day the lists hold for, YYYY-MM-DD. */
  readonly as_of: string;
  /** List run id. */
  readonly run: number;
  /** For delta files: the run they are relative to; null when the run has only full lists. */
  readonly base_run: number | null;
  readonly files: readonly ManifestFile[];
}

/** The manifest entry of a written list file; kind, form and operator come from its name. */
export function manifestFile(info: ListFileInfo): ManifestFile {
  const name = basename(info.file);
  const p = parseListFileName(name);
  if (!p) throw new Error(`"${name}" is not a list file name (see listFileName)`);
  const { rows, sha256, bytes } = info;
  return { name, kind: p.kind, form: p.form, operator: p.operator, rows, sha256, bytes };
}

/** The canonical bytes of a manifest: fixed key order, files sorted by name, 2-space JSON, LF. */
export function serializeManifest(m: Manifest): Buffer {
  const files = [...m.files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => ({
      name: f.name,
      kind: f.kind,
      form: f.form,
      operator: f.operator,
      rows: f.rows,
      sha256: f.sha256,
      bytes: f.bytes,
    }));
  const canonical = {
    format: m.format,
    country: m.country,
    key_id: m.key_id,
    generated_at: m.generated_at,
    as_of: m.as_of,
    run: m.run,
    base_run: m.base_run,
    files,
  };
  return Buffer.from(`${JSON.stringify(canonical, null, 2)}\n`, 'utf8');
}

const count = z.number().int().min(0);
const ManifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    country: z.string().min(1),
    key_id: z.string().regex(/^[0-9a-f]{16}$/, '16 hex digits'),
    generated_at: z.string().min(1),
    as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
    run: count,
    base_run: count.nullable(),
    files: z.array(
      z
        .object({
          name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'a plain file name'),
          kind: z.enum(LIST_KINDS),
          form: z.enum(['full', 'delta']),
          operator: z.string().nullable(),
          rows: count,
          sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 hex digits'),
          bytes: count,
        })
        .strict(),
    ),
  })
  .strict();

/** Parses and checks manifest bytes; every schema problem in one message. */
export function parseManifest(bytes: Buffer, source = MANIFEST_NAME): Result<Manifest> {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return ceirError('CEIR_ERR_PARSE', `Cannot parse ${source}: ${(e as Error).message}`, {
      file: source,
    });
  }
  const r = ManifestSchema.safeParse(json);
  if (!r.success)
    return ceirError(
      'CEIR_ERR_PARSE',
      `Cannot read ${source}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      { file: source },
    );
  return ok(r.data as Manifest);
}

/** The raw 64-byte Ed25519 signature of the manifest bytes. */
export function signManifest(manifestBytes: Buffer, privateKey: KeyObject): Buffer {
  return sign(null, manifestBytes, privateKey);
}

export function verifyManifestSignature(
  manifestBytes: Buffer,
  signature: Buffer,
  publicKey: KeyObject,
): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify(null, manifestBytes, publicKey, signature);
  } catch {
    return false;
  }
}

export interface ManifestInput extends Omit<Manifest, 'format' | 'key_id' | 'generated_at'> {
  /** Default: now. */
  readonly generated_at?: string;
}

/**
 * Writes `manifest.json` and `manifest.sig` into `dir` (signature last, each file whole or not at
 * all); `key_id` is that of the signing key. Returns the manifest as written.
 */
export function writeSignedManifest(
  dir: string,
  input: ManifestInput,
  keys: { privateKey: KeyObject; publicKey: KeyObject },
): { manifest: Manifest; bytes: Buffer; signature: Buffer } {
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    country: input.country,
    key_id: keyId(keys.publicKey),
    generated_at: input.generated_at ?? new Date().toISOString(),
    as_of: input.as_of,
    run: input.run,
    base_run: input.base_run,
    files: input.files,
  };
  const bytes = serializeManifest(manifest);
  const signature = signManifest(bytes, keys.privateKey);
  if (!verifyManifestSignature(bytes, signature, keys.publicKey))
    throw new Error('The list signing key pair does not match: private and public keys differ');
  for (const [name, data] of [
    [MANIFEST_NAME, bytes],
    [SIGNATURE_NAME, signature],
  ] as const) {
    const tmp = join(dir, `${name}.tmp-${process.pid}`);
    writeFileSync(tmp, data);
    renameSync(tmp, join(dir, name));
  }
  return { manifest, bytes, signature };
}
