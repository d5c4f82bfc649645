/**
 * Holds the public check's memory and swaps it whole: from the snapshot file `ceir serve` just
 * built (the same version the network interfaces serve), or built in memory from the store (tests,
 * a store without a served snapshot). Block dates, TAC data and the attested IMEIs come from the
 * store.
 */
import type { PublicCheckSource } from '../../core/ports/people-services.js';
import type { Store } from '../../core/ports/store.js';
import type { CheckPolicy } from '../../eir/check-engine.js';
import { readSnapshot, snapshotFromData, type EirSnapshot } from '../../eir/snapshot-format.js';
import type { PublicCheckData } from '../../core/ports/people-queries.js';
import { DuckDbAttestationStore } from '../../store/duckdb/attestations.js';
import { DuckDbPeopleQueries } from '../../store/duckdb/people-queries.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { PublicCheck } from './api-public-check.js';
import { emptySnapshotData } from './serve.js';

type WithStore = <T>(fn: (store: Store) => Promise<T>) => Promise<T>;
type Policy = {
  readonly malformed_imei: CheckPolicy['malformedImei'];
  readonly unknown_tac: CheckPolicy['unknownTac'];
  readonly unknown_device: CheckPolicy['unknownDevice'];
  readonly grey: CheckPolicy['grey'];
};

export class PublicCheckHolder {
  private check: PublicCheck | undefined;
  private data: PublicCheckData | undefined;
  /**
   * Called after every swap: the snapshot file (undefined when built in memory), the data, and
   * whether the data is new (false: the previous swap's).
   */
  onSwap:
    | ((snapshotPath: string | undefined, data: PublicCheckData, dataChanged: boolean) => void)
    | undefined;

  constructor(
    private readonly withStore: WithStore,
    private readonly policy: Policy,
  ) {}

  current(): PublicCheckSource {
    if (!this.check) throw new Error('The public check data is not loaded yet');
    return this.check;
  }

  private get enginePolicy(): Partial<CheckPolicy> {
    const p = this.policy;
    return {
      malformedImei: p.malformed_imei,
      unknownTac: p.unknown_tac,
      unknownDevice: p.unknown_device,
      grey: p.grey,
    };
  }

  private async swap(snapshot: EirSnapshot, path?: string, sameData = false): Promise<void> {
    const data =
      sameData && this.data
        ? this.data
        : await this.withStore(async (s): Promise<PublicCheckData> => {
            if (!(s instanceof DuckDbStore))
              throw new Error('The people API runs on the DuckDB store');
            const d = await new DuckDbPeopleQueries(s.db).publicCheckData();
            return { ...d, attestedImeis: await new DuckDbAttestationStore(s.db).attestedImeis() };
          });
    const changed = data !== this.data;
    this.data = data;
    this.check = new PublicCheck(snapshot, data);
    this.onSwap?.(path, data, changed);
  }

  /**
   * From a snapshot file (serve's `current.ceirsnap`). `sameData`: only the lists changed (a
   * version followed from NATS: the local store is not where they come from), so the block
   * dates, TAC data and attested IMEIs read last time are kept instead of read again.
   */
  async loadFromFile(path: string, sameData = false): Promise<void> {
    await this.swap(await readSnapshot(path), path, sameData);
  }

  /** From the store's latest list run (empty lists when none). */
  async loadFromStore(): Promise<void> {
    const data = await this.withStore(async (s) => {
      try {
        return await s.snapshotData();
      } catch (e) {
        if (e instanceof RangeError) return emptySnapshotData();
        throw e;
      }
    });
    await this.swap(snapshotFromData(data, { policy: this.enginePolicy }));
  }
}
