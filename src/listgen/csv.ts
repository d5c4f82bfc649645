/**
 * CSV as RFC 4180 writes it: a field is quoted when it holds a comma, a double quote, CR or LF,
 * and a double quote inside a quoted field is doubled. Records end with LF (the reader also
 * accepts CRLF). The reader is a streaming state machine, so quoted line breaks are counted right
 * and memory stays flat in the file size.
 */

import { csvField } from '../core/csv-field.js';

export { csvField };

/** One record with its LF terminator. */
export function csvRecord(fields: readonly string[]): string {
  if (fields.length === 1 && fields[0] === '') return '""\n'; // not a blank line
  let s = '';
  for (let i = 0; i < fields.length; i++) s += (i ? ',' : '') + csvField(fields[i]!);
  return `${s}\n`;
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the next character decides (`""` or the field's end). */
  QuoteInQuoted,
}

/**
 * Parses CSV text pushed in chunks (split anywhere); calls `onRecord` with each record's fields and
 * its 1-based number. A malformed quote (text after a closing quote, an unterminated quoted field)
 * is reported through `onError` and parsing goes on leniently.
 */
export class CsvReader {
  private state = State.FieldStart;
  private field = '';
  private fields: string[] = [];
  private pendingCr = false;
  private records = 0;

  constructor(
    private readonly onRecord: (fields: string[], record: number) => void,
    private readonly onError: (message: string, record: number) => void = () => undefined,
  ) {}

  /** Records seen so far (header included). */
  get count(): number {
    return this.records;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
  }

  private endRecord(): void {
    this.endField();
    this.records++;
    const f = this.fields;
    this.fields = [];
    this.onRecord(f, this.records);
  }

  push(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === '\n' && this.state === State.FieldStart) continue;
      }
      switch (this.state) {
        case State.Quoted:
          if (c === '"') this.state = State.QuoteInQuoted;
          else this.field += c;
          continue;
        case State.QuoteInQuoted:
          if (c === '"') {
            this.field += '"';
            this.state = State.Quoted;
            continue;
          }
          if (c !== ',' && c !== '\n' && c !== '\r') {
            this.onError(
              `Text after a closing quote in record ${this.records + 1}`,
              this.records + 1,
            );
            this.field += c;
            this.state = State.Unquoted;
            continue;
          }
          break;
        case State.FieldStart:
          if (c === '"') {
            this.state = State.Quoted;
            continue;
          }
          break;
        case State.Unquoted:
          break;
      }
      if (c === ',') this.endField();
      else if (c === '\n' || c === '\r') {
        this.endRecord();
        this.pendingCr = c === '\r';
      } else {
        this.field += c;
        this.state = State.Unquoted;
      }
    }
  }

  /** Ends the input: a last record without a terminator still counts. */
  end(): void {
    if (this.state === State.Quoted)
      this.onError(`Unterminated quoted field in record ${this.records + 1}`, this.records + 1);
    if (this.state !== State.FieldStart || this.fields.length) this.endRecord();
    this.pendingCr = false;
  }
}

/** Parses a whole CSV text into records (for tests and small files). */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  const r = new CsvReader((f) => out.push(f));
  r.push(text);
  r.end();
  return out;
}
