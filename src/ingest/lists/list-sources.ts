/**
 * One spec per list source of domain.md section 3 (DIRBS-compatible formats): its delimiter,
 * required columns, key and per-field rules, and the row parser that turns a record into a row
 * of the LIST SPOOL (`core/ports/store.ts`). A delta file adds the column `change_type`
 * (add | remove | update). A row that breaks a rule rejects the whole file (lists are curated:
 * unlike operator dumps, nothing is imported "as it is").
 */
import type { ListKind } from '../../core/ports/store.js';
import {
  normaliseImei,
  parseImsi,
  parseMsisdn,
  parseTac,
  radioCapability,
} from '../../core/ids/index.js';
import { normaliseColumn, type Delimiter, type Header } from '../delimited-reader.js';

export type ChangeType = 'add' | 'remove' | 'update';

/** One LIST SPOOL row (empty strings are nulls in the spool). */
export interface ListRow {
  readonly changeType: ChangeType | '';
  readonly key: string;
  readonly imeiNorm: string;
  readonly tac: string;
  readonly imsi: string;
  readonly msisdn: string;
  readonly status: string;
  /** Radio capability generation mask (`core/ids/generation.ts`), TAC database only. */
  readonly caps: number | undefined;
  readonly attrs: Readonly<Record<string, string>>;
}

/** A row that breaks a rule: the field (if one) and the rule it broke. */
export interface RowProblem {
  readonly kind: 'invalid';
  readonly field?: string;
  readonly rule: string;
  readonly message: string;
}

export type RowCheck = { readonly kind: 'ok'; readonly row: ListRow } | RowProblem;

type Check = (v: string) => { rule: string; message: string } | undefined;

/** What identifies an entry: an IMEI column, a TAC column, or IMEI + IMSI (pairing). */
type KeyKind = 'imei' | 'tac' | 'imei_imsi';

export interface ListSpec {
  readonly kind: ListKind;
  readonly delimiter: Delimiter;
  /** Required columns of the full form, normalised (`normaliseColumn`), in document order. */
  readonly columns: readonly string[];
  readonly keyKind: KeyKind;
  /** The column holding the IMEI or TAC of the key. */
  readonly keyColumn: string;
  readonly statusColumn?: string;
  readonly imsiColumn?: string;
  readonly msisdnColumn?: string;
  /** Column holding the GSMA `Bands` string from which `caps` is derived. */
  readonly bandsColumn?: string;
  /** Statuses (lower-cased) that make an entry take effect; undefined = every entry does. */
  readonly activeStatuses?: readonly string[];
  /** Extra per-column rules; empty values pass unless the column is the key. */
  readonly checks: Readonly<Record<string, Check>>;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[m - 1]!);
}

/** `YYYYMMDD`, a real calendar day (DIRBS stolen list `reporting_date`). */
export const checkYyyymmdd: Check = (v) => {
  const m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(v);
  if (m && validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  return { rule: 'date_yyyymmdd', message: `Cannot parse date "${v}": expected YYYYMMDD` };
};

/** `DD-Mon-YYYY` with an English month abbreviation (GSMA `Allocation Date`). */
export const checkDdMonYyyy: Check = (v) => {
  const m = /^([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4})$/.exec(v);
  const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) + 1 : 0;
  if (m && month > 0 && validDate(Number(m[3]), month, Number(m[1]))) return undefined;
  return { rule: 'date_dd_mon_yyyy', message: `Cannot parse date "${v}": expected DD-Mon-YYYY` };
};

const GSMA_COLUMNS = [
  'TAC',
  'Marketing Name',
  'Internal Model Name',
  'Manufacturer',
  'Bands',
  'Allocation Date',
  'Country Code',
  'Fixed Code',
  'Manufacturer Code',
  'Radio Interface',
  'Brand Name',
  'Model Name',
  'Operating System',
  'NFC',
  'Bluetooth',
  'WLAN',
  'Device Type',
].map(normaliseColumn);

const imeiList = (kind: ListKind, column: string): ListSpec => ({
  kind,
  delimiter: ',',
  columns: [column],
  keyKind: 'imei',
  keyColumn: column,
  checks: {},
});

/** The specs, by list kind (domain.md section 3). */
export const LIST_SPECS: Readonly<Record<ListKind, ListSpec>> = {
  gsma_tac: {
    kind: 'gsma_tac',
    delimiter: '|',
    columns: GSMA_COLUMNS,
    keyKind: 'tac',
    keyColumn: 'tac',
    bandsColumn: 'bands',
    checks: { allocation_date: checkDdMonYyyy },
  },
  stolen: {
    kind: 'stolen',
    delimiter: ',',
    columns: ['imei', 'reporting_date', 'status'],
    keyKind: 'imei',
    keyColumn: 'imei',
    statusColumn: 'status',
    activeStatuses: ['', 'blacklist'],
    checks: { reporting_date: checkYyyymmdd },
  },
  registration: {
    kind: 'registration',
    delimiter: ',',
    columns: [
      'approved_imei',
      'make',
      'model',
      'status',
      'model_number',
      'brand_name',
      'device_type',
      'radio_interface',
      'device_id',
    ],
    keyKind: 'imei',
    keyColumn: 'approved_imei',
    statusColumn: 'status',
    activeStatuses: ['', 'whitelist'],
    checks: {},
  },
  pairing: {
    kind: 'pairing',
    delimiter: ',',
    columns: ['imei', 'imsi', 'msisdn'],
    keyKind: 'imei_imsi',
    keyColumn: 'imei',
    imsiColumn: 'imsi',
    msisdnColumn: 'msisdn',
    checks: {},
  },
  golden: imeiList('golden', 'golden_imei'),
  barred: imeiList('barred', 'imei'),
  barred_tac: {
    kind: 'barred_tac',
    delimiter: ',',
    columns: ['tac'],
    keyKind: 'tac',
    keyColumn: 'tac',
    checks: {},
  },
  monitoring: imeiList('monitoring', 'imei'),
};

