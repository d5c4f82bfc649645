/**
 * Settings and abuse bounds of a server connection, with nghttp2-like defaults
 * (RFC 9113 §6.5.2, §10.5; CVE-2019-9512..9518, CVE-2023-44487, CVE-2024-27316).
 */
export interface Http2ConnectionLimits {
  /** SETTINGS_MAX_CONCURRENT_STREAMS; more are refused with REFUSED_STREAM (default 256). */
  readonly maxConcurrentStreams?: number;
  /** SETTINGS_HEADER_TABLE_SIZE: our HPACK decoder table bound (default 4096). */
  readonly headerTableSize?: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE; a larger request is answered 431 (default 16,384). */
  readonly maxHeaderListSize?: number;
  /** SETTINGS_INITIAL_WINDOW_SIZE for request bodies (default 65,535). */
  readonly initialWindowSize?: number;
  /** Encoded header block bytes over HEADERS + CONTINUATION (default 2 x header list size). */
  readonly maxHeaderBlockBytes?: number;
  /** CONTINUATION frames per header block (default 32). */
  readonly maxContinuations?: number;
  /** Client RST_STREAM burst and refill per second before GOAWAY (default 1000, 33). */
  readonly resetBurst?: number;
  readonly resetsPerSecond?: number;
  /** PING / SETTINGS / PRIORITY / empty DATA / unknown frames burst and rate (1000, 100/s). */
  readonly controlBurst?: number;
  readonly controlPerSecond?: number;
}

/** The limits with every default filled in. */
export type ResolvedLimits = Required<Http2ConnectionLimits>;

export function resolveLimits(l: Http2ConnectionLimits = {}): ResolvedLimits {
  const maxHeaderListSize = l.maxHeaderListSize ?? 16_384;
  return {
    maxConcurrentStreams: l.maxConcurrentStreams ?? 256,
    headerTableSize: l.headerTableSize ?? 4096,
    maxHeaderListSize,
    initialWindowSize: l.initialWindowSize ?? 65_535,
    maxHeaderBlockBytes: l.maxHeaderBlockBytes ?? 2 * maxHeaderListSize,
    maxContinuations: l.maxContinuations ?? 32,
    resetBurst: l.resetBurst ?? 1000,
    resetsPerSecond: l.resetsPerSecond ?? 33,
    controlBurst: l.controlBurst ?? 1000,
    controlPerSecond: l.controlPerSecond ?? 100,
  };
}
