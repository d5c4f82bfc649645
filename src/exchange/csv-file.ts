/**
 * The CSV form of the exchange records (docs/exchange.md "CSV"): UTF-8, LF, one header line
 * `seq,record_id,imei,reason,reporting_date,status,origin`, dates `YYYY-MM-DD` (empty: none).
 * No field can hold a comma, so nothing is quoted.
 */
import { ok, type Result } from '../core/errors.js';
import type { ExchangeRecord } from '../core/ports/exchange-store.js';
import { parseRecordLine } from './feed-record.js';

export const EXCHANGE_CSV_HEADER = 'seq,record_id,imei,reason,reporting_date,status,origin';

export function encodeExchangeCsv(records: readonly ExchangeRecord[]): string {
  const rows = records.map(
    (r) =>
      `${r.seq},${r.recordId},${r.imei},${r.reason},${r.reportingDate ?? ''},${r.status},${r.origin}`,
  );
  return `${[EXCHANGE_CSV_HEADER, ...rows].join('\n')}\n`;
}

/** Parses the CSV form; each row passes the same checks as a feed record. */
export function parseExchangeCsv(text: string, source: string): Result<ExchangeRecord[]> {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== EXCHANGE_CSV_HEADER)
    return {
      kind: 'error',
      code: 'CEIR_ERR_PARSE',
      message: `The header must be ${EXCHANGE_CSV_HEADER}`,
      at: { file: source, line: 1 },
    };
  const out: ExchangeRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.split(',');
    const json =
      f.length === 7 && /^[0-9]{1,15}$/.test(f[0]!)
        ? JSON.stringify({
            seq: Number(f[0]),
            record_id: f[1],
            imei: f[2],
            reason: f[3],
            reporting_date: f[4] || null,
            status: f[5],
            origin: f[6],
          })
        : '-';
    const r = parseRecordLine(json, source, i + 1);
    if (r.kind !== 'ok')
      return r.message.startsWith('Cannot parse')
        ? { ...r, message: 'A row has 7 fields, seq first' }
        : r;
    out.push(r.value);
  }
  return ok(out);
}
