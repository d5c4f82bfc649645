/**
 * A GSMA-style block-list file, OpenCEIR's own documented fixed-width format `OCBL01`
 * (docs/exchange.md "Block-list file"). GSMA's own block-list formats are closed to members, so
 * this is NOT a GSMA format: it has their usual shape (a header record, detail records with IMEI
 * ranges, reason codes and the owning organisation, a trailer with the count), so a CEIR that
 * does not run OpenCEIR can write and read it with a few lines of code. ASCII, one record per
 * line, LF (CRLF accepted), fixed columns (1-based, inclusive):
 *
 * Header  `H` 1 | `OCBL01` 2-7 | owning organisation 8-10 (country code, space-padded) |
 *         file sequence 11-20 (zero-padded) | creation date YYYYMMDD 21-28
 * Detail  `D` 1 | action 2 (`A` in force, `R` withdrawn) | range start IMEI 3-16 |
 *         range end IMEI 17-30 (14 digits each, start <= end) | reason code 31-32 |
 *         reporting date YYYYMMDD or 8 spaces 33-40 | owning organisation 41-43
 * Trailer `T` 1 | detail record count 2-11 | IMEIs covered 12-23 (zero-padded)
 */
import { ceirError, ok, type Result } from '../core/errors.js';
import type { ExchangeRecord } from '../core/ports/exchange-store.js';
import { recordId } from './feed-record.js';

export const OCBL_VERSION = 'OCBL01';
/** Reason codes of the file and the feed's reason names. */
export const OCBL_REASONS: Readonly<Record<string, string>> = {
  '01': 'stolen',
  '02': 'lost',
  '03': 'barred',
  '04': 'monitoring',
};
/** The largest range a file may hold (a typo in a range must not block a whole TAC). */
export const OCBL_MAX_RANGE = 100_000;

const pad = (s: string, n: number) => s.padEnd(n, ' ').slice(0, n);
const zero = (v: number, n: number) => String(v).padStart(n, '0');
const ymd = (d: string | null) => (d ? d.replaceAll('-', '') : '        ');

/**
 * Writes the active records of one origin, consecutive IMEIs with the same reason, date and
 * action joined into ranges.
 */
export function encodeOcbl(
  origin: string,
  fileSeq: number,
  createdOn: string,
  records: readonly ExchangeRecord[],
): string {
  const code = Object.fromEntries(Object.entries(OCBL_REASONS).map(([k, v]) => [v, k]));
  const sorted = [...records].sort((a, b) => (a.imei < b.imei ? -1 : a.imei > b.imei ? 1 : 0));
  const lines = [`H${OCBL_VERSION}${pad(origin, 3)}${zero(fileSeq, 10)}${ymd(createdOn)}`];
  let covered = 0;
  let details = 0;
  for (let i = 0; i < sorted.length;) {
    const r = sorted[i]!;
    const c = code[r.reason];
    if (!c) throw new Error(`Reason ${r.reason} has no OCBL code`);
    let j = i + 1;
    while (
      j < sorted.length &&
      j - i < OCBL_MAX_RANGE &&
      Number(sorted[j]!.imei) === Number(r.imei) + (j - i) &&
      sorted[j]!.reason === r.reason &&
      sorted[j]!.reportingDate === r.reportingDate &&
      sorted[j]!.status === r.status
    )
      j++;
    const act = r.status === 'active' ? 'A' : 'R';
    lines.push(
      `D${act}${r.imei}${sorted[j - 1]!.imei}${c}${ymd(r.reportingDate)}${pad(origin, 3)}`,
    );
    covered += j - i;
    details++;
    i = j;
  }
  lines.push(`T${zero(details, 10)}${zero(covered, 12)}`);
  return `${lines.join('\n')}\n`;
}

export interface OcblFile {
  readonly origin: string;
  readonly fileSeq: number;
  readonly createdOn: string;
  readonly records: readonly ExchangeRecord[];
}

const DATE8 = /^([0-9]{4})([0-9]{2})([0-9]{2})$/;

/** Parses a file; every record is checked, the first problem names its line and columns. */
export function parseOcbl(text: string, source: string): Result<OcblFile> {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const bad = (line: number, field: string, message: string) =>
    ceirError('CEIR_ERR_PARSE', message, { file: source, line, field });
  const h = lines[0] ?? '';
  const hm = /^H(OCBL01)([A-Z ]{3})([0-9]{10})([0-9]{8})$/.exec(h);
  if (!hm)
    return bad(
      1,
      'header',
      `Not an ${OCBL_VERSION} header record (H, version, organisation, sequence, date)`,
    );
  const origin = hm[2]!.trim();
  if (!/^[A-Z]{2,3}$/.test(origin))
    return bad(1, 'organisation', 'The owning organisation is not a country code');
  const created = DATE8.exec(hm[4]!)!;
  const records: ExchangeRecord[] = [];
  const fileSeq = Number(hm[3]);
  let covered = 0;
  for (let i = 1; i < lines.length - 1; i++) {
    const n = i + 1;
    const m = /^D([AR])([0-9]{14})([0-9]{14})([0-9]{2})([0-9]{8}| {8})([A-Z ]{3})$/.exec(lines[i]!);
    if (!m)
      return bad(
        n,
        'detail',
        'Not a detail record (D, action A|R, start, end, reason, date, organisation)',
      );
    const owner = m[6]!.trim();
    if (owner !== origin)
      return ceirError('CEIR_ERR_NOT_OWNER', `Record owned by ${owner} in a file of ${origin}`, {
        file: source,
        line: n,
        field: 'organisation',
      });
    const reason = OCBL_REASONS[m[4]!];
    if (!reason) return bad(n, 'reason', `Unknown reason code ${m[4]}`);
    const start = Number(m[2]);
    const end = Number(m[3]);
    if (end < start || end - start + 1 > OCBL_MAX_RANGE)
      return bad(
        n,
        'range',
        `The range must run forwards and cover at most ${OCBL_MAX_RANGE} IMEIs`,
      );
    const d = DATE8.exec(m[5]!);
    const reportingDate = d ? `${d[1]}-${d[2]}-${d[3]}` : null;
    for (let v = start; v <= end; v++) {
      const imei = String(v).padStart(14, '0');
      records.push({
        seq: fileSeq,
        recordId: recordId(origin, reason, imei),
        imei,
        reason,
        reportingDate,
        status: m[1] === 'A' ? 'active' : 'removed',
        origin,
      });
    }
    covered += end - start + 1;
  }
  const t = /^T([0-9]{10})([0-9]{12})$/.exec(lines[lines.length - 1] ?? '');
  if (lines.length < 2 || !t)
    return bad(lines.length, 'trailer', 'The file does not end with a trailer record');
  if (Number(t[1]) !== lines.length - 2 || Number(t[2]) !== covered)
    return bad(
      lines.length,
      'trailer',
      `The trailer counts ${Number(t[1])} records / ${Number(t[2])} IMEIs, the file has ${lines.length - 2} / ${covered}`,
    );
  return ok({ origin, fileSeq, createdOn: `${created[1]}-${created[2]}-${created[3]}`, records });
}
