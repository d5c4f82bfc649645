/**
 * Streams delimited text (CSV with `,`, GSMA TAC dumps with `|`) into records.
 *
 * - Lines end in LF or CRLF; a UTF-8 byte-order mark at the start is dropped; blank lines are
 *   skipped (they still count for line numbers).
 * - Minimal RFC 4180 quoting: a field that starts with `"` runs to the next lone `"`; `""` inside
 *   it is one quote; it may hold the delimiter and line breaks (kept as written). A `"` anywhere
 *   else is an ordinary character.
 * - Decoding is per chunk: bytes up to the chunk's last LF are decoded to one string and split on
 *   LF (LF never occurs inside a multi-byte UTF-8 sequence), so rows cost one `split` each and
 *   only rows holding a quote go through the character-level parser.
 * - Records are yielded in batches (up to {@link BATCH}) to keep the per-row cost of async
 *   iteration out of tens-of-millions-row files.
 */
import { ceirError, CeirFailure, ok, type Result } from '../core/errors.js';

export type Delimiter = ',' | '|';

/** One record; `line` is the 1-based line of the file where it starts. */
export interface DelimitedRecord {
  readonly line: number;
  readonly fields: string[];
}

const LF = 0x0a;
/** Records per yielded batch: large enough to amortise async iteration, small enough to die young. */
const BATCH = 2048;
const QUOTE = '"';

/** State of a quoted record spanning several lines. */
interface Pending {
  readonly line: number;
  readonly fields: string[];
  field: string;
}

/**
 * Reads `chunks` as delimited records, in batches. Throws {@link CeirFailure} (CEIR_ERR_PARSE)
 * when the input ends inside a quoted field, naming `file` and the line where the record began.
 */
export async function* readDelimited(
  chunks: AsyncIterable<Buffer>,
  delimiter: Delimiter,
  file: string,
): AsyncGenerator<DelimitedRecord[]> {
  let held: Buffer[] = [];
  let lineNo = 0;
  let first = true;
  let pending: Pending | undefined;

  /** Parses `lines` from `from` until `out` holds a batch; returns where it stopped. */
  const takeLines = (lines: string[], from: number, out: DelimitedRecord[]): number => {
    let i = from;
    while (i < lines.length && out.length < BATCH) {
      const raw = lines[i++]!;
      lineNo++;
      const cr = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13;
      const line = cr ? raw.slice(0, -1) : raw;
      if (pending) {
        pending = continueQuoted(pending, line, cr ? '\r\n' : '\n', delimiter, out);
        continue;
      }
      if (line.length === 0) continue;
      if (line.indexOf(QUOTE) < 0) {
        out.push({ line: lineNo, fields: line.split(delimiter) });
        continue;
      }
      pending = continueQuoted(
        { line: lineNo, fields: [], field: '' },
        line,
        cr ? '\r\n' : '\n',
        delimiter,
        out,
        true,
      );
    }
    return i;
  };

  for await (const chunk of chunks) {
    if (!first && held.length > 0 && chunk.lastIndexOf(LF) < 0) {
      held.push(chunk); // a very long line: join once its end arrives
      continue;
    }
    let buf = held.length > 0 ? Buffer.concat([...held, chunk]) : chunk;
    if (first) {
      if (buf.length < 3) {
        held = [buf];
        continue;
      }
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      first = false;
    }
    const lastLf = buf.lastIndexOf(LF);
    if (lastLf < 0) {
      held = [buf];
      continue;
    }
    const lines = buf.toString('utf8', 0, lastLf).split('\n');
    held = lastLf + 1 < buf.length ? [Buffer.from(buf.subarray(lastLf + 1))] : [];
    for (let i = 0; i < lines.length;) {
      const out: DelimitedRecord[] = [];
      i = takeLines(lines, i, out);
      if (out.length > 0) yield out;
    }
  }
  let rest = held.length > 0 ? Buffer.concat(held) : Buffer.alloc(0);
  if (first && rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf) rest = rest.subarray(3);
  const lines = rest.length > 0 ? rest.toString('utf8').split('\n') : [];
  for (let i = 0; i < lines.length;) {
    const out: DelimitedRecord[] = [];
    i = takeLines(lines, i, out);
    if (out.length > 0) yield out;
  }
  if (pending) {
    throw new CeirFailure(
      ceirError(
        'CEIR_ERR_PARSE',
        'Cannot parse record: the input ends inside a quoted field',
        { file, line: pending.line },
        'csv_quote',
      ),
    );
  }
}

/**
 * Parses `line` (without its terminator) as the start (`fresh`) or continuation of a quoted
 * record. Pushes the record when it completes and returns undefined, or returns the state to
 * carry to the next line (the terminator is then part of the open quoted field).
 */
function continueQuoted(
  p: Pending,
  line: string,
  terminator: string,
  delim: string,
  out: DelimitedRecord[],
  fresh = false,
): Pending | undefined {
  const fields = p.fields;
  let field = p.field;
  let i = 0;
  const n = line.length;
  // When continuing, we are inside a quoted field; when fresh, at the start of a field.
  let inQuoted = !fresh;
  while (true) {
    if (inQuoted) {
      const q = line.indexOf(QUOTE, i);
      if (q < 0) {
        field += line.slice(i) + terminator;
        return { line: p.line, fields, field };
      }
      field += line.slice(i, q);
      if (line[q + 1] === QUOTE) {
        field += QUOTE;
        i = q + 2;
        continue;
      }
      // Closing quote: anything up to the delimiter is kept as written (lenient).
      inQuoted = false;
      const d = line.indexOf(delim, q + 1);
      const end = d < 0 ? n : d;
      field += line.slice(q + 1, end);
      fields.push(field);
      field = '';
      if (d < 0) break;
      i = d + 1;
    } else if (line[i] === QUOTE) {
      inQuoted = true;
      i++;
    } else {
      const d = line.indexOf(delim, i);
      if (d < 0) {
        fields.push(line.slice(i));
        break;
      }
      fields.push(line.slice(i, d));
      i = d + 1;
    }
    if (i === n && !inQuoted) {
      // The line ends right after a delimiter: one more empty field.
      fields.push('');
      break;
    }
  }
  out.push({ line: p.line, fields });
  return undefined;
}

/** Header column name as matched: trimmed, lower-cased, inner white space runs as `_`. */
export function normaliseColumn(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '_');
}

/** A resolved header: each normalised column name with its position. */
export interface Header {
  readonly columns: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

/**
 * Resolves a header record against the required columns (normalised names, any order,
 * case-insensitive). Missing or repeated columns are a CEIR_ERR_PARSE naming the file.
 */
export function resolveHeader(
  fields: readonly string[],
  required: readonly string[],
  at: { file: string; line: number },
): Result<Header> {
  const columns = fields.map(normaliseColumn);
  const index = new Map<string, number>();
  for (const [i, c] of columns.entries()) {
    if (index.has(c)) {
      return ceirError(
        'CEIR_ERR_PARSE',
        `Cannot read header of "${at.file}": column "${c}" appears twice`,
        { ...at, field: c },
        'header_columns',
      );
    }
    index.set(c, i);
  }
  const missing = required.filter((r) => !index.has(r));
  if (missing.length > 0) {
    return ceirError(
      'CEIR_ERR_PARSE',
      `Cannot read header of "${at.file}": missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      { ...at, field: missing[0]! },
      'header_columns',
    );
  }
  return ok({ columns, index });
}
