/**
 * One record version of a feed body line (docs/exchange.md): IMEI, reason code, reporting date,
 * status, originating country and record id, with its sequence number. Never personal data:
 * there is no field for a name, IMSI, MSISDN or address.
 */
import { ceirError, ok, type Result } from '../core/errors.js';
import type { ExchangeRecord } from '../core/ports/exchange-store.js';

const IMEI = /^[0-9]{14}$/;
const REASON = /^[a-z][a-z_]{0,31}$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
export const COUNTRY_CODE = /^[A-Z]{2,3}$/;

/** `<origin>-<reason>-<imei>`: unique per origin, stable across versions. */
export function recordId(origin: string, reason: string, imei: string): string {
  return `${origin}-${reason}-${imei}`;
}

/** The body line of a record version (keys in this order; no LF). */
export function recordLine(r: ExchangeRecord): string {
  return JSON.stringify({
    seq: r.seq,
    record_id: r.recordId,
    imei: r.imei,
    reason: r.reason,
    reporting_date: r.reportingDate,
    status: r.status,
    origin: r.origin,
  });
}

function problem(o: Record<string, unknown>): string | undefined {
  const keys = Object.keys(o);
  const want = ['seq', 'record_id', 'imei', 'reason', 'reporting_date', 'status', 'origin'];
  const extra = keys.filter((k) => !want.includes(k));
  if (extra.length) return `unknown field ${extra.join(', ')} (a feed carries no other data)`;
  if (typeof o.seq !== 'number' || !Number.isSafeInteger(o.seq) || o.seq < 1)
    return 'seq is not a positive integer';
  if (typeof o.imei !== 'string' || !IMEI.test(o.imei)) return 'imei is not 14 digits';
  if (typeof o.reason !== 'string' || !REASON.test(o.reason)) return 'reason is not a reason code';
  if (
    o.reporting_date !== null &&
    (typeof o.reporting_date !== 'string' || !DATE.test(o.reporting_date))
  )
    return 'reporting_date is not YYYY-MM-DD or null';
  if (o.status !== 'active' && o.status !== 'removed') return 'status is not active or removed';
  if (typeof o.origin !== 'string' || !COUNTRY_CODE.test(o.origin))
    return 'origin is not a 2-3 letter country code';
  if (o.record_id !== recordId(o.origin, o.reason, o.imei))
    return `record_id is not ${recordId(o.origin, o.reason, o.imei)}`;
  return undefined;
}

const CANONICAL =
  /^\{"seq":([1-9][0-9]{0,15}),"record_id":"([A-Z]{2,3})-([a-z][a-z_]{0,31})-([0-9]{14})","imei":"([0-9]{14})","reason":"([a-z][a-z_]{0,31})","reporting_date":(?:null|"[0-9]{4}-[0-9]{2}-[0-9]{2}"),"status":"(active|removed)","origin":"([A-Z]{2,3})"\}$/;

/** What the checks of a batch need of a line. */
export interface ScannedLine {
  readonly seq: number;
  readonly recordId: string;
  readonly status: string;
  readonly origin: string;
}

/**
 * Checks one body line in its canonical form (the form {@link recordLine} writes: keys in order,
 * no blanks) without building a record: the fast path for million-line batches. A line that is
 * valid JSON but not canonical, or not valid, gets the error of {@link parseRecordLine}.
 */
export function scanRecordLine(text: string, source: string, line: number): Result<ScannedLine> {
  const m = CANONICAL.exec(text);
  if (m && m[2] === m[8] && m[3] === m[6] && m[4] === m[5])
    return ok({
      seq: Number(m[1]),
      recordId: `${m[2]}-${m[3]}-${m[4]}`,
      status: m[7]!,
      origin: m[8]!,
    });
  const r = parseRecordLine(text, source, line);
  if (r.kind !== 'ok') return r;
  return ceirError(
    'CEIR_ERR_PARSE',
    'The record is not in canonical form (keys in order, no blanks)',
    {
      file: source,
      line,
    },
  );
}

/** The canonical body of records (each line with its LF). */
export function recordsBody(records: readonly ExchangeRecord[]): Buffer {
  return Buffer.from(records.map((r) => `${recordLine(r)}\n`).join(''), 'utf8');
}

/** Parses one body line; `line` is its 1-based line number in the batch. */
export function parseRecordLine(
  text: string,
  source: string,
  line: number,
): Result<ExchangeRecord> {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    return ceirError('CEIR_ERR_PARSE', `Cannot parse record: ${(e as Error).message}`, {
      file: source,
      line,
    });
  }
  const p =
    o && typeof o === 'object' && !Array.isArray(o)
      ? problem(o as Record<string, unknown>)
      : 'not an object';
  if (p) return ceirError('CEIR_ERR_PARSE', `Bad record: ${p}`, { file: source, line });
  const r = o as Record<string, string | number | null>;
  return ok({
    seq: r.seq as number,
    recordId: r.record_id as string,
    imei: r.imei as string,
    reason: r.reason as string,
    reportingDate: r.reporting_date as string | null,
    status: r.status as 'active' | 'removed',
    origin: r.origin as string,
  });
}
