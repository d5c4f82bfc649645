/**
 * One HTTP/2 server connection as a pure state machine (RFC 9113): fed the bytes read from the
 * peer, it calls back with requests and closes and collects the bytes to write; it never touches
 * a socket or a timer. Cleartext (prior knowledge, §3.3) and TLS (ALPN "h2", §3.2) connections
 * are the same from the client preface on.
 *
 * Requests are handed over when their header block is complete; a request body is read and
 * dropped (its flow-control credit given back). A response is one header block and an optional
 * body, sent under the peer's flow-control windows (§5.2, §6.9). Not implemented: server push
 * (never enabled), priorities (§5.3, PRIORITY is ignored), the HTTP/1.1 Upgrade to h2c,
 * CONNECT and extended CONNECT.
 */
import {
  ErrorCode,
  Flag,
  FrameType,
  CLIENT_PREFACE,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW,
} from './frame.js';
import { FrameReader } from './frame-reader.js';
import { HpackDecoder } from './hpack-decoder.js';
import { HpackError } from './hpack-error.js';
import { encodeResponseHeaders } from './hpack-encoder.js';
import { OutputBuffer } from './output-buffer.js';
import { checkRequestHeaders, checkTrailers, type RequestHead } from './request-headers.js';
import {
  resolveLimits,
  type Http2ConnectionLimits,
  type ResolvedLimits,
} from './connection-options.js';
import { StreamTable, type Stream } from './stream-table.js';
import { TokenBucket } from './token-bucket.js';
import { handleSettings, writeServerSettings, type PeerSettings } from './settings.js';

export type { RequestHead } from './request-headers.js';

/** What the connection tells its owner. */
export interface ServerConnectionEvents {
  /** A request's headers are complete; answer with `respond(streamId, ...)`. */
  onRequest(streamId: number, head: RequestHead, fields: string[]): void;
  /** A stream given to onRequest is closed (answered, reset, or the connection ended). */
  onStreamClose(streamId: number): void;
  /** Bytes are waiting in `takeOutput()`. */
  onOutput(): void;
  /** The connection is over: write what `takeOutput()` holds, then end the socket. */
  onClose(): void;
}

const HEADERS_431 = encodeResponseHeaders(431);
/** Connection receive window given back once this much of it is used. */
const CONN_WINDOW_REFILL = DEFAULT_WINDOW >> 1;

export class ServerConnection {
  private readonly limits: ResolvedLimits;
  private readonly out = new OutputBuffer();
  private readonly reader: FrameReader;
  private readonly decoder: HpackDecoder;
  private readonly streams: StreamTable;
  private readonly peer: PeerSettings = {
    initialWindow: DEFAULT_WINDOW,
    maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
  };
  private readonly resets: TokenBucket;
  private readonly control: TokenBucket;
  private prefaceSeen = 0;
  private settingsSeen = false;
  private lastStreamId = 0;
  /** Highest stream accepted after our GOAWAY; Infinity while none was sent. */
  private goawayLast = Number.POSITIVE_INFINITY;
  private peerGoaway = false;
  private closed = false;
  private inReceive = false;
  private connRecvUsed = 0;
  /** Header block spread over HEADERS + CONTINUATION frames. */
  private hbStream = 0;
  private hbEndStream = false;
  private hbCount = 0;
  private hbLen = 0;
  private hbBuf: Buffer | undefined;

  constructor(
    private readonly events: ServerConnectionEvents,
    limits?: Http2ConnectionLimits,
  ) {
    this.limits = resolveLimits(limits);
    this.decoder = new HpackDecoder({
      maxTableSize: this.limits.headerTableSize,
      maxHeaderListSize: this.limits.maxHeaderListSize,
    });
    this.streams = new StreamTable(this.peer, this.out, (s) => this.onStreamEnded(s));
    this.resets = new TokenBucket(this.limits.resetBurst, this.limits.resetsPerSecond);
    this.control = new TokenBucket(this.limits.controlBurst, this.limits.controlPerSecond);
    this.reader = new FrameReader(
      DEFAULT_MAX_FRAME_SIZE,
      (type, flags, id, payload) => this.frame(type, flags, id, payload),
      () => this.fail(ErrorCode.FRAME_SIZE_ERROR),
    );
    // §3.4: the server preface is a SETTINGS frame, sent at once.
    writeServerSettings(this.out, this.limits);
  }

