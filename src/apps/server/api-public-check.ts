/**
 * The public check's memory (`core/ports/people-services.ts` PublicCheckSource): the check engine
 * of the served snapshot (status and reasons, as the network interfaces answer), the block date
 * of every listed IMEI (sorted numbers, binary search), the TAC database's brand and model, and
 * the IMEIs valid Android key attestations name (issue 8, sorted numbers).
 * Swapped whole when a new snapshot is served; a request never touches the store.
 */
import type {
  DeviceInfo,
  PublicCheckSource,
  PublicStatus,
} from '../../core/ports/people-services.js';
import type { PublicCheckData } from '../../core/ports/people-queries.js';
import { CheckEngine, CheckReasons } from '../../eir/check-engine.js';
import type { EirSnapshot } from '../../eir/snapshot-format.js';

const DAY_MS = 86_400_000;

/** Binary search in ascending numbers: the index of `key`, or -1. */
function indexOf(a: Float64Array, key: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid]!;
    if (v === key) return mid;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export class PublicCheck implements PublicCheckSource {
  readonly version: string;
  private readonly engine: CheckEngine;
  private readonly devices: Map<string, DeviceInfo>;

  constructor(
    snapshot: EirSnapshot,
    private readonly data: PublicCheckData,
  ) {
    // The public sees the list decision itself: pending stays pending whatever the network policy.
    this.engine = new CheckEngine(snapshot, { grey: 'greylisted' });
    this.version = snapshot.version.id;
    this.devices = new Map(
      data.tacs.map((t) => [
        t.tac,
        { brand: t.brand, model: t.model, manufacturer: t.manufacturer, deviceType: t.deviceType },
      ]),
    );
  }

  private blockDate(key: number): string | null {
    const i = indexOf(this.data.imeis, key);
    return i < 0 ? null : new Date(this.data.blockDays[i]! * DAY_MS).toISOString().slice(0, 10);
  }

  hardwareAttested(imei: string): boolean {
    const a = this.data.attestedImeis;
    return a !== undefined && indexOf(a, Number(imei)) >= 0;
  }

  status(imei: string): PublicStatus {
    const r = this.engine.check(imei);
    if (r.kind === 'unknown') return { status: 'unknown', reasons: r.reasons, blockDate: null };
    const pending = r.reasons.includes(CheckReasons.PENDING);
    const listed = r.status !== 'WHITELISTED';
    return {
      status: pending ? 'pending' : r.status === 'BLACKLISTED' ? 'blocked' : 'allowed',
      reasons: r.reasons,
      blockDate: listed ? this.blockDate(Number(imei)) : null,
    };
  }

  device(tac: string): DeviceInfo | undefined {
    return this.devices.get(tac);
  }
}
