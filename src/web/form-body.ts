/**
 * Form bodies as browsers send them without script: `application/x-www-form-urlencoded` and
 * `multipart/form-data` (RFC 7578: parts separated by `--boundary`, each with a
 * Content-Disposition naming the field and, for a file, its filename).
 */

export interface UploadedFile {
  readonly filename: string;
  readonly contentType: string;
  readonly data: Uint8Array;
}

export interface FormBody {
  readonly fields: URLSearchParams;
  readonly files: ReadonlyMap<string, UploadedFile>;
}

const EMPTY: FormBody = { fields: new URLSearchParams(), files: new Map() };

function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

function param(header: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  return m?.[1]?.replace(/\\(.)/g, '$1');
}

export function parseMultipart(body: Uint8Array, boundary: string): FormBody {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delim = Buffer.from(`--${boundary}`);
  const fields = new URLSearchParams();
  const files = new Map<string, UploadedFile>();
  let at = buf.indexOf(delim);
  while (at >= 0) {
    const start = at + delim.length;
    if (buf.subarray(start, start + 2).toString() === '--') break;
    const next = buf.indexOf(delim, start);
    if (next < 0) break;
    const part = buf.subarray(start + 2, next - 2); // skip CRLF after the delimiter, before the next
    const sep = part.indexOf('\r\n\r\n');
    if (sep >= 0) {
      const head = part.subarray(0, sep).toString('utf8');
      const data = part.subarray(sep + 4);
      const disp = /^content-disposition:(.*)$/im.exec(head)?.[1] ?? '';
      const name = param(disp, 'name');
      const filename = param(disp, 'filename');
      const type = /^content-type:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? 'application/octet-stream';
      if (name !== undefined) {
        if (filename !== undefined)
          files.set(name, { filename, contentType: type, data: new Uint8Array(data) });
        else fields.append(name, data.toString('utf8'));
      }
    }
    at = next;
  }
  return { fields, files };
}

export function parseFormBody(contentType: string | undefined, body: Uint8Array): FormBody {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('application/x-www-form-urlencoded'))
    return { fields: new URLSearchParams(Buffer.from(body).toString('utf8')), files: new Map() };
  if (ct.startsWith('multipart/form-data')) {
    const b = boundaryOf(contentType ?? '');
    return b ? parseMultipart(body, b) : EMPTY;
  }
  return EMPTY;
}
