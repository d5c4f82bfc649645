/**
 * The operator and period of an operator dump from its DIRBS-style file name
 * `<operator>_<YYYYMMDD>_<YYYYMMDD>.csv[.gz|.zip]` (domain.md section 3).
 */
export interface DumpName {
  readonly operator: string;
  /** First and last day, YYYYMMDD as numbers (inclusive). */
  readonly start: number;
  readonly end: number;
}

const NAME = /^(.+)_(\d{8})_(\d{8})\.csv(?:\.gz|\.zip)?$/i;

export function isValidYmd(ymd: number): boolean {
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  if (y < 1970 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

export function ymdToIso(ymd: number): string {
  const s = String(ymd);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** Parses `YYYYMMDD` or `YYYY-MM-DD`; undefined when not a real day. */
export function parseYmd(s: string): number | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const v = Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
  return isValidYmd(v) ? v : undefined;
}

/** Parses a dump's base name; undefined when it does not follow the convention. */
export function parseDumpName(baseName: string): DumpName | undefined {
  const m = NAME.exec(baseName);
  if (!m) return undefined;
  const start = Number(m[2]);
  const end = Number(m[3]);
  if (!isValidYmd(start) || !isValidYmd(end) || end < start) return undefined;
  return { operator: m[1]!, start, end };
}
