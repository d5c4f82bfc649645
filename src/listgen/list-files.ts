/**
 * The list files handed to operators (docs/domain.md section 5, docs/lists.md): one CSV per zip,
 * `<name>.csv` inside `<name>.zip`, written streaming so millions of rows use flat memory, with
 * the row count, SHA-256 and size of the zip computed on the way for the manifest.
 */
import { createHash } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { csvRecord } from './csv.js';
import { openZipFile } from './zip-writer.js';

export const LIST_KINDS = ['blacklist', 'notifications', 'exceptions'] as const;
export type ListFileKind = (typeof LIST_KINDS)[number];
export type ListForm = 'full' | 'delta';

/** Columns of each list in its full form; a delta puts `change_type` first. */
export const LIST_COLUMNS: Readonly<Record<ListFileKind, readonly string[]>> = {
  blacklist: ['imei', 'block_date', 'reasons'],
  notifications: ['imei', 'imsi', 'msisdn', 'block_date', 'reasons'],
  exceptions: ['imei', 'imsi', 'msisdn'],
};

/** The `change_type` values of each delta list (docs/domain.md section 5). */
export const CHANGE_TYPES: Readonly<Record<ListFileKind, readonly string[]>> = {
  blacklist: ['blocked', 'unblocked', 'changed'],
  notifications: ['new', 'resolved', 'blacklisted', 'no_longer_seen', 'changed'],
  exceptions: ['added', 'removed'],
};

/** Header of a list file: the list's columns, after `change_type` for a delta. */
export function listHeader(kind: ListFileKind, form: ListForm): string[] {
  return form === 'delta' ? ['change_type', ...LIST_COLUMNS[kind]] : [...LIST_COLUMNS[kind]];
}

const OPERATOR_ID = /^[a-z0-9][a-z0-9-]*$/;

function ymd(date: string | Date): string {
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new Error('Cannot name a list file: invalid date');
    return date.toISOString().slice(0, 10).replaceAll('-', '');
  }
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date);
  if (!m) throw new Error(`Cannot name a list file for date "${date}": expected YYYYMMDD`);
  return `${m[1]}${m[2]}${m[3]}`;
}

/**
 * The zip file name of a list: `<YYYYMMDD>_blacklist.zip`, `<YYYYMMDD>_notifications_<op>.zip`,
 * `<YYYYMMDD>_exceptions_<op>.zip`, with `_delta` before `.zip` for deltas. `date` is
 * `YYYYMMDD`, `YYYY-MM-DD` or a Date (its UTC day). Throws on a missing or unexpected operator.
 *
 * @example listFileName('2026-01-31', 'notifications', 'delta', 'alpha')
 * // '20260131_notifications_alpha_delta.zip'
 */
export function listFileName(
  date: string | Date,
  kind: ListFileKind,
  form: ListForm,
  operator?: string,
): string {
  if (kind === 'blacklist' && operator !== undefined)
    throw new Error('The black list is national: it takes no operator');
  if (
    kind !== 'blacklist' &&
    (operator === undefined || !OPERATOR_ID.test(operator) || operator === 'delta')
  )
    throw new Error(
      `The ${kind} list needs an operator id (a-z, 0-9, -; not "delta"), got "${operator}"`,
    );
  const op = operator === undefined ? '' : `_${operator}`;
  return `${ymd(date)}_${kind}${op}${form === 'delta' ? '_delta' : ''}.zip`;
}

export interface ParsedListFileName {
  readonly date: string;
  readonly kind: ListFileKind;
  readonly form: ListForm;
  readonly operator: string | null;
}

/** The inverse of {@link listFileName}; undefined for any other name. */
export function parseListFileName(name: string): ParsedListFileName | undefined {
  const delta = name.endsWith('_delta.zip');
  const base = name.slice(0, -(delta ? '_delta.zip' : '.zip').length);
  const m = /^(\d{8})_(blacklist|notifications|exceptions)(?:_([a-z0-9][a-z0-9-]*))?$/.exec(base);
  if (!name.endsWith('.zip') || !m) return undefined;
  const kind = m[2] as ListFileKind;
  const operator = m[3] ?? null;
  if ((kind === 'blacklist') !== (operator === null)) return undefined;
  return { date: m[1]!, kind, form: delta ? 'delta' : 'full', operator };
}

export interface WriteListFileOptions {
  /** Output directory. */
  readonly dir: string;
  /** Base name, e.g. `20260131_blacklist` (a trailing `.zip` is dropped). */
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: AsyncIterable<readonly string[]> | Iterable<readonly string[]>;
  /** Date of the zip entry (default: the `YYYYMMDD` the name starts with, else 1980-01-01). */
  readonly date?: Date;
  /** zlib level (default 6). */
  readonly level?: number;
}

export interface ListFileInfo {
  /** Path of the zip file written. */
  readonly file: string;
  /** Data rows (the header not counted). */
  readonly rows: number;
  /** Hex SHA-256 of the zip file. */
  readonly sha256: string;
  /** Size of the zip file. */
  readonly bytes: number;
}

function dateOfName(name: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})_/.exec(name);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const FLUSH_AT = 1 << 16;

/**
 * Writes `<name>.csv` (header, then rows, RFC 4180 quoting, LF line ends) inside `<dir>/<name>.zip`.
 * The zip appears whole or not at all (written under a temporary name, then renamed).
 * Rows must have as many fields as the header (a bug otherwise: it throws).
 */
export async function writeListFile(o: WriteListFileOptions): Promise<ListFileInfo> {
  const name = o.name.endsWith('.zip') ? o.name.slice(0, -4) : o.name;
  if (!name || /[/\\]/.test(name)) throw new Error(`Invalid list file name "${o.name}"`);
  const file = join(o.dir, `${name}.zip`);
  const tmp = `${file}.tmp-${process.pid}`;
  const hash = createHash('sha256');
  const zip = openZipFile(tmp, { onData: (b) => hash.update(b) });
  const date = o.date ?? dateOfName(name);
  const entry = zip.addEntry(`${name}.csv`, {
    ...(date ? { date } : {}),
    ...(o.level !== undefined ? { level: o.level } : {}),
  });
  const width = o.header.length;
  let rows = 0;
  let buf = csvRecord(o.header);
  try {
    for await (const row of o.rows) {
      if (row.length !== width)
        throw new Error(
          `List ${name}: row ${rows + 1} has ${row.length} fields, the header has ${width}`,
        );
      buf += csvRecord(row);
      rows++;
      if (buf.length >= FLUSH_AT) {
        const w = entry.write(Buffer.from(buf, 'utf8'));
        buf = '';
        if (w) await w;
      }
    }
    if (buf) await entry.write(Buffer.from(buf, 'utf8'));
    await entry.end();
    const { bytes } = await zip.close();
    renameSync(tmp, file);
    return { file, rows, sha256: hash.digest('hex'), bytes };
  } catch (e) {
    zip.abort();
    rmSync(tmp, { force: true });
    throw e;
  }
}