/** Required columns of a list file in the given form. */
export function requiredColumns(spec: ListSpec, mode: 'full' | 'delta'): readonly string[] {
  return mode === 'delta' ? [...spec.columns, 'change_type'] : spec.columns;
}

/** Whether an entry with this status takes effect (stolen: blocks; registration: registers). */
export function isActiveStatus(spec: ListSpec, status: string): boolean {
  return spec.activeStatuses === undefined || spec.activeStatuses.includes(status.toLowerCase());
}

const invalid = (field: string | undefined, rule: string, message: string): RowProblem => ({
  kind: 'invalid',
  ...(field !== undefined ? { field } : {}),
  rule,
  message,
});

/**
 * A parser of one file's records: checks the field count, `change_type` (delta), the key and
 * every rule of the spec, and builds the spool row. Columns beyond the dedicated ones (and
 * extra columns of the file) go to `attrs`, in spec order then extras by name, so that equal
 * data gives equal JSON.
 */
export function rowParser(
  spec: ListSpec,
  header: Header,
  mode: 'full' | 'delta',
): (fields: readonly string[]) => RowCheck {
  const at = (c: string): number => header.index.get(c)!;
  const dedicated = new Set(
    [spec.keyColumn, spec.statusColumn, spec.imsiColumn, spec.msisdnColumn, 'change_type'].filter(
      (c): c is string => c !== undefined,
    ),
  );
  const extras = header.columns.filter((c) => !spec.columns.includes(c) && c !== 'change_type');
  const attrCols = [...spec.columns.filter((c) => !dedicated.has(c)), ...extras.sort()];
  const attrIdx = attrCols.map(at);
  const checks = Object.entries(spec.checks).map(([c, f]) => [c, at(c), f] as const);
  const width = header.columns.length;
  const keyIdx = at(spec.keyColumn);
  const statusIdx = spec.statusColumn ? at(spec.statusColumn) : -1;
  const imsiIdx = spec.imsiColumn ? at(spec.imsiColumn) : -1;
  const msisdnIdx = spec.msisdnColumn ? at(spec.msisdnColumn) : -1;
  const bandsIdx = spec.bandsColumn ? at(spec.bandsColumn) : -1;
  const changeIdx = mode === 'delta' ? at('change_type') : -1;

  return (fields) => {
    if (fields.length !== width) {
      return invalid(
        undefined,
        'field_count',
        `Cannot parse row: it has ${fields.length} fields, the header has ${width}`,
      );
    }
    let changeType: ListRow['changeType'] = '';
    if (changeIdx >= 0) {
      const c = fields[changeIdx]!.trim().toLowerCase();
      if (c !== 'add' && c !== 'remove' && c !== 'update') {
        return invalid(
          'change_type',
          'change_type',
          `Cannot parse change_type "${fields[changeIdx]}": expected add, remove or update`,
        );
      }
      changeType = c;
    }
    const rawKey = fields[keyIdx]!;
    let key: string;
    let imeiNorm = '';
    let tac: string;
    if (spec.keyKind === 'tac') {
      const t = parseTac(rawKey);
      if (t.kind !== 'ok') return invalid(spec.keyColumn, 'tac_format', t.message);
      key = tac = t.value;
    } else {
      const n = normaliseImei(rawKey);
      if (n.kind !== 'valid') {
        return invalid(
          spec.keyColumn,
          'imei_format',
          `Cannot parse IMEI "${rawKey}": does not start with 14 digits`,
        );
      }
      key = imeiNorm = n.norm;
      tac = n.norm.slice(0, 8);
    }
    let imsi = '';
    if (imsiIdx >= 0) {
      const r = parseImsi(fields[imsiIdx]!);
      if (r.kind !== 'ok') return invalid(spec.imsiColumn, 'imsi_format', r.message);
      imsi = r.value;
      key = `${imeiNorm}:${imsi}`;
    }
    let msisdn = '';
    if (msisdnIdx >= 0 && fields[msisdnIdx]!.trim() !== '') {
      const r = parseMsisdn(fields[msisdnIdx]!);
      if (r.kind !== 'ok') return invalid(spec.msisdnColumn, 'msisdn_format', r.message);
      msisdn = r.value;
    }
    for (const [c, i, f] of checks) {
      const v = fields[i]!.trim();
      const bad = v === '' ? undefined : f(v);
      if (bad) return invalid(c, bad.rule, bad.message);
    }
    const attrs: Record<string, string> = {};
    for (let j = 0; j < attrCols.length; j++) attrs[attrCols[j]!] = fields[attrIdx[j]!]!.trim();
    return {
      kind: 'ok',
      row: {
        changeType,
        key,
        imeiNorm,
        tac,
        imsi,
        msisdn,
        status: statusIdx >= 0 ? fields[statusIdx]!.trim().toLowerCase() : '',
        caps: bandsIdx >= 0 ? radioCapability(fields[bandsIdx]!) : undefined,
        attrs,
      },
    };
  };
}
