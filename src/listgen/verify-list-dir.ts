/**
 * Checks a directory of list files as an operator receives it: the manifest's Ed25519 signature,
 * then every listed file's size, SHA-256, zip entry, header, `change_type` values and row count,
 * and that no unlisted zip lies beside them. Every problem is reported, each naming its file.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ceirError, ok, type CeirError } from '../core/errors.js';
import { CsvReader } from './csv.js';
import { keyId } from './keys.js';
import { CHANGE_TYPES, listHeader, parseListFileName } from './list-files.js';
import {
  MANIFEST_NAME,
  SIGNATURE_NAME,
  parseManifest,
  verifyManifestSignature,
  type Manifest,
  type ManifestFile,
} from './manifest.js';
import { readZip } from './zip-reader.js';

export interface VerifiedLists {
  readonly manifest: Manifest;
  readonly files: number;
  readonly rows: number;
}

export type ListVerification =
  | { kind: 'ok'; value: VerifiedLists }
  | { kind: 'invalid'; problems: CeirError[]; manifest?: Manifest };

/** At most this many bad rows are named per file (then a count of the rest). */
const ROW_PROBLEMS = 5;

const problem = (file: string, rule: string, message: string): CeirError =>
  ceirError('CEIR_ERR_INPUT_FILE', message, { file }, rule);

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
  return h.digest('hex');
}

/** Reads the CSV inside one list zip: header, field counts, change_type values, row count. */
async function checkCsv(path: string, f: ManifestFile, out: CeirError[]): Promise<void> {
  const base = f.name.replace(/\.zip$/, '');
  const entry = `${base}.csv`;
  const header = listHeader(f.kind, f.form);
  const allowed = f.form === 'delta' ? new Set(CHANGE_TYPES[f.kind]) : undefined;
  let bad = 0;
  const badRow = (msg: string) => {
    if (++bad <= ROW_PROBLEMS) out.push(problem(f.name, 'rows', msg));
  };
  const csv = new CsvReader(
    (fields, n) => {
      if (n === 1) {
        if (fields.join(',') !== header.join(','))
          out.push(
            problem(
              f.name,
              'header',
              `${entry} header is "${fields.join(',')}", expected "${header.join(',')}"`,
            ),
          );
        return;
      }
      if (fields.length !== header.length)
        badRow(`${entry} record ${n} has ${fields.length} fields, expected ${header.length}`);
      else if (allowed && !allowed.has(fields[0]!))
        badRow(
          `${entry} record ${n} has change_type "${fields[0]}", expected one of ${[...allowed].join(', ')}`,
        );
    },
    (msg) => badRow(`${entry}: ${msg}`),
  );
  const text = new StringDecoder('utf8');
  let names: readonly string[];
  try {
    ({ names } = await readZip(path, entry, (c) => csv.push(text.write(c))));
  } catch (e) {
    out.push(problem(f.name, 'zip', `Cannot read the zip archive: ${(e as Error).message}`));
    return;
  }
  if (!names.includes(entry)) {
    out.push(
      problem(
        f.name,
        'zip',
        `The archive holds no ${entry} (entries: ${names.join(', ') || 'none'})`,
      ),
    );
    return;
  }
  if (names.length !== 1)
    out.push(
      problem(f.name, 'zip', `The archive holds ${names.length} entries, expected only ${entry}`),
    );
  csv.push(text.end());
  csv.end();
  if (bad > ROW_PROBLEMS)
    out.push(problem(f.name, 'rows', `... and ${bad - ROW_PROBLEMS} more bad records`));
  if (csv.count === 0) out.push(problem(f.name, 'header', `${entry} is empty: no header`));
  const rows = Math.max(0, csv.count - 1);
  if (rows !== f.rows)
    out.push(problem(f.name, 'rows', `${entry} has ${rows} rows, the manifest says ${f.rows}`));
}

async function checkFile(dir: string, f: ManifestFile, out: CeirError[]): Promise<void> {
  const p = parseListFileName(f.name);
  if (!p) {
    out.push(
      problem(f.name, 'name', 'Not a list file name (YYYYMMDD_<list>[_<operator>][_delta].zip)'),
    );
    return;
  }
  if (p.kind !== f.kind || p.form !== f.form || p.operator !== f.operator)
    out.push(
      problem(
        f.name,
        'name',
        `The manifest says ${f.form} ${f.kind}${f.operator ? ` of ${f.operator}` : ''}, the name says ${p.form} ${p.kind}${p.operator ? ` of ${p.operator}` : ''}`,
      ),
    );
  const path = join(dir, f.name);
  if (!existsSync(path)) {
    out.push(problem(f.name, 'missing', 'Listed in the manifest but not in the directory'));
    return;
  }
  const size = statSync(path).size;
  if (size !== f.bytes)
    out.push(problem(f.name, 'bytes', `The file has ${size} bytes, the manifest says ${f.bytes}`));
  const digest = await sha256Of(path);
  if (digest !== f.sha256)
    out.push(problem(f.name, 'sha256', `SHA-256 is ${digest}, the manifest says ${f.sha256}`));
  await checkCsv(path, f, out);
}

/** Verifies a list directory against the given public key. */
export async function verifyListDir(dir: string, publicKey: KeyObject): Promise<ListVerification> {
  const out: CeirError[] = [];
  const read = (name: string): Buffer | undefined => {
    const path = join(dir, name);
    if (!existsSync(path)) {
      out.push(problem(name, 'missing', `No ${name} in ${dir}`));
      return undefined;
    }
    return readFileSync(path);
  };
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return { kind: 'invalid', problems: [problem(dir, 'missing', 'Not a directory')] };
  const bytes = read(MANIFEST_NAME);
  const sig = read(SIGNATURE_NAME);
  if (!bytes) return { kind: 'invalid', problems: out };
  if (sig && !verifyManifestSignature(bytes, sig, publicKey))
    out.push(
      problem(
        SIGNATURE_NAME,
        'signature',
        sig.length === 64
          ? `The signature of ${MANIFEST_NAME} does not verify with key ${keyId(publicKey)}: the manifest was changed or signed with another key`
          : `Not an Ed25519 signature: ${sig.length} bytes, expected 64`,
      ),
    );
  const parsed = parseManifest(bytes);
  if (parsed.kind !== 'ok') return { kind: 'invalid', problems: [...out, parsed] };
  const manifest = parsed.value;
  if (manifest.key_id !== keyId(publicKey))
    out.push(
      problem(
        MANIFEST_NAME,
        'key_id',
        `Signed with key ${manifest.key_id}, verifying with key ${keyId(publicKey)}`,
      ),
    );
  const listed = new Set<string>();
  for (const f of manifest.files) {
    if (listed.has(f.name)) out.push(problem(f.name, 'name', 'Listed twice in the manifest'));
    listed.add(f.name);
    await checkFile(dir, f, out);
  }
  for (const name of readdirSync(dir).sort())
    if (name.endsWith('.zip') && !listed.has(name))
      out.push(problem(name, 'unlisted', 'A zip file not listed in the manifest'));
  if (out.length) return { kind: 'invalid', problems: out, manifest };
  const rows = manifest.files.reduce((s, f) => s + f.rows, 0);
  return ok({ manifest, files: manifest.files.length, rows });
}
