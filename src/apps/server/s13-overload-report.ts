/**
 * The S13 server as a DOIC reporting node (RFC 7683): it counts, per period, the ECRs it checked
 * and the ECRs it shed, and turns that into an overload report for the reacting nodes (MMEs,
 * routing agents) that advertised DOIC with OC-Supported-Features.
 *
 * Loss algorithm (§5.2.1, OLR_DEFAULT_ALGO): while requests are shed, the reduction asked for is
 * the share of the demand the server could not check, `1 - checked / demand`, where the demand is
 * what arrived scaled back up by the reduction already in force (`received / (1 - p)`), rounded up
 * to 5 %, at most 95 %: the reports reach a reacting node only in the answers to what it still
 * sends, so a node asked for 100 % would hear nothing more until the report expired (and then
 * send everything at once again). Without shedding (or with less than 1 % shed: a burst) the reduction steps down by `recoveryStep` per period; when it reaches
 * zero an OC-OLR with OC-Validity-Duration 0 ends the condition (§5.5.4) for one period, then
 * answers carry OC-Supported-Features only. Every new report content takes a new sequence number
 * (§5.5.2), from the clock in milliseconds: it grows across restarts and is comparable between the
 * worker processes that answer for the same Origin-Host.
 */
import {
  OC_OLR_DEFAULT_ALGO,
  OcReportType,
  encodeOcOlr,
  encodeOcSupportedFeatures,
  type OverloadReport,
} from '../../protocols/diameter/index.js';

export interface OverloadReportOptions {
  /** Length of a measuring period (default 1000 ms). */
  readonly periodMs?: number;
  /** OC-Validity-Duration of a report, seconds (default 10). */
  readonly validitySeconds?: number;
  /** Percentage points the reduction falls per period without shedding (default 10). */
  readonly recoveryStep?: number;
}

/**
 * A period that shed less than this share of what arrived was a burst, not a lack of capacity:
 * it counts as a period without shedding. Otherwise, at a reduction in force, a few requests
 * shed would keep the reduction where it is: what arrived is then all the server checked, and
 * the demand it infers from it says nothing of how much more it could check.
 */
const TRANSIENT_SHED_SHARE = 0.01;

/** The largest reduction asked for (see the module comment). */
export const MAX_REDUCTION_PERCENTAGE = 95;

export class OverloadReporter {
  private readonly periodMs: number;
  private readonly validity: number;
  private readonly step: number;
  private readonly features = encodeOcSupportedFeatures(OC_OLR_DEFAULT_ALGO);
  private periodStart: number;
  private checked = 0;
  private shed = 0;
  private reduction = 0;
  /** The report being sent, or undefined when there is none. */
  private current: OverloadReport | undefined;
  private bytes: Buffer;
  private lastSequence = 0n;

  constructor(o: OverloadReportOptions = {}, now = Date.now()) {
    this.periodMs = o.periodMs ?? 1000;
    this.validity = o.validitySeconds ?? 10;
    this.step = o.recoveryStep ?? 10;
    this.periodStart = now;
    this.bytes = this.features;
  }

  /** Counts one ECR: checked, or shed (answered 3004 / 5012 without checking). */
  count(shed: boolean): void {
    if (shed) this.shed++;
    else this.checked++;
  }

  /** The report in force (for metrics and tests). */
  report(now = Date.now()): OverloadReport | undefined {
    this.roll(now);
    return this.current;
  }

  /** The DOIC AVPs for an answer to a request that advertised DOIC. */
  trailer(now = Date.now()): Buffer {
    this.roll(now);
    return this.bytes;
  }

  private roll(now: number): void {
    if (now - this.periodStart < this.periodMs) return;
    const idle = now - this.periodStart >= 2 * this.periodMs;
    const received = idle ? 0 : this.checked + this.shed;
    const shed = idle ? 0 : this.shed;
    const checked = this.checked;
    this.periodStart = now;
    this.checked = 0;
    this.shed = 0;
    const before = this.reduction;
    if (shed > 0 && shed >= received * TRANSIENT_SHED_SHARE) {
      const demand = received / (1 - before / 100);
      // Rounded up to 5 %, past float noise (0.55 must not become 60 %).
      const wanted = Math.ceil((100 * (1 - checked / demand)) / 5 - 1e-9) * 5;
      this.reduction = Math.min(MAX_REDUCTION_PERCENTAGE, Math.max(5, wanted));
    } else {
      this.reduction = Math.max(0, before - this.step);
    }
    if (this.reduction > 0) {
      if (this.reduction !== before || this.current === undefined) this.publish(this.reduction);
    } else if (before > 0) {
      this.publish(0);
    } else if (this.current !== undefined) {
      this.current = undefined;
      this.bytes = this.features;
    }
  }

  private publish(reduction: number): void {
    let seq = BigInt(Date.now());
    if (seq <= this.lastSequence) seq = this.lastSequence + 1n;
    this.lastSequence = seq;
    this.current = {
      sequenceNumber: seq,
      reportType: OcReportType.HOST_REPORT,
      reductionPercentage: reduction,
      validityDuration: reduction === 0 ? 0 : this.validity,
    };
    this.bytes = Buffer.concat([this.features, encodeOcOlr(this.current)]);
  }
}
