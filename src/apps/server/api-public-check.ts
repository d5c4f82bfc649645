/**
 * The public check's memory (`core/ports/people-services.ts` PublicCheckSource): the check engine
 * of the served snapshot (status and reasons, as the network interfaces answer), the block date
 * of every listed IMEI (sorted numbers, binary search) and the TAC database's brand and model.
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
    const a = this.data.imeis;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = a[mid]!;
      if (v === key) return new Date(this.data.blockDays[mid]! * DAY_MS).toISOString().slice(0, 10);
      if (v < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
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
