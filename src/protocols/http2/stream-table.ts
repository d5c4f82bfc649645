/**
 * The open streams of a server connection and the sending side of flow control
 * (RFC 9113 §5.1 stream states, §5.2 and §6.9 flow control). A response body waits here while
 * the connection or stream window is short and goes out as WINDOW_UPDATEs arrive.
 */
import { ErrorCode, Flag, FrameType, DEFAULT_WINDOW, MAX_WINDOW } from './frame.js';
import type { OutputBuffer } from './output-buffer.js';
import type { PeerSettings } from './settings.js';

export interface Stream {
  readonly id: number;
  /** END_STREAM received: half-closed (remote). */
  remoteEnded: boolean;
  /** END_STREAM sent or queued behind flow control: half-closed (local). */
  localEnded: boolean;
  sendWindow: number;
  recvWindow: number;
  /** Handed to the owner (who hears of its close). */
  delivered: boolean;
  /** A HEAD request: the response carries no content (RFC 9110 §9.3.2). */
  head: boolean;
  body: Uint8Array | undefined;
  bodyPos: number;
}

export class StreamTable {
  /** The peer's connection-level window for our DATA (§6.9.1). */
  connWindow = DEFAULT_WINDOW;
  private readonly map = new Map<number, Stream>();
  private readonly blocked = new Set<Stream>();

  constructor(
    private readonly peer: PeerSettings,
    private readonly out: OutputBuffer,
    private readonly onClosed: (s: Stream) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(id: number): Stream | undefined {
    return this.map.get(id);
  }

  open(id: number, recvWindow: number, remoteEnded: boolean): Stream {
    const s: Stream = {
      id,
      remoteEnded,
      localEnded: false,
      sendWindow: this.peer.initialWindow,
      recvWindow,
      delivered: false,
      head: false,
      body: undefined,
      bodyPos: 0,
    };
    this.map.set(id, s);
    return s;
  }

  /** HEADERS (+ CONTINUATION past the peer's frame size), then the body as DATA. */
  respond(s: Stream, block: Uint8Array, body?: Uint8Array): void {
    const noBody = body === undefined || body.length === 0 || s.head;
    const max = this.peer.maxFrameSize;
    if (block.length <= max) {
      this.out.frame(
        FrameType.HEADERS,
        Flag.END_HEADERS | (noBody ? Flag.END_STREAM : 0),
        s.id,
        block,
      );
    } else {
      this.out.frame(FrameType.HEADERS, noBody ? Flag.END_STREAM : 0, s.id, block, 0, max);
      for (let at = max; at < block.length; at += max) {
        const to = Math.min(block.length, at + max);
        const flags = to === block.length ? Flag.END_HEADERS : 0;
        this.out.frame(FrameType.CONTINUATION, flags, s.id, block, at, to);
      }
    }
    s.localEnded = true;
    if (noBody) return this.ended(s);
    s.body = body;
    s.bodyPos = 0;
    this.sendData(s);
  }

  /** Send what the windows allow of the stream's body; the rest waits. */
  sendData(s: Stream): void {
    const body = s.body;
    if (body === undefined) return;
    while (s.bodyPos < body.length) {
      const n = Math.min(
        body.length - s.bodyPos,
        this.connWindow,
        s.sendWindow,
        this.peer.maxFrameSize,
      );
      if (n <= 0) {
        this.blocked.add(s);
        return;
      }
      const to = s.bodyPos + n;
      this.out.frame(
        FrameType.DATA,
        to === body.length ? Flag.END_STREAM : 0,
        s.id,
        body,
        s.bodyPos,
        to,
      );
      s.bodyPos = to;
      this.connWindow -= n;
      s.sendWindow -= n;
    }
    s.body = undefined;
    this.blocked.delete(s);
    this.ended(s);
  }

  /** Give waiting bodies their turn after the windows grew. */
  drain(): void {
    for (const s of this.blocked) {
      if (this.connWindow <= 0) return;
      this.sendData(s);
    }
  }

  /** §6.9.1 connection WINDOW_UPDATE; false on overflow (FLOW_CONTROL_ERROR). */
  addConnWindow(inc: number): boolean {
    this.connWindow += inc;
    if (this.connWindow > MAX_WINDOW) return false;
    this.drain();
    return true;
  }

  /** §6.9.2 SETTINGS_INITIAL_WINDOW_SIZE change; false on overflow (FLOW_CONTROL_ERROR). */
  adjustInitialWindow(delta: number): boolean {
    for (const s of this.map.values()) {
      s.sendWindow += delta;
      if (s.sendWindow > MAX_WINDOW) return false;
    }
    if (delta > 0) for (const s of this.blocked) this.sendData(s);
    return true;
  }

  /** END_STREAM received. */
  remoteEnd(s: Stream): void {
    s.remoteEnded = true;
    if (s.localEnded && s.body === undefined) this.close(s);
  }

  close(s: Stream): void {
    if (!this.map.delete(s.id)) return;
    this.blocked.delete(s);
    s.body = undefined;
    this.onClosed(s);
  }

  closeAll(): void {
    for (const s of [...this.map.values()]) this.close(s);
  }

  /** Our END_STREAM went out: closed, or (request body still coming) reset NO_ERROR (§8.1). */
  private ended(s: Stream): void {
    if (!s.remoteEnded) this.out.rstStream(s.id, ErrorCode.NO_ERROR);
    this.close(s);
  }
}
