/**
 * The S13 / S13' server (TS 29.272 §5.2.1.1, domain.md §6): Diameter over TCP (RFC 6733), answering
 * ME-Identity-Check-Requests from the check engine. This is a composition root: it knows the
 * Diameter codec (src/protocols/diameter) and the `EquipmentChecker` port (src/core/check).
 *
 * Per connection (a "peer", RFC 6733 §5.6): the framer reassembles messages from partial and
 * coalesced TCP reads; the first message must be a CER (any other request is answered 3010
 * DIAMETER_UNKNOWN_PEER and the connection closed); the CEA advertises
 * Vendor-Specific-Application-Id {10415, 16777252} with 2001 when the peer advertised S13 (as an
 * Auth-Application-Id or inside a Vendor-Specific-Application-Id) or the relay application
 * 0xffffffff, else 5010 and the connection is closed. DWR is answered DWA, DPR is answered DPA and
 * the connection closed. Any other command is answered 3001 with the E bit.
 *
 * ECRs are queued and checked on the next turn of the event loop (setImmediate), in bounded
 * slices, so that reading never stops behind checking. Overload is shed on arrival, without
 * calling the checker: a request beyond `maxInFlight` (server) or `maxInFlightPerPeer` queued
 * requests is answered at once, and so is a request that waited longer than `maxQueueDelayMs`:
 * 3004 DIAMETER_TOO_BUSY with the E bit when its Destination-Host names this server (RFC 6733
 * §7.1.3; MMEs' ECRs do), else 5012 DIAMETER_UNABLE_TO_COMPLY. Peers that advertise DOIC (RFC 7683
 * OC-Supported-Features) get OC-Supported-Features in every answer and, while requests are shed,
 * an overload report (OC-OLR) asking for a reduction of their traffic. Answers made in one turn are written with one socket write per
 * peer; a peer whose socket buffers more than `maxWriteBuffer` bytes is not read until it drains.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  EQUIPMENT_STATUS_CODE,
  type EquipmentCheckResult,
  type EquipmentChecker,
  type EquipmentStatus,
} from '../../core/check/equipment-check.js';
import {
  APP_S13,
  CMD_CAPABILITIES_EXCHANGE,
  CMD_DEVICE_WATCHDOG,
  CMD_DISCONNECT_PEER,
  CMD_FLAG_R,
  CMD_ME_IDENTITY_CHECK,
  DiameterFramer,
  DisconnectCause,
  ExperimentalResultCode,
  LastText,
  HEADER_LENGTH,
  ResultCode,
  VENDOR_3GPP,
  checkHeader,
  commonApplications,
  decodeMeIdentityCheckRequest,
  decodeMessage,
  encodeCapabilitiesExchangeAnswer,
  encodeDeviceWatchdogAnswer,
  encodeDeviceWatchdogRequest,
  encodeDisconnectPeerAnswer,
  encodeDisconnectPeerRequest,
  encodeErrorAnswer,
  writeMeIdentityCheckAnswer,
  InPlaceEcr,
  OutBuffer,
  parseCapabilitiesExchangeRequest,
  parsePeerRequest,
  readHeader,
  type MeIdentityCheckRequest,
  type MeIdentityCheckResult,
  type MessageHeader,
  type PeerCapabilities,
  readOcFeatureVector,
  type RequestContext,
} from '../../protocols/diameter/index.js';
import type { AnswerDelays } from './answer-delay.js';
import { OverloadReporter, type OverloadReportOptions } from './s13-overload-report.js';

/** What the server reports for each ECR it checked (for audit and metrics). */
export interface S13CheckObservation {
  /** The IMEI as received in Terminal-Information. */
  readonly imei: string;
  /** User-Name (the IMSI) when sent as digits. */
  readonly imsi?: string;
  /** Origin-Host of the ECR (the MME). */
  readonly peer: string;
  /** Origin-Host of the connection's CER (the MME itself, or a Diameter routing agent). */
  readonly connection: string;
  /** Milliseconds since the Unix epoch. */
  readonly time: number;
  readonly result: EquipmentCheckResult;
}

