/**
 * An importer's bulk registration file: CSV with header `imei,brand,model,device_type,
 * import_permit` (any order, case-insensitive; `brand` optional). Every bad row is reported with
 * its line, field and message; a file with any bad row registers nothing (fix and upload again).
 */
import { parseImeiInput } from './imei-input.js';

export interface RegistrationRow {
  readonly line: number;
  readonly key: string;
  readonly brand: string;
  readonly model: string;
  readonly deviceType: string;
  readonly importPermit: string;
}

export interface RowError {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

export const REQUIRED = ['imei', 'model', 'device_type', 'import_permit'] as const;
export const MAX_ROWS = 100_000;

/** Splits one CSV line (RFC 4180 quotes, no line breaks inside fields). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

export function parseRegistrationCsv(text: string): {
  rows: RegistrationRow[];
  errors: RowError[];
} {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const errors: RowError[] = [];
  const rows: RegistrationRow[] = [];
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase().replace(/\s+/g, '_'));
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    errors.push({
      line: 1,
      field: missing[0]!,
      message: `The header lacks the column(s) ${missing.join(', ')}`,
    });
    return { rows, errors };
  }
  const at = (f: string[], c: string): string => {
    const i = header.indexOf(c);
    return i >= 0 ? (f[i] ?? '') : '';
  };
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const line = i + 1;
    if (rows.length + errors.length >= MAX_ROWS) {
      errors.push({ line, field: '', message: `At most ${MAX_ROWS} rows an upload` });
      break;
    }
    const f = splitCsvLine(raw);
    if (f.length !== header.length) {
      errors.push({
        line,
        field: '',
        message: `The row has ${f.length} fields, the header ${header.length}`,
      });
      continue;
    }
    const imei = parseImeiInput(at(f, 'imei'));
    if (imei.kind !== 'ok') {
      errors.push({ line, field: 'imei', message: imei.message });
      continue;
    }
    const empty = REQUIRED.find((c) => at(f, c) === '');
    if (empty) {
      errors.push({ line, field: empty, message: `${empty} is empty` });
      continue;
    }
    const dup = seen.get(imei.key);
    if (dup !== undefined) {
      errors.push({ line, field: 'imei', message: `IMEI ${imei.imei} is also on line ${dup}` });
      continue;
    }
    seen.set(imei.key, line);
    rows.push({
      line,
      key: imei.key,
      brand: at(f, 'brand'),
      model: at(f, 'model'),
      deviceType: at(f, 'device_type'),
      importPermit: at(f, 'import_permit'),
    });
  }
  if (rows.length === 0 && errors.length === 0)
    errors.push({ line: 2, field: '', message: 'The file has no rows' });
  return { rows, errors };
}
