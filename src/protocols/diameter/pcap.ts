/**
 * A minimal libpcap file writer (https://wiki.wireshark.org/Development/LibpcapFileFormat):
 * Diameter messages wrapped in Ethernet / IPv4 / TCP headers on port 3868, so that tshark and
 * Wireshark can decode what we encode. Checksums are left 0 (tshark does not verify them by
 * default). Each direction of the one TCP connection keeps its own sequence numbers.
 */

/** One TCP segment's payload and direction. */
export interface PcapSegment {
  readonly payload: Uint8Array;
  /** True from client to server (to port 3868), false for the server's replies. */
  readonly fromClient: boolean;
  /** Capture time in microseconds since the Unix epoch (default: 1 ms apart from 2024-01-01). */
  readonly timeMicros?: number;
}

export interface PcapOptions {
  readonly clientIp?: string;
  readonly serverIp?: string;
  readonly clientPort?: number;
  readonly serverPort?: number;
}

const LINKTYPE_ETHERNET = 1;
const ETH = 14;
const IP = 20;
const TCP = 20;

function ipv4(text: string): number[] {
  return text.split('.').map((p) => Number(p) & 0xff);
}

/** Encodes segments as a pcap file (microsecond timestamps, little-endian). */
export function encodePcap(segments: readonly PcapSegment[], o: PcapOptions = {}): Buffer {
  const client = ipv4(o.clientIp ?? '10.0.0.1');
  const server = ipv4(o.serverIp ?? '10.0.0.2');
  const cport = o.clientPort ?? 40000;
  const sport = o.serverPort ?? 3868;
  const seq = { client: 1000, server: 5000 };
  const parts: Buffer[] = [];

  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(0, 8); // thiszone
  global.writeUInt32LE(0, 12); // sigfigs
  global.writeUInt32LE(262144, 16); // snaplen
  global.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  parts.push(global);

  segments.forEach((s, i) => {
    const frameLen = ETH + IP + TCP + s.payload.length;
    const t = s.timeMicros ?? 1704067200_000000 + i * 1000;
    const rec = Buffer.alloc(16 + frameLen);
    rec.writeUInt32LE(Math.floor(t / 1e6), 0);
    rec.writeUInt32LE(t % 1e6, 4);
    rec.writeUInt32LE(frameLen, 8);
    rec.writeUInt32LE(frameLen, 12);
    let p = 16;
    // Ethernet II: destination, source, EtherType IPv4.
    const [srcMac, dstMac] = s.fromClient ? [1, 2] : [2, 1];
    rec.set([2, 0, 0, 0, 0, dstMac], p);
    rec.set([2, 0, 0, 0, 0, srcMac], p + 6);
    rec.writeUInt16BE(0x0800, p + 12);
    p += ETH;
    // IPv4 (RFC 791): version 4, IHL 5, total length, DF, TTL 64, protocol TCP.
    rec[p] = 0x45;
    rec.writeUInt16BE(Math.min(IP + TCP + s.payload.length, 0xffff), p + 2);
    rec.writeUInt16BE(i & 0xffff, p + 4);
    rec.writeUInt16BE(0x4000, p + 6);
    rec[p + 8] = 64;
    rec[p + 9] = 6;
    rec.set(s.fromClient ? client : server, p + 12);
    rec.set(s.fromClient ? server : client, p + 16);
    p += IP;
    // TCP (RFC 9293): ports, seq, ack, data offset 5, flags PSH+ACK, window.
    rec.writeUInt16BE(s.fromClient ? cport : sport, p);
    rec.writeUInt16BE(s.fromClient ? sport : cport, p + 2);
    rec.writeUInt32BE((s.fromClient ? seq.client : seq.server) >>> 0, p + 4);
    rec.writeUInt32BE((s.fromClient ? seq.server : seq.client) >>> 0, p + 8);
    rec[p + 12] = 5 << 4;
    rec[p + 13] = 0x18;
    rec.writeUInt16BE(65535, p + 14);
    p += TCP;
    rec.set(s.payload, p);
    if (s.fromClient) seq.client += s.payload.length;
    else seq.server += s.payload.length;
    parts.push(rec);
  });
  return Buffer.concat(parts);
}