export interface S13OverloadOptions {
  /** Requests queued for checking, all peers together, beyond which ECRs are answered 3004. */
  readonly maxInFlight: number;
  /** The same bound for one connection (default: `maxInFlight`). */
  readonly maxInFlightPerPeer?: number;
  /**
   * A request not checked this long after it was read is answered 3004 (default 100 ms). A last
   * resort: overload is shed by `maxInFlight`, at once when a request is read; a request that
   * waited behind a pause (garbage collection, the scheduler) costs as little to answer as to
   * refuse, so it is answered unless it waited this long.
   */
  readonly maxQueueDelayMs?: number;
  /** Longest slice of checking before the loop reads again (default 2 ms). */
  readonly sliceMs?: number;
  /** Bytes buffered for writing on one socket beyond which it is not read (default 4 MiB). */
  readonly maxWriteBuffer?: number;
  /** The DOIC overload report sent to reacting nodes (RFC 7683; s13-overload-report.ts). */
  readonly report?: OverloadReportOptions;
}

export interface S13WatchdogOptions {
  /** Tw (RFC 3539 §3.4.1): a DWR is sent to a peer silent this long; closed if silent 2 Tw. */
  readonly intervalMs: number;
}

export interface S13ServerOptions {
  /** The checker to use, asked once per request (a swapped snapshot is used at once). */
  readonly checker: () => EquipmentChecker;
  readonly originHost: string;
  readonly originRealm: string;
  readonly productName: string;
  /** Vendor-Id of the CEA (our SMI enterprise number; default 0). */
  readonly vendorId?: number;
  readonly overload: S13OverloadOptions;
  readonly watchdog?: S13WatchdogOptions;
  /** A connection that sends no CER this long is closed (default 10 s). */
  readonly capabilitiesTimeoutMs?: number;
  /** Longest Diameter message accepted (default 64 KiB). */
  readonly maxMessageLength?: number;
  readonly onCheck?: (observation: S13CheckObservation) => void;
  /** Counts each answer's delay from the read of its request to its write (answer-delay.ts). */
  readonly answerDelays?: AnswerDelays;
}

/** One connection as `peers()` reports it. */
export interface S13PeerInfo {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly state: 'wait-cer' | 'open' | 'closing';
  readonly originHost?: string;
  readonly originRealm?: string;
  readonly productName?: string;
  /** Requests queued for checking now. */
  readonly inFlight: number;
  readonly received: number;
  readonly checked: number;
  readonly shed: number;
  readonly connectedAt: number;
}

export interface S13ServerStats {
  readonly connections: number;
  readonly inFlight: number;
  readonly checked: number;
  readonly shed: number;
  readonly errors: number;
  /** OC-Reduction-Percentage of the DOIC overload report in force (0: none). */
  readonly reductionPercentage: number;
}

export interface S13Server {
  /** Listens; resolves with the bound port (pass 0 for any). */
  listen(port: number, host: string): Promise<number>;
  /** Stops listening, sends DPR to open peers and closes every connection. */
  close(): Promise<void>;
  peers(): S13PeerInfo[];
  stats(): S13ServerStats;
}

const OUR_APPS = [APP_S13] as const;
const DEFAULT_MAX_QUEUE_DELAY_MS = 100;
const DEFAULT_SLICE_MS = 2;
const DEFAULT_MAX_WRITE_BUFFER = 4 << 20;
const DEFAULT_CER_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 500;
/** DOIC answers between two reads of the clock (a few microseconds of answering). */
const CLOCK_EVERY = 16;

