/**
 * The one error the HPACK decoder throws (RFC 7541 §2.3, §4.2, §5, §6): any malformed or
 * over-limit header block. RFC 9113 §4.3 makes every such failure a connection error of type
 * COMPRESSION_ERROR, so the connection needs no detail beyond the message.
 */
export class HpackError extends Error {
  override readonly name = 'HpackError';
}
