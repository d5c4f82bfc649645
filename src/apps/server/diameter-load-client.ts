/**
 * The project's own S13 load client: N TCP connections to a Diameter server on loopback, a CER
 * handshake on each, then ECRs pipelined with a window of outstanding requests per connection,
 * open-loop at a target rate (each connection writes what its schedule has made due, once a
 * millisecond, in one write) or as fast as the window allows, for a bounded time and count. It
 * measures throughput, latency percentiles (from the write of a request to the read of its
 * answer, matched by hop-by-hop id) and counts result codes.
 *
 * As a script:
 *   node dist/apps/server/diameter-load-client.js --port P [--connections 16] [--seconds 5]
 *     [--rate R] [--window 64] [--count N]
 * prints one JSON object. Only loopback addresses are accepted: this is a test tool.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  APP_S13,
  CMD_CAPABILITIES_EXCHANGE,
  CMD_FLAG_R,
  CMD_ME_IDENTITY_CHECK,
  DiameterFramer,
  DisconnectCause,
  Avp,
  HEADER_LENGTH,
  OC_DEFAULT_VALIDITY_S,
  OC_OLR_DEFAULT_ALGO,
  OcReportType,
  VENDOR_3GPP,
  avp,
  decodeMessage,
  encodeCapabilitiesExchangeRequest,
  encodeDisconnectPeerRequest,
  encodeMeIdentityCheckRequest,
  parseCapabilitiesExchangeAnswer,
} from '../../protocols/diameter/index.js';

export interface LoadTarget {
  readonly imei: string;
  readonly imsi?: string;
}

export interface DiameterLoadOptions {
  readonly port: number;
  /** 127.0.0.1 (default), ::1 or localhost only. */
  readonly host?: string;
  readonly connections: number;
  /** Length of the sending phase. */
  readonly seconds: number;
  /** Requests per second over all connections; 0 or absent: as fast as the windows allow. */
  readonly rate?: number;
  /** Outstanding requests per connection (default 64). */
  readonly window?: number;
  /** Stop after this many requests in all (default: no bound but time). */
  readonly count?: number;
  /** IMEIs (and IMSIs) to cycle through (default: one 15-digit IMEI). */
  readonly targets?: readonly LoadTarget[];
  readonly originHost?: string;
  readonly originRealm?: string;
  readonly destinationRealm?: string;
  /** Destination-Host of every ECR (an MME names its EIR; absent: realm-routed). */
  readonly destinationHost?: string;
  /**
   * Act as a DOIC reacting node (RFC 7683): advertise OC-Supported-Features with the loss
   * algorithm and honour the server's host overload reports, sending that percentage of the
   * requests fewer while a report is valid (the requests not sent are counted as throttled).
   */
  readonly doic?: boolean;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export interface DiameterLoadResult {
  readonly connections: number;
  readonly seconds: number;
  readonly sent: number;
  readonly answered: number;
  /** Answers per second over the sending phase. */
  readonly answersPerSecond: number;
  readonly latency: LatencySummary;
  /** Latency of the shed answers alone: 3004 DIAMETER_TOO_BUSY, 5012 UNABLE_TO_COMPLY. */
  readonly tooBusyLatency: LatencySummary;
  /** Answers by Result-Code or Experimental-Result-Code ("2001", "5422", "3004"...). */
  readonly resultCodes: Readonly<Record<string, number>>;
  /** Equipment-Status values of 2001 answers ("0", "1", "2"). */
  readonly equipmentStatus: Readonly<Record<string, number>>;
  /** Requests not sent because of the server's DOIC overload reports (`doic`). */
  readonly throttled: number;
  /** Overload reports taken (new sequence numbers), with the last reduction asked for. */
  readonly overloadReports: number;
  readonly lastReductionPercentage: number;
  readonly errors: readonly string[];
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const RING = 1 << 16;
const SID_DIGITS = 10;

/** Latency histogram: 1 µs buckets to 10 ms, then 100 µs buckets to 10 s. */
class Histogram {
  private readonly buckets = new Uint32Array(10_000 + 99_900 + 1);
  private n = 0;
  private sum = 0;
  private max = 0;

  record(ms: number): void {
    const us = Math.max(0, Math.round(ms * 1000));
    const b = us < 10_000 ? us : Math.min(10_000 + Math.floor((us - 10_000) / 100), 109_900);
    this.buckets[b]!++;
    this.n++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  private quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.ceil(q * this.n);
    let acc = 0;
    for (let b = 0; b < this.buckets.length; b++) {
      acc += this.buckets[b]!;
      if (acc >= rank) return (b < 10_000 ? b : 10_000 + (b - 10_000) * 100) / 1000;
    }
    return this.max;
  }

  summary(): LatencySummary {
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return {
      count: this.n,
      p50Ms: r(this.quantile(0.5)),
      p90Ms: r(this.quantile(0.9)),
      p99Ms: r(this.quantile(0.99)),
      p999Ms: r(this.quantile(0.999)),
      maxMs: r(this.max),
      meanMs: r(this.n ? this.sum / this.n : 0),
    };
  }
}

/** An OC-OLR's members as the load client uses them (RFC 7683 §7.4-7.7). */
interface OverloadReportSeen {
  readonly sequence: number;
  readonly reductionPercentage: number;
  readonly validitySeconds: number;
}

// What `readAnswer` found in the last answer (module state rather than an object per answer: the
// client reads 100,000s of answers a second and its collector's pauses are its latency figures).
let answerCode = -1;
let answerStatus = -1;
let answerReport: OverloadReportSeen | undefined;

/**
 * Result-Code, Experimental-Result-Code, Equipment-Status and the host overload report (OC-OLR)
 * of the answer in `buf[start, end)`, by AVP walk in place, into `answerCode`, `answerStatus`
 * and `answerReport`.
 */
function readAnswer(buf: Buffer, start: number, end: number): void {
  answerCode = -1;
  answerStatus = -1;
  answerReport = undefined;
  let off = start + HEADER_LENGTH;
  while (end - off >= 8) {
    const c = buf.readUInt32BE(off);
    const flags = buf[off + 4]!;
    const len = buf.readUIntBE(off + 5, 3);
    const hl = flags & 0x80 ? 12 : 8;
    if (len < hl || len > end - off) break;
    if (hl === 8 && c === 268 && len === 12) answerCode = buf.readUInt32BE(off + 8);
    else if (hl === 12 && c === 1445 && len === 16) answerStatus = buf.readUInt32BE(off + 12);
    else if (hl === 8 && c === 297) {
      let q = off + 8;
      while (off + len - q >= 12) {
        const ic = buf.readUInt32BE(q);
        const il = buf.readUIntBE(q + 5, 3);
        if (il < 8) break;
        if (ic === 298 && il === 12) answerCode = buf.readUInt32BE(q + 8);
        q += (il + 3) & ~3;
      }
    } else if (hl === 8 && c === Avp.OcOlr.code) {
      answerReport = overloadReport(buf, off + 8, off + len);
    }
    off += (len + 3) & ~3;
  }
}

/** A host report's members in `buf[start, end)`; undefined for a realm report or a bad one. */
function overloadReport(buf: Buffer, start: number, end: number): OverloadReportSeen | undefined {
  let sequence = -1;
  let type = -1;
  let reductionPercentage = 0;
  let validitySeconds = OC_DEFAULT_VALIDITY_S;
  for (let q = start; end - q >= 8;) {
    const c = buf.readUInt32BE(q);
    const l = buf.readUIntBE(q + 5, 3);
    if (l < 8 || l > end - q) return undefined;
    if (c === Avp.OcSequenceNumber.code && l === 16) sequence = Number(buf.readBigUInt64BE(q + 8));
    else if (l === 12 && c === Avp.OcReportType.code) type = buf.readUInt32BE(q + 8);
    else if (l === 12 && c === Avp.OcReductionPercentage.code)
      reductionPercentage = Math.min(100, buf.readUInt32BE(q + 8));
    else if (l === 12 && c === Avp.OcValidityDuration.code)
      validitySeconds = buf.readUInt32BE(q + 8);
    q += (l + 3) & ~3;
  }
  return sequence >= 0 && type === OcReportType.HOST_REPORT
    ? { sequence, reductionPercentage, validitySeconds }
    : undefined;
}

interface Template {
  readonly bytes: Buffer;
  /** Offset of the session-id counter digits. */
  readonly counterAt: number;
}

function templates(o: DiameterLoadOptions, conn: number): Template[] {
  const host = o.originHost ?? 'load.client.test';
  const list = o.targets && o.targets.length > 0 ? o.targets : [{ imei: '490154203237518' }];
  const mark = '9'.repeat(SID_DIGITS);
  return list.map((t) => {
    const bytes = encodeMeIdentityCheckRequest({
      hopByHop: 0,
      endToEnd: 0,
      sessionId: `${host};${conn};${mark}`,
      originHost: host,
      originRealm: o.originRealm ?? 'client.test',
      destinationRealm: o.destinationRealm ?? 'eir.test',
      ...(o.destinationHost !== undefined ? { destinationHost: o.destinationHost } : {}),
      ...(o.doic
        ? {
            extraAvps: [
              avp(Avp.OcSupportedFeatures, [avp(Avp.OcFeatureVector, OC_OLR_DEFAULT_ALGO)]),
            ],
          }
        : {}),
      terminalInformation: { imei: t.imei },
      ...(t.imsi !== undefined ? { userName: t.imsi } : {}),
    });
    const counterAt = bytes.indexOf(`;${conn};${mark}`, HEADER_LENGTH) + `;${conn};`.length;
    return { bytes, counterAt };
  });
}

/** Runs the load; resolves once every connection is done (answers waited for up to 2 s). */
export async function runDiameterLoad(o: DiameterLoadOptions): Promise<DiameterLoadResult> {
  const host = o.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`load client targets loopback only, not ${host}`);
  const connections = Math.max(1, Math.floor(o.connections));
  const window = Math.min(Math.max(1, o.window ?? 64), RING / 2);
  const rate = o.rate && o.rate > 0 ? o.rate : 0;
  const countLimit = o.count && o.count > 0 ? o.count : Infinity;
  const durationMs = o.seconds * 1000;

  const all = new Histogram();
  const busy = new Histogram();
  const resultCodes: Record<string, number> = {};
  const equipmentStatus: Record<string, number> = {};
  const errors: string[] = [];
  let sentTotal = 0;
  let answeredTotal = 0;
  // DOIC loss abatement (RFC 7683 §5.5.1), one state for the whole client as for one MME: the
  // newest host report's reduction while it is valid; a share of `reduction`% of the requests is
  // throttled, spread evenly (an accumulator rather than a random draw).
  let olrSequence = -1;
  let reduction = 0;
  let reductionUntil = 0;
  let abateAcc = 0;
  let throttled = 0;
  let reports = 0;
  const takeReport = (r: OverloadReportSeen, now: number) => {
    if (r.sequence <= olrSequence) return;
    olrSequence = r.sequence;
    reports++;
    reduction = r.validitySeconds === 0 ? 0 : r.reductionPercentage;
    reductionUntil = now + r.validitySeconds * 1000;
  };
  let start = 0;
  let stopSending = false;

  const settled = await Promise.allSettled(
    Array.from({ length: connections }, (_, i) => handshake(i)),
  );
  const conns: Socket[] = [];
  for (const r of settled) if (r.status === 'fulfilled') conns.push(r.value);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    for (const s of conns) s.destroy();
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }

  function handshake(i: number): Promise<Socket> {
    return new Promise((resolveConn, reject) => {
      const s = connect({ host, port: o.port, noDelay: true });
      const framer = new DiameterFramer();
      const fail = (e: Error) => reject(e);
      s.once('error', fail);
      s.once('connect', () => {
        s.write(
          encodeCapabilitiesExchangeRequest(
            { hopByHop: 1, endToEnd: i + 1 },
            {
              originHost: o.originHost ?? 'load.client.test',
              originRealm: o.originRealm ?? 'client.test',
              hostIpAddresses: ['127.0.0.1'],
              vendorId: 0,
              productName: 'OpenCEIR load client',
              authApplicationIds: [APP_S13],
              vendorSpecificApplicationIds: [{ vendorId: VENDOR_3GPP, authApplicationId: APP_S13 }],
            },
          ),
        );
      });
      const onData = (chunk: Buffer) => {
        const r = framer.push(chunk);
        const m = r.messages[0];
        if (!m) return;
        s.off('data', onData);
        s.off('error', fail);
        const d = decodeMessage(m);
        if (d.kind === 'error' || d.message.commandCode !== CMD_CAPABILITIES_EXCHANGE) {
          s.destroy();
          return reject(new Error('no CEA'));
        }
        const cea = parseCapabilitiesExchangeAnswer(d.message);
        if (cea.kind === 'error' || cea.value.resultCode !== 2001) {
          s.destroy();
          return reject(new Error(`CEA ${cea.kind === 'ok' ? cea.value.resultCode : cea.reason}`));
        }
        resolveConn(s);
      };
      s.on('data', onData);
    });
  }

  // Encoded before the clock starts: with many targets this takes long enough (16 x 10,000
  // templates: about 0.4 s) that the first requests would go out late and then in one burst.
  const tpls = conns.map((_, i) => templates(o, i));
  start = performance.now();
  const perConnRate = rate / connections;

  const runs = conns.map(
    (s, i) =>
      new Promise<void>((done) => {
        const tpl = tpls[i]!;
        const sentAt = new Float64Array(RING);
        const framer = new DiameterFramer();
        let seq = 0;
        let sent = 0;
        let outstanding = 0;
        let finished = false;
        // The last send was held back by the window, not by the schedule.
        let windowBound = false;

        const finish = () => {
          if (finished) return;
          finished = true;
          clearInterval(tick);
          s.write(
            encodeDisconnectPeerRequest(
              { hopByHop: 2, endToEnd: 2 },
              { originHost: o.originHost ?? 'load.client.test', originRealm: 'client.test' },
              DisconnectCause.REBOOTING,
            ),
          );
          setTimeout(() => s.destroy(), 200).unref();
          done();
        };

        const pump = () => {
          if (finished) return;
          const now = performance.now();
          if (now - start >= durationMs || sentTotal >= countLimit) stopSending = true;
          if (stopSending) {
            if (outstanding === 0) finish();
            return;
          }
          let n = window - outstanding;
          if (perConnRate > 0) {
            const due = Math.floor((perConnRate * (now - start)) / 1000) - sent;
            windowBound = due > n;
            n = Math.min(n, due);
          }
          n = Math.min(n, countLimit - sentTotal);
          if (n <= 0) return;
          let size = 0;
          for (let k = 0; k < n; k++) size += tpl[(seq + k) % tpl.length]!.bytes.length;
          const batch = Buffer.allocUnsafe(size);
          const abating = reduction > 0 && now < reductionUntil;
          let p = 0;
          let writes = 0;
          for (let k = 0; k < n; k++) {
            if (abating && (abateAcc += reduction) >= 100) {
              abateAcc -= 100;
              throttled++;
              continue;
            }
            writes++;
            const t = tpl[seq % tpl.length]!;
            t.bytes.copy(batch, p);
            const id = (seq + 1) >>> 0;
            batch.writeUInt32BE(id, p + 12);
            batch.writeUInt32BE(id, p + 16);
            let c = seq;
            for (let d = SID_DIGITS - 1; d >= 0; d--) {
              batch[p + t.counterAt + d] = 48 + (c % 10);
              c = Math.floor(c / 10);
            }
            sentAt[id & (RING - 1)] = now;
            p += t.bytes.length;
            seq++;
          }
          // Throttled requests took their place in the schedule but were not sent.
          sent += n;
          sentTotal += writes;
          outstanding += writes;
          if (writes > 0) s.write(p === size ? batch : batch.subarray(0, p));
        };

        let readAt = 0;
        const onAnswer = (m: Buffer, start: number, end: number): void => {
          const cmd = m.readUIntBE(start + 5, 3);
          if (cmd !== CMD_ME_IDENTITY_CHECK || m[start + 4]! & CMD_FLAG_R) return;
          const id = m.readUInt32BE(start + 12);
          const lat = readAt - sentAt[id & (RING - 1)]!;
          readAnswer(m, start, end);
          if (answerReport && o.doic) takeReport(answerReport, readAt);
          all.record(lat);
          if (answerCode === 3004 || answerCode === 5012) busy.record(lat);
          resultCodes[answerCode] = (resultCodes[answerCode] ?? 0) + 1;
          if (answerStatus >= 0)
            equipmentStatus[answerStatus] = (equipmentStatus[answerStatus] ?? 0) + 1;
          outstanding--;
          answeredTotal++;
        };
        s.on('data', (chunk: Buffer) => {
          readAt = performance.now();
          const error = framer.pushEach(chunk, onAnswer);
          if (error) errors.push(`connection ${i}: ${error.reason}`);
          // Closed loop: an answer makes room for the next request. Open loop, requests go out on
          // the clock (below) unless the window held some back.
          if (perConnRate === 0 || windowBound) pump();
        });
        s.on('error', (e) => {
          errors.push(`connection ${i}: ${e.message}`);
          finished = true;
          clearInterval(tick);
          done();
        });
        s.on('close', () => {
          if (!finished) {
            errors.push(`connection ${i} closed by the server`);
            finished = true;
            clearInterval(tick);
            done();
          }
        });
        const tick = setInterval(() => {
          pump();
          // Answers still missing 2 s after the sending phase are counted as lost.
          if (stopSending && performance.now() - start > durationMs + 2000) {
            if (outstanding > 0) errors.push(`connection ${i}: ${outstanding} unanswered`);
            finish();
          }
        }, 1);
        pump();
      }),
  );
  await Promise.all(runs);
  const elapsed = Math.min(performance.now() - start, durationMs) / 1000;
  return {
    connections,
    seconds: Math.round(elapsed * 1000) / 1000,
    sent: sentTotal,
    answered: answeredTotal,
    answersPerSecond: Math.round(answeredTotal / Math.max(elapsed, 1e-3)),
    latency: all.summary(),
    tooBusyLatency: busy.summary(),
    resultCodes,
    throttled,
    overloadReports: reports,
    lastReductionPercentage: reduction,
    equipmentStatus,
    errors,
  };
}

function parseArgs(argv: readonly string[]): DiameterLoadOptions {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, dflt?: number): number | undefined => {
    const v = get(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: not a number: ${v}`);
    return n;
  };
  const port = num('port');
  if (port === undefined) throw new Error('--port is required');
  return {
    port,
    host: get('host') ?? '127.0.0.1',
    connections: num('connections', 16)!,
    seconds: num('seconds', 5)!,
    rate: num('rate', 0),
    window: num('window', 64),
    count: num('count', 0),
    ...(get('destination-host') !== undefined ? { destinationHost: get('destination-host') } : {}),
    doic: argv.includes('--doic'),
    targets: [
      { imei: '490154203237518' },
      { imei: '35391805123456', imsi: '001010000000001' },
      { imei: '86012345678901' },
    ],
  };
}

const isMain =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    const result = await runDiameterLoad(parseArgs(process.argv.slice(2)));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.exitCode = result.errors.length > 0 ? 1 : 0;
  } catch (e) {
    process.stderr.write(`diameter-load-client: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
