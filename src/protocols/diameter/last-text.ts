/**
 * The last text read for one UTF8String AVP (RFC 6733 §4.3.1) of a stream, reused while its bytes
 * repeat: a peer sends the same Origin-Host in every request of a connection, so one string (and
 * one hash of it for the maps that key on it) serves them all.
 */
export class LastText {
  private bytes: Buffer = Buffer.alloc(0);
  private text = '';

  /**
   * The text of the valid UTF-8 `buf[start, end)` (`ascii`: all bytes below 0x80): the last one
   * when the bytes are the same, else a new string, which becomes the last one.
   */
  read(buf: Buffer, start: number, end: number, ascii: boolean): string {
    const last = this.bytes;
    const n = end - start;
    if (n === last.length) {
      let i = 0;
      while (i < n && buf[start + i] === last[i]) i++;
      if (i === n) return this.text;
    }
    this.text = buf.toString(ascii ? 'latin1' : 'utf8', start, end);
    // A copy: the request's buffer may be a slice of a large socket read.
    this.bytes = Buffer.from(buf.subarray(start, end));
    return this.text;
  }
}