/** The ECA result of each check outcome, made once: Equipment-Status (TS 29.272 §7.3.51) or 5422. */
const STATUS_RESULTS: Record<EquipmentStatus, MeIdentityCheckResult> = {
  WHITELISTED: { kind: 'status', equipmentStatus: EQUIPMENT_STATUS_CODE.WHITELISTED },
  BLACKLISTED: { kind: 'status', equipmentStatus: EQUIPMENT_STATUS_CODE.BLACKLISTED },
  GREYLISTED: { kind: 'status', equipmentStatus: EQUIPMENT_STATUS_CODE.GREYLISTED },
};
const UNKNOWN_RESULT: MeIdentityCheckResult = {
  kind: 'experimental',
  code: ExperimentalResultCode.ERROR_EQUIPMENT_UNKNOWN,
};

/** What a shed ECR is answered from: the header, Session-Id, Proxy-Info and routing. */
interface LightContext extends RequestContext {
  readonly destinationHost?: string;
  readonly ocFeatureVector?: bigint;
}

/** A request for which the S13 application only needs the header and a few AVPs. */
function lightContext(buf: Buffer): LightContext {
  // Session-Id, Proxy-Info, Destination-Host and OC-Supported-Features by walking the AVP
  // headers; the rest is not read.
  let sessionId: string | undefined;
  let proxyInfo: Buffer[] | undefined;
  let destinationHost: string | undefined;
  let ocFeatureVector: bigint | undefined;
  let off = HEADER_LENGTH;
  while (buf.length - off >= 8) {
    const code = buf.readUInt32BE(off);
    const flags = buf[off + 4]!;
    const len = (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!;
    const hl = flags & 0x80 ? 12 : 8;
    if (len < hl || len > buf.length - off) break;
    if (hl === 8 && code === 263 && sessionId === undefined) {
      sessionId = buf.toString('utf8', off + 8, off + len);
    } else if (hl === 8 && code === 284) {
      (proxyInfo ??= []).push(buf.subarray(off, Math.min(off + ((len + 3) & ~3), buf.length)));
    } else if (hl === 8 && code === 293) {
      destinationHost = buf.toString('utf8', off + 8, off + len);
    } else if (hl === 8 && code === 621) {
      ocFeatureVector = readOcFeatureVector(buf, off + 8, off + len);
    }
    off += (len + 3) & ~3;
  }
  // A literal with every field, not a spread of the header: under overload every request comes
  // here, and the spread's objects (each of its own shape) made this and the answer encoder's
  // header reads a third of a worker's time.
  return {
    flags: buf[4]!,
    commandCode: (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!,
    applicationId: buf.readUInt32BE(8),
    hopByHop: buf.readUInt32BE(12),
    endToEnd: buf.readUInt32BE(16),
    sessionId,
    proxyInfo,
    destinationHost,
    ocFeatureVector,
  };
}

function isDigits(s: string, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function plainAddress(a: string | undefined): string {
  if (!a) return '127.0.0.1';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

/** One transport connection and its peer state machine (RFC 6733 §5.6, responder side). */
class Peer {
  state: 'wait-cer' | 'open' | 'closing' = 'wait-cer';
  caps: PeerCapabilities | undefined;
  readonly framer: DiameterFramer;
  /** The Origin-Host of this connection's last ECR, one string while it repeats. */
  readonly originHosts = new LastText();
  readonly connectedAt = Date.now();
  lastHeard = performance.now();
  watchdogSent = false;
  queued = 0;
  received = 0;
  checked = 0;
  shed = 0;
  /** Answers waiting for this drain's write. */
  readonly out = new OutBuffer();
  dirty = false;
  endAfterFlush = false;
  paused = false;
  closed = false;

  constructor(
    readonly socket: Socket,
    maxMessageLength: number,
  ) {
    this.framer = new DiameterFramer({ maxMessageLength });
  }

  info(): S13PeerInfo {
    return {
      remoteAddress: plainAddress(this.socket.remoteAddress),
      remotePort: this.socket.remotePort ?? 0,
      state: this.state,
      originHost: this.caps?.originHost,
      originRealm: this.caps?.originRealm,
      productName: this.caps?.productName,
      inFlight: this.queued,
      received: this.received,
      checked: this.checked,
      shed: this.shed,
      connectedAt: this.connectedAt,
    };
  }
}

/** Creates an S13 server; `listen` starts it. */
export function createS13Server(options: S13ServerOptions): S13Server {
  const o = options;
  const maxInFlight = Math.max(1, o.overload.maxInFlight);
  const maxPerPeer = Math.max(1, o.overload.maxInFlightPerPeer ?? maxInFlight);
  const maxQueueDelay = o.overload.maxQueueDelayMs ?? DEFAULT_MAX_QUEUE_DELAY_MS;
  const sliceMs = o.overload.sliceMs ?? DEFAULT_SLICE_MS;
  const maxWriteBuffer = o.overload.maxWriteBuffer ?? DEFAULT_MAX_WRITE_BUFFER;
  const cerTimeout = o.capabilitiesTimeoutMs ?? DEFAULT_CER_TIMEOUT_MS;
  const maxMessageLength = o.maxMessageLength ?? 1 << 16;
  const originStateId = Math.floor(Date.now() / 1000) >>> 0;
  const origin = { originHost: o.originHost, originRealm: o.originRealm };
  const ownHost = o.originHost.toLowerCase();
  const reporter = new OverloadReporter(o.overload.report);
  const onCheck = o.onCheck;
  const delays = o.answerDelays;
  // The read times and outcomes of the ECRs a drain answered, for `delays` once written.
  // Arrays kept across drains (`doneN` entries in use): a drain allocates nothing for them.
  const doneRead: number[] = [];
  const doneShed: boolean[] = [];
  let doneN = 0;
  /** ECRs shed as they were read, in the current 'data' callback. */
  let shedOnRead = 0;
  /**
   * The wall clock (ms) for the DOIC report periods (RFC 7683 §5.2.1 measures per period): read
   * at each socket read and drain, and every CLOCK_EVERY answers with DOIC AVPs, rather than for
   * each such answer (Date.now() costs about as much as decoding a small AVP).
   */
  let clock = Date.now();
  let clockUses = 0;

  const peers = new Set<Peer>();
  // The queue of ECRs to check, all peers, in arrival order: parallel arrays, entries
  // [qHead, qLen) in use. The arrays keep their size across drains (nothing allocated per
  // request); an entry taken is cleared, so that no message stays referenced.
  const qPeer: (Peer | undefined)[] = [];
  const qBuf: (Buffer | undefined)[] = [];
  const qTime: number[] = [];
  let qHead = 0;
  let qLen = 0;
  let inFlight = 0;
  let drainScheduled = false;
  const dirty: Peer[] = [];
  let checkedTotal = 0;
  let shedTotal = 0;
  let errorsTotal = 0;
  let nextId = (Math.random() * 0x7fffffff) >>> 0;
  let server: Server | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let closing = false;

  const ids = () => {
    nextId = (nextId + 1) >>> 0;
    return { hopByHop: nextId, endToEnd: nextId };
  };

  function ourCapabilities(p: Peer): PeerCapabilities {
    return {
      ...origin,
      hostIpAddresses: [plainAddress(p.socket.localAddress)],
      vendorId: o.vendorId ?? 0,
      productName: o.productName,
      originStateId,
      supportedVendorIds: [VENDOR_3GPP],
      vendorSpecificApplicationIds: [{ vendorId: VENDOR_3GPP, authApplicationId: APP_S13 }],
    };
  }

  function send(p: Peer, b: Buffer): void {
    if (p.closed) return;
    p.out.push(b);
    markDirty(p);
  }

  function markDirty(p: Peer): void {
    if (!p.dirty) {
      p.dirty = true;
      dirty.push(p);
    }
  }

  function flush(): void {
    for (let i = 0; i < dirty.length; i++) {
      const p = dirty[i]!;
      p.dirty = false;
      if (p.closed) continue;
      const s = p.socket;
      if (p.out.at > 0) {
        s.write(p.out.take());
        // Written at once (the usual case), the buffer is free for the next answers; otherwise
        // the socket holds a view of it until it is sent.
        if (s.writableLength > 0) p.out.detach();
      }
      if (p.endAfterFlush) {
        s.end();
        // A peer that does not close its side is cut after a grace period.
        setTimeout(() => s.destroy(), CLOSE_GRACE_MS).unref();
      } else if (!p.paused && s.writableLength > maxWriteBuffer) {
        p.paused = true;
        s.pause();
      }
    }
    dirty.length = 0;
  }

  function closeAfter(p: Peer): void {
    p.state = 'closing';
    p.endAfterFlush = true;
    if (!p.dirty) {
      p.dirty = true;
      dirty.push(p);
    }
  }

  /**
   * Sheds an ECR without checking it. RFC 6733 §7.1.3 allows 3004 TOO_BUSY only for a request
   * naming this server in Destination-Host (the routing agent then tries another EIR); a
   * realm-routed request is answered 5012 UNABLE_TO_COMPLY. A DOIC reacting node also gets the
   * overload report, so that it sends fewer requests (RFC 7683).
   */
  function tooBusy(p: Peer, buf: Buffer): void {
    p.shed++;
    shedTotal++;
    reporter.count(true);
    const request = lightContext(buf);
    const named = request.destinationHost?.toLowerCase() === ownHost;
    const code = named ? ResultCode.TOO_BUSY : ResultCode.UNABLE_TO_COMPLY;
    answerEcr(p, request, { kind: 'result', code }, request.ocFeatureVector);
  }

  /**
   * Writes an ECA into the peer's output; with the DOIC AVPs when the request advertised DOIC
   * (`ocFeatureVector`).
   */
  function answerEcr(
    p: Peer,
    request: RequestContext,
    result: MeIdentityCheckResult,
    ocFeatureVector?: bigint,
  ): void {
    if (p.closed) return;
    let trailer: Buffer | undefined;
    if (ocFeatureVector !== undefined) {
      if (++clockUses === CLOCK_EVERY) {
        clockUses = 0;
        clock = Date.now();
      }
      trailer = reporter.trailer(clock);
    }
    writeMeIdentityCheckAnswer(p.out, request, o.originHost, o.originRealm, result, trailer);
    markDirty(p);
  }

  // The burst of decoded ECRs checked together (EquipmentChecker.checkMany), in arrival order.
  const BURST = 32;
  const bPeer: Peer[] = [];
  const bReq: MeIdentityCheckRequest[] = [];
  const bImei: string[] = [];
  const bImsi: (string | undefined)[] = [];
  const bOut: EquipmentCheckResult[] = [];
  let bN = 0;
  /** The requests of the burst's slots, decoded into again and again (nothing per request). */
  const bPool = Array.from({ length: BURST }, () => new InPlaceEcr());

  /** Decodes one queued ECR into the burst; a malformed one is answered at once. */
  function take(p: Peer, buf: Buffer, now: number): void {
    // Into the slot's request: it is answered before the slot is taken again (a burst is checked
    // when full, and a request answered at once leaves its slot free).
    const d = decodeMeIdentityCheckRequest(buf, p.originHosts, bPool[bN]);
    if (d.kind === 'error') {
      errorsTotal++;
      const request = lightContext(buf);
      const result: MeIdentityCheckResult = d.failedAvp
        ? { kind: 'result', code: d.resultCode, failedAvp: d.failedAvp }
        : { kind: 'result', code: d.resultCode };
      answerEcr(p, d.context ?? request, result, request.ocFeatureVector);
      return;
    }
    const r = d.request;
    const imsi = r.userName !== undefined && isDigits(r.userName, 5, 15) ? r.userName : undefined;
    const imei = r.terminalInformation.imei;
    if (imei === undefined) {
      // 3GPP2-MEID only: no MEID register here.
      answer(p, r, imsi, { kind: 'unknown', reasons: ['meid-not-supported'] }, now);
      return;
    }
    bPeer[bN] = p;
    bReq[bN] = r;
    bImei[bN] = imei;
    bImsi[bN] = imsi;
    if (++bN === BURST) checkBurst(now);
  }

  /** Checks the burst (one bulk lookup when the checker has one) and answers each ECR. */
  function checkBurst(now: number): void {
    const n = bN;
    if (n === 0) return;
    bN = 0;
    const c = o.checker();
    let bulk = c.checkMany !== undefined;
    if (bulk) {
      try {
        c.checkMany!(bImei, bImsi, bOut, n);
      } catch {
        bulk = false; // decide one by one, so that one bad request fails alone
      }
    }
    for (let i = 0; i < n; i++) {
      const p = bPeer[i]!;
      const r = bReq[i]!;
      let result = bOut[i]!;
      if (!bulk) {
        try {
          result = c.check(bImei[i]!, bImsi[i]);
        } catch {
          errorsTotal++;
          const failed: MeIdentityCheckResult = {
            kind: 'result',
            code: ResultCode.UNABLE_TO_COMPLY,
          };
          answerEcr(p, r, failed, r.ocFeatureVector);
          continue;
        }
      }
      if (!p.closed) answer(p, r, bImsi[i], result, now);
    }
  }

  /** Answers a checked ECR and reports the observation. */
  function answer(
    p: Peer,
    r: MeIdentityCheckRequest,
    imsi: string | undefined,
    result: EquipmentCheckResult,
    now: number,
  ): void {
    p.checked++;
    checkedTotal++;
    reporter.count(false);
    answerEcr(
      p,
      r,
      result.kind === 'status' ? STATUS_RESULTS[result.status] : UNKNOWN_RESULT,
      r.ocFeatureVector,
    );
    if (onCheck) {
      try {
        onCheck({
          imei: r.terminalInformation.imei ?? '',
          imsi,
          peer: r.originHost,
          connection: p.caps?.originHost ?? '',
          time: now,
          result,
        });
      } catch {
        // An observer's failure must not fail the answer.
      }
    }
  }

  function scheduleDrain(): void {
    if (!drainScheduled) {
      drainScheduled = true;
      setImmediate(drain);
    }
  }

  /** Checks queued ECRs for at most one slice, then writes the answers. */
  function drain(): void {
    drainScheduled = false;
    const start = performance.now();
    const wall = Date.now();
    clock = wall;
    let n = 0;
    let now = start;
    while (qHead < qLen) {
      const p = qPeer[qHead]!;
      const buf = qBuf[qHead]!;
      const t = qTime[qHead]!;
      qPeer[qHead] = undefined;
      qBuf[qHead] = undefined;
      qHead++;
      inFlight--;
      p.queued--;
      if (p.closed) continue;
      const old = now - t > maxQueueDelay;
      if (old) tooBusy(p, buf);
      else take(p, buf, wall);
      if (delays) {
        doneRead[doneN] = t;
        doneShed[doneN++] = old;
      }
      if ((++n & 63) === 0) {
        now = performance.now();
        if (now - start > sliceMs) break;
      }
    }
    checkBurst(wall);
    if (qHead >= qLen) {
      qHead = 0;
      qLen = 0;
    } else {
      if (qHead > 4096 && qHead * 2 > qLen) {
        // Move what is left to the front (the cleared head entries are overwritten).
        qPeer.copyWithin(0, qHead, qLen);
        qBuf.copyWithin(0, qHead, qLen);
        qTime.copyWithin(0, qHead, qLen);
        qPeer.fill(undefined, qLen - qHead, qLen);
        qBuf.fill(undefined, qLen - qHead, qLen);
        qLen -= qHead;
        qHead = 0;
      }
      scheduleDrain();
    }
    flush();
    if (delays && doneN > 0) {
      const written = performance.now();
      for (let i = 0; i < doneN; i++) delays.record(doneShed[i]!, written - doneRead[i]!);
      doneN = 0;
    }
  }

  function onCer(p: Peer, buf: Buffer): void {
    const d = decodeMessage(buf);
    const req = d.kind === 'ok' ? d.message : readHeader(buf);
    const ours = ourCapabilities(p);
    if (d.kind === 'error') {
      send(p, encodeCapabilitiesExchangeAnswer(req, d.resultCode, ours));
      closeAfter(p);
      return;
    }
    const c = parseCapabilitiesExchangeRequest(d.message);
    if (c.kind === 'error') {
      const extras = c.failedAvp ? { failedAvp: c.failedAvp } : {};
      send(p, encodeCapabilitiesExchangeAnswer(req, c.resultCode, ours, extras));
      closeAfter(p);
      return;
    }
    if (commonApplications(OUR_APPS, c.value).length === 0) {
      send(
        p,
        encodeCapabilitiesExchangeAnswer(req, ResultCode.NO_COMMON_APPLICATION, ours, {
          errorMessage: 'S13 (10415/16777252) not advertised',
        }),
      );
      closeAfter(p);
      return;
    }
    p.caps = c.value;
    p.state = 'open';
    send(p, encodeCapabilitiesExchangeAnswer(req, ResultCode.SUCCESS, ours));
  }

  function onPeerRequest(p: Peer, buf: Buffer, h: MessageHeader): void {
    const dpr = h.commandCode === CMD_DISCONNECT_PEER;
    const d = decodeMessage(buf);
    let code: number = ResultCode.SUCCESS;
    let failedAvp: Buffer | undefined;
    if (d.kind === 'error') code = d.resultCode;
    else {
      const r = parsePeerRequest(d.message);
      if (r.kind === 'error') {
        code = r.resultCode;
        failedAvp = r.failedAvp;
      }
    }
    const extras = failedAvp ? { failedAvp } : {};
    if (dpr) {
      send(p, encodeDisconnectPeerAnswer(h, code, origin, extras));
      if (code === ResultCode.SUCCESS) closeAfter(p);
    } else {
      send(p, encodeDeviceWatchdogAnswer(h, code, { ...origin, originStateId }, extras));
    }
  }

  function onMessage(p: Peer, buf: Buffer, now: number): void {
    const flags = buf[4]!;
    const cmd = (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!;
    const isReq = (flags & CMD_FLAG_R) !== 0;
    if (p.state === 'closing') return;
    if (!isReq) {
      // Answers: a DWA to our watchdog; anything else is ignored.
      if (cmd === CMD_DEVICE_WATCHDOG) p.watchdogSent = false;
      return;
    }
    p.received++;
    if (p.state === 'wait-cer') {
      if (cmd === CMD_CAPABILITIES_EXCHANGE) onCer(p, buf);
      else {
        // RFC 6733 §5.3: nothing but a CER before the capabilities exchange.
        const ctx = checkHeader(buf) ? readHeader(buf) : lightContext(buf);
        send(
          p,
          encodeErrorAnswer({
            request: ctx,
            ...origin,
            result: { kind: 'result', code: ResultCode.UNKNOWN_PEER },
            errorMessage: 'no capabilities exchange (CER) yet',
          }),
        );
        closeAfter(p);
      }
      return;
    }
    if (cmd === CMD_ME_IDENTITY_CHECK) {
      if (inFlight >= maxInFlight || p.queued >= maxPerPeer) {
        tooBusy(p, buf);
        shedOnRead++;
        return;
      }
      qPeer[qLen] = p;
      qBuf[qLen] = buf;
      qTime[qLen++] = now;
      inFlight++;
      p.queued++;
      scheduleDrain();
      return;
    }
    if (cmd === CMD_DEVICE_WATCHDOG || cmd === CMD_DISCONNECT_PEER) {
      onPeerRequest(p, buf, readHeader(buf));
    } else if (cmd === CMD_CAPABILITIES_EXCHANGE) {
      onCer(p, buf);
    } else {
      errorsTotal++;
      const ctx = checkHeader(buf) ? readHeader(buf) : lightContext(buf);
      send(
        p,
        encodeErrorAnswer({
          request: ctx,
          ...origin,
          result: { kind: 'result', code: ResultCode.COMMAND_UNSUPPORTED },
        }),
      );
    }
  }

  function onConnection(socket: Socket): void {
    if (closing) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const p = new Peer(socket, maxMessageLength);
    peers.add(p);
    socket.on('data', (chunk: Buffer) => {
      if (p.closed || p.state === 'closing') return;
      const now = performance.now();
      clock = Date.now();
      p.lastHeard = now;
      p.watchdogSent = false;
      const r = p.framer.push(chunk);
      for (let i = 0; i < r.messages.length; i++) onMessage(p, r.messages[i]!, now);
      if (r.error) {
        // The stream cannot be framed any more (5011 / 5015): drop the connection.
        errorsTotal++;
        closeAfter(p);
      }
      flush();
      if (shedOnRead > 0) {
        delays?.recordMany(true, performance.now() - now, shedOnRead);
        shedOnRead = 0;
      }
    });
    socket.on('drain', () => {
      if (p.paused && !p.closed) {
        p.paused = false;
        if (p.state !== 'closing') socket.resume();
      }
    });
    socket.on('error', () => {
      // ECONNRESET and the like: 'close' follows.
    });
    socket.on('close', () => {
      p.closed = true;
      peers.delete(p);
    });
  }

  /** The CER timeout and the watchdog (RFC 3539 §3.4.1), one timer for all peers. */
  function sweep(): void {
    const now = performance.now();
    for (const p of peers) {
      const silent = now - p.lastHeard;
      if (p.state === 'wait-cer' && silent > cerTimeout) {
        p.socket.destroy();
      } else if (p.state === 'open' && o.watchdog) {
        const tw = o.watchdog.intervalMs;
        if (silent > 2 * tw && p.watchdogSent) p.socket.destroy();
        else if (silent > tw && !p.watchdogSent) {
          p.watchdogSent = true;
          send(p, encodeDeviceWatchdogRequest(ids(), { ...origin, originStateId }));
        }
      }
    }
    flush();
  }

  return {
    listen(port: number, host: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const s = createServer({ noDelay: true }, onConnection);
        server = s;
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          const period = Math.min(1000, o.watchdog ? o.watchdog.intervalMs / 2 : 1000, cerTimeout);
          sweepTimer = setInterval(sweep, Math.max(10, period));
          sweepTimer.unref();
          const a = s.address();
          resolve(typeof a === 'object' && a ? a.port : port);
        });
      });
    },

    async close(): Promise<void> {
      closing = true;
      if (sweepTimer) clearInterval(sweepTimer);
      const stopped = new Promise<void>((resolve) => {
        if (server) server.close(() => resolve());
        else resolve();
      });
      const gone = [...peers].map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.closed) return resolve();
            p.socket.once('close', () => resolve());
            if (p.state === 'open') {
              send(p, encodeDisconnectPeerRequest(ids(), origin, DisconnectCause.REBOOTING));
            }
            closeAfter(p);
          }),
      );
      flush();
      await Promise.all([stopped, ...gone]);
    },

    peers(): S13PeerInfo[] {
      return [...peers].map((p) => p.info());
    },

    stats(): S13ServerStats {
      return {
        connections: peers.size,
        inFlight,
        checked: checkedTotal,
        shed: shedTotal,
        errors: errorsTotal,
        reductionPercentage: reporter.report()?.reductionPercentage ?? 0,
      };
    },
  };
}