  /** Whether the client's preface and first SETTINGS arrived (for a preface timeout). */
  get ready(): boolean {
    return this.settingsSeen;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Open streams. */
  get streamCount(): number {
    return this.streams.size;
  }

  takeOutput(): Buffer | undefined {
    return this.out.take();
  }

  /** Bytes read from the peer. */
  receive(chunk: Uint8Array): void {
    if (this.closed) return;
    this.inReceive = true;
    try {
      let data = chunk;
      if (this.prefaceSeen < CLIENT_PREFACE.length) {
        // §3.4: the client preface, possibly split over chunks.
        const n = Math.min(CLIENT_PREFACE.length - this.prefaceSeen, data.length);
        for (let i = 0; i < n; i++) {
          if (data[i] !== CLIENT_PREFACE[this.prefaceSeen + i]) {
            this.fail(ErrorCode.PROTOCOL_ERROR);
            return;
          }
        }
        this.prefaceSeen += n;
        data = data.subarray(n);
      }
      if (data.length > 0) this.reader.push(data);
    } finally {
      this.inReceive = false;
      if (this.out.length > 0) this.events.onOutput();
    }
  }

  /**
   * Answer a request: `headerBlock` from encodeResponseHeaders, then `body` (END_STREAM on the
   * last frame). False when the stream is gone (reset by the peer, or the connection ended).
   */
  respond(streamId: number, headerBlock: Uint8Array, body?: Uint8Array): boolean {
    const s = this.streams.get(streamId);
    if (s === undefined || s.localEnded || this.closed) return false;
    this.streams.respond(s, headerBlock, body);
    if (!this.inReceive) this.events.onOutput();
    return true;
  }

  /** Reset a stream (§6.4). */
  reset(streamId: number, code: number = ErrorCode.CANCEL): void {
    const s = this.streams.get(streamId);
    if (s === undefined || this.closed) return;
    this.out.rstStream(streamId, code);
    this.streams.close(s);
    if (!this.inReceive) this.events.onOutput();
  }

  /**
   * Graceful close (§6.8): GOAWAY NO_ERROR naming the last stream taken; streams already open
   * are answered, then the connection ends.
   */
  goaway(): void {
    if (this.closed || this.goawayLast !== Number.POSITIVE_INFINITY) return;
    this.goawayLast = this.lastStreamId;
    this.out.goaway(this.lastStreamId, ErrorCode.NO_ERROR);
    if (this.streams.size === 0) this.finish();
    else if (!this.inReceive) this.events.onOutput();
  }

  /** The socket is gone: close every stream (their owners hear onStreamClose). */
  destroy(): void {
    this.closed = true;
    this.reader.stop();
    this.streams.closeAll();
  }

  /** Connection error (§5.4.1): GOAWAY with the code, then close. */
  private fail(code: number): void {
    if (this.closed) return;
    this.out.goaway(this.lastStreamId, code);
    this.finish();
  }

  private finish(): void {
    this.closed = true;
    this.reader.stop();
    this.events.onClose();
  }

  private onStreamEnded(s: Stream): void {
    if (s.delivered) this.events.onStreamClose(s.id);
    if (
      this.streams.size === 0 &&
      (this.peerGoaway || this.goawayLast !== Number.POSITIVE_INFINITY)
    ) {
      if (!this.closed) this.finish();
    }
  }

  private frame(type: number, flags: number, id: number, p: Uint8Array): void {
    if (this.closed) return;
    if (!this.settingsSeen) {
      // §3.4: the first frame of the client is SETTINGS (not an ACK).
      if (type !== FrameType.SETTINGS || (flags & Flag.ACK) !== 0) {
        return this.fail(ErrorCode.PROTOCOL_ERROR);
      }
      this.settingsSeen = true;
    }
    if (this.hbStream !== 0 && type !== FrameType.CONTINUATION) {
      return this.fail(ErrorCode.PROTOCOL_ERROR); // §6.10
    }
    switch (type) {
      case FrameType.DATA:
        return this.data(flags, id, p);
      case FrameType.HEADERS:
        return this.headers(flags, id, p);
      case FrameType.CONTINUATION:
        return this.continuation(flags, id, p);
      case FrameType.SETTINGS: {
        if (!this.control.take()) return this.fail(ErrorCode.ENHANCE_YOUR_CALM);
        const err = handleSettings(flags, id, p, this.peer, this.out, this.streams);
        if (err !== undefined) return this.fail(err);
        return;
      }
      case FrameType.PING:
        // §6.7
        if (id !== 0) return this.fail(ErrorCode.PROTOCOL_ERROR);
        if (p.length !== 8) return this.fail(ErrorCode.FRAME_SIZE_ERROR);
        if ((flags & Flag.ACK) !== 0) return;
        if (!this.control.take()) return this.fail(ErrorCode.ENHANCE_YOUR_CALM);
        this.out.frame(FrameType.PING, Flag.ACK, 0, p);
        return;
      case FrameType.WINDOW_UPDATE:
        return this.windowUpdate(id, p);
      case FrameType.RST_STREAM:
        return this.rstStream(id, p);
      case FrameType.GOAWAY:
        // §6.8: no new streams from the peer; finish the open ones.
        if (id !== 0) return this.fail(ErrorCode.PROTOCOL_ERROR);
        this.peerGoaway = true;
        if (this.streams.size === 0) this.finish();
        return;
      case FrameType.PUSH_PROMISE:
        return this.fail(ErrorCode.PROTOCOL_ERROR); // §8.4: a client cannot push
      case FrameType.PRIORITY:
        // §6.3, §5.3.2: ignored, but counted against floods.
        if (id === 0) return this.fail(ErrorCode.PROTOCOL_ERROR);
        if (!this.control.take()) return this.fail(ErrorCode.ENHANCE_YOUR_CALM);
        return;
      default:
        // §5.5: unknown frame types are ignored.
        if (!this.control.take()) return this.fail(ErrorCode.ENHANCE_YOUR_CALM);
    }
  }

  /** §6.2 HEADERS: strip padding and priority, gather CONTINUATIONs, then decode. */
  private headers(flags: number, id: number, p: Uint8Array): void {
    if (id === 0 || id % 2 === 0) return this.fail(ErrorCode.PROTOCOL_ERROR); // §5.1.1
    let start = 0;
    let end = p.length;
    if (flags & Flag.PADDED) {
      if (p.length < 1) return this.fail(ErrorCode.FRAME_SIZE_ERROR);
      end -= p[0]!;
      start = 1;
    }
    if (flags & Flag.PRIORITY) start += 5;
    if (end < start) return this.fail(ErrorCode.PROTOCOL_ERROR);
    const endStream = (flags & Flag.END_STREAM) !== 0;
    if (flags & Flag.END_HEADERS) return this.headerBlock(id, endStream, p, start, end);
    this.hbStream = id;
    this.hbEndStream = endStream;
    this.hbCount = 0;
    this.hbLen = 0;
    this.appendBlock(p, start, end);
  }

  /** §6.10 CONTINUATION, bounded in count and bytes (CVE-2024-27316). */
  private continuation(flags: number, id: number, p: Uint8Array): void {
    if (this.hbStream === 0 || id !== this.hbStream) return this.fail(ErrorCode.PROTOCOL_ERROR);
    if (++this.hbCount > this.limits.maxContinuations)
      return this.fail(ErrorCode.ENHANCE_YOUR_CALM);
    if (!this.appendBlock(p, 0, p.length)) return;
    if (flags & Flag.END_HEADERS) {
      this.hbStream = 0;
      this.headerBlock(id, this.hbEndStream, this.hbBuf!, 0, this.hbLen);
    }
  }

  private appendBlock(p: Uint8Array, start: number, end: number): boolean {
    const n = end - start;
    if (this.hbLen + n > this.limits.maxHeaderBlockBytes) {
      this.fail(ErrorCode.ENHANCE_YOUR_CALM);
      return false;
    }
    if (this.hbBuf === undefined || this.hbBuf.length < this.hbLen + n) {
      const b = Buffer.allocUnsafe(Math.max(1024, 2 * (this.hbLen + n)));
      if (this.hbBuf !== undefined) this.hbBuf.copy(b, 0, 0, this.hbLen);
      this.hbBuf = b;
    }
    this.hbBuf.set(p.subarray(start, end), this.hbLen);
    this.hbLen += n;
    return true;
  }

  /** A complete header block: a new request, or trailers (§8.1). */
  private headerBlock(
    id: number,
    endStream: boolean,
    src: Uint8Array,
    start: number,
    end: number,
  ): void {
    const fields: string[] = [];
    let fits: boolean;
    try {
      fits = this.decoder.decode(src, start, end, fields);
    } catch (e) {
      if (e instanceof HpackError) return this.fail(ErrorCode.COMPRESSION_ERROR); // §4.3
      throw e;
    }
    const existing = this.streams.get(id);
    if (existing !== undefined) {
      // Trailers end the request; anything else on an open stream is malformed.
      if (existing.remoteEnded) return this.streamError(existing, ErrorCode.STREAM_CLOSED);
      if (!endStream || !checkTrailers(fields))
        return this.streamError(existing, ErrorCode.PROTOCOL_ERROR);
      this.streams.remoteEnd(existing);
      return;
    }
    if (id <= this.lastStreamId) return; // a stream already closed (perhaps reset by us)
    this.lastStreamId = id;
    if (id > this.goawayLast || this.peerGoaway) return; // §6.8: after GOAWAY, ignored
    if (this.streams.size >= this.limits.maxConcurrentStreams) {
      this.out.rstStream(id, ErrorCode.REFUSED_STREAM); // §5.1.2
      return;
    }
    const s = this.streams.open(id, this.limits.initialWindowSize, endStream);
    if (!fits) {
      this.streams.respond(s, HEADERS_431); // RFC 6585 §5 via §6.5.2 header list size
      return;
    }
    const head = checkRequestHeaders(fields);
    if (typeof head === 'string') return this.streamError(s, ErrorCode.PROTOCOL_ERROR); // §8.1.1
    s.delivered = true;
    s.head = head.method === 'HEAD';
    this.events.onRequest(id, head, fields);
  }

  private streamError(s: Stream, code: number): void {
    this.out.rstStream(s.id, code);
    this.streams.close(s);
  }

  /** §6.1 DATA: counted against our windows, dropped, the credit given back. */
  private data(flags: number, id: number, p: Uint8Array): void {
    if (id === 0) return this.fail(ErrorCode.PROTOCOL_ERROR);
    let len = p.length;
    if (flags & Flag.PADDED) {
      if (len < 1 || p[0]! >= len) return this.fail(ErrorCode.PROTOCOL_ERROR);
    }
    // §6.9.1: our connection window is the default 65,535, refilled at half.
    this.connRecvUsed += len;
    if (this.connRecvUsed > DEFAULT_WINDOW) return this.fail(ErrorCode.FLOW_CONTROL_ERROR);
    if (this.connRecvUsed >= CONN_WINDOW_REFILL) {
      this.out.windowUpdate(0, this.connRecvUsed);
      this.connRecvUsed = 0;
    }
    const endStream = (flags & Flag.END_STREAM) !== 0;
    if (len === 0 && !endStream && !this.control.take())
      return this.fail(ErrorCode.ENHANCE_YOUR_CALM);
    const s = this.streams.get(id);
    if (s === undefined) {
      if (id > this.lastStreamId) this.fail(ErrorCode.PROTOCOL_ERROR); // idle stream, §5.1
      return;
    }
    if (s.remoteEnded) return this.streamError(s, ErrorCode.STREAM_CLOSED);
    s.recvWindow -= len;
    if (s.recvWindow < 0) return this.streamError(s, ErrorCode.FLOW_CONTROL_ERROR);
    if (endStream) {
      this.streams.remoteEnd(s);
      return;
    }
    len = this.limits.initialWindowSize - s.recvWindow;
    if (len >= this.limits.initialWindowSize >> 1) {
      this.out.windowUpdate(id, len);
      s.recvWindow += len;
    }
  }

  /** §6.9 WINDOW_UPDATE. */
  private windowUpdate(id: number, p: Uint8Array): void {
    if (p.length !== 4) return this.fail(ErrorCode.FRAME_SIZE_ERROR);
    const inc = ((p[0]! & 0x7f) << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!;
    if (id === 0) {
      if (inc === 0) return this.fail(ErrorCode.PROTOCOL_ERROR);
      if (!this.streams.addConnWindow(inc)) this.fail(ErrorCode.FLOW_CONTROL_ERROR);
      return;
    }
    const s = this.streams.get(id);
    if (s === undefined) {
      if (id > this.lastStreamId) this.fail(ErrorCode.PROTOCOL_ERROR);
      return;
    }
    if (inc === 0) return this.streamError(s, ErrorCode.PROTOCOL_ERROR);
    s.sendWindow += inc;
    if (s.sendWindow > 0x7fffffff) return this.streamError(s, ErrorCode.FLOW_CONTROL_ERROR);
    this.streams.sendData(s);
  }

  /** §6.4 RST_STREAM, bounded against rapid reset (CVE-2023-44487). */
  private rstStream(id: number, p: Uint8Array): void {
    if (id === 0) return this.fail(ErrorCode.PROTOCOL_ERROR);
    if (p.length !== 4) return this.fail(ErrorCode.FRAME_SIZE_ERROR);
    if (id > this.lastStreamId) return this.fail(ErrorCode.PROTOCOL_ERROR);
    const s = this.streams.get(id);
    if (s === undefined) return;
    this.streams.close(s);
    if (!this.resets.take()) this.fail(ErrorCode.ENHANCE_YOUR_CALM);
  }
}
