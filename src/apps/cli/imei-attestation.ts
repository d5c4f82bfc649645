/**
 * What `ceir imei` shows of an IMEI's Android key attestations (docs/attestation.md):
 * "hardware-attested" when an accepted attestation with verdict `attested` names it as the
 * hardware's IMEI, and a tamper signal when a device whose hardware attests another IMEI
 * claimed it.
 */
import type { AttestationRecord } from '../../core/ports/attestation-store.js';
import type { Store } from '../../core/ports/store.js';
import { DuckDbAttestationStore } from '../../store/duckdb/attestations.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';

export interface ImeiAttestation {
  readonly hardwareAttested: boolean;
  /** The latest attestation naming the IMEI as attested with verdict `attested`. */
  readonly latest: {
    readonly id: string;
    readonly submittedAt: string;
    readonly brand: string | null;
    readonly manufacturer: string | null;
    readonly model: string | null;
  } | null;
  /** Attestations where a device claimed this IMEI but its hardware attests another. */
  readonly claimedByOtherHardware: readonly {
    id: string;
    submittedAt: string;
    attested: string[];
  }[];
  readonly submissions: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The attestation summary of an `imei_norm` (null when the store keeps no attestations). */
export async function imeiAttestation(
  store: Store,
  imeiNorm: string,
): Promise<ImeiAttestation | null> {
  if (!(store instanceof DuckDbStore)) return null;
  const all: AttestationRecord[] = await new DuckDbAttestationStore(store.db).attestationsOf(
    imeiNorm,
  );
  const attestedIt = (r: AttestationRecord) => r.imei === imeiNorm || r.secondImei === imeiNorm;
  const good = all.find((r) => r.verdict === 'attested' && r.accepted && attestedIt(r));
  const other = all.filter(
    (r) =>
      r.verdict === 'attested' && r.claimedImei === imeiNorm && !attestedIt(r) && r.imei !== null,
  );
  return {
    hardwareAttested: good !== undefined,
    latest: good
      ? {
          id: good.id,
          submittedAt: iso(good.submittedAt),
          brand: good.brand,
          manufacturer: good.manufacturer,
          model: good.model,
        }
      : null,
    claimedByOtherHardware: other.map((r) => ({
      id: r.id,
      submittedAt: iso(r.submittedAt),
      attested: [r.imei, r.secondImei].filter((x): x is string => x !== null),
    })),
    submissions: all.length,
  };
}

/** The human lines of `ceir imei`. */
export function attestationLines(a: ImeiAttestation | null): string[] {
  if (!a || a.submissions === 0) return ['  attestation  none'];
  const l: string[] = [];
  if (a.latest)
    l.push(
      `  attestation  hardware-attested ${a.latest.submittedAt.slice(0, 10)} (${[a.latest.manufacturer, a.latest.model].filter(Boolean).join(' ') || 'model not attested'})`,
    );
  else
    l.push(`  attestation  not hardware-attested (${a.submissions} submission(s), none attested)`);
  for (const o of a.claimedByOtherHardware)
    l.push(
      `  TAMPER       claimed ${o.submittedAt.slice(0, 10)} by hardware attesting IMEI ${o.attested.join(', ')}`,
    );
  return l;
}
