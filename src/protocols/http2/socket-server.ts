/**
 * Binds ServerConnection to sockets: a `net.Server` for cleartext prior-knowledge h2c
 * (RFC 9113 §3.3), or a `tls.Server` offering ALPN "h2" only (§3.2; a client that does not
 * choose h2 is dropped). Per socket: one write per burst of responses (flushed in a microtask,
 * so everything answered while handling one read goes out together), reading paused while the
 * socket's write queue is full and the socket dropped when a peer that does not read lets it
 * grow past `maxQueuedBytes`, an idle timeout (graceful GOAWAY) and a preface timeout.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Http2ConnectionLimits } from './connection-options.js';
import { ServerConnection, type RequestHead } from './server-connection.js';

export interface Http2SocketServerOptions extends Http2ConnectionLimits {
  /** PEM key and certificate: TLS with ALPN h2; cleartext h2c otherwise. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** A request: answer with `conn.respond(streamId, ...)`, now or later. */
  readonly onRequest: (
    conn: Http2SocketConnection,
    streamId: number,
    head: RequestHead,
    fields: string[],
  ) => void;
  /**
   * A stream handed to onRequest is over: its answer was handed to the socket (so a stream counts
   * as in flight until then, as node's http2 streams did), or it was reset, or the socket closed.
   */
  readonly onStreamClose?: (conn: Http2SocketConnection, streamId: number) => void;
  /** Connections at once; more are closed at once (default 10,000). */
  readonly maxConnections?: number;
  /** No bytes either way this long: graceful GOAWAY (default 120,000 ms; 0 = none). */
  readonly idleTimeoutMs?: number;
  /** Client preface and SETTINGS must come within this (default 10,000 ms). */
  readonly prefaceTimeoutMs?: number;
  /** Unwritten bytes above which the peer is dropped (default 4 MiB). */
  readonly maxQueuedBytes?: number;
}

/** One accepted connection. */
export class Http2SocketConnection {
  readonly conn: ServerConnection;
  readonly remoteAddress: string;
  private scheduled = false;
  private ending = false;
  private readonly flushNow = (): void => this.flush();
  /** Streams closed since the last write; their owners hear of it once the write is made. */
  private closedIds: number[] = [];

  constructor(
    readonly socket: net.Socket,
    private readonly o: Http2SocketServerOptions,
  ) {
    this.remoteAddress = socket.remoteAddress ?? '';
    this.conn = new ServerConnection(
      {
        onRequest: (id, head, fields) => o.onRequest(this, id, head, fields),
        onStreamClose: (id) => {
          this.closedIds.push(id);
          this.schedule();
        },
        onOutput: () => this.schedule(),
        onClose: () => this.end(),
      },
      o,
    );
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.conn.receive(chunk));
    socket.on('drain', () => socket.resume());
    socket.on('error', () => {});
    socket.once('close', () => {
      this.conn.destroy();
      this.reportClosed();
    });
    const idle = o.idleTimeoutMs ?? 120_000;
    if (idle > 0) socket.setTimeout(idle, () => this.goaway());
    const preface = setTimeout(() => {
      if (!this.conn.ready) socket.destroy();
    }, o.prefaceTimeoutMs ?? 10_000);
    preface.unref();
    socket.once('close', () => clearTimeout(preface));
    this.schedule(); // our SETTINGS
  }

  /** Answer a stream; false when it is gone. */
  respond(streamId: number, headerBlock: Uint8Array, body?: Uint8Array): boolean {
    return this.conn.respond(streamId, headerBlock, body);
  }

  /** Graceful close: GOAWAY, answer the open streams, then end. */
  goaway(): void {
    this.conn.goaway();
    if (this.conn.isClosed) this.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.flushNow);
  }

  private flush(): void {
    this.scheduled = false;
    const out = this.conn.takeOutput();
    if (out !== undefined && !this.socket.destroyed) this.write(out);
    this.reportClosed();
  }

  private reportClosed(): void {
    if (this.closedIds.length === 0) return;
    const ids = this.closedIds;
    this.closedIds = [];
    const cb = this.o.onStreamClose;
    if (cb !== undefined) for (const id of ids) cb(this, id);
  }

  private write(out: Buffer): void {
    if (!this.socket.write(out)) {
      if (this.socket.writableLength > (this.o.maxQueuedBytes ?? 4 * 1024 * 1024)) {
        this.socket.destroy();
        return;
      }
      this.socket.pause();
    }
  }

  private end(): void {
    if (this.ending) return;
    this.ending = true;
    this.flush();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }
}

/** A listening-ready server and its live connections. */
export interface Http2SocketServer {
  readonly server: net.Server;
  readonly connections: ReadonlySet<Http2SocketConnection>;
}

export function createHttp2SocketServer(o: Http2SocketServerOptions): Http2SocketServer {
  const connections = new Set<Http2SocketConnection>();
  const max = o.maxConnections ?? 10_000;
  const accept = (socket: net.Socket): void => {
    if (connections.size >= max) {
      socket.destroy();
      return;
    }
    const c = new Http2SocketConnection(socket, o);
    connections.add(c);
    socket.once('close', () => connections.delete(c));
  };
  let server: net.Server;
  if (o.tls) {
    server = tls.createServer({
      key: o.tls.key,
      cert: o.tls.cert,
      ALPNProtocols: ['h2'],
      minVersion: 'TLSv1.2',
    });
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      if (socket.alpnProtocol !== 'h2') {
        socket.destroy();
        return;
      }
      accept(socket);
    });
    server.on('tlsClientError', () => {});
  } else {
    server = net.createServer(accept);
  }
  return { server, connections };
}
