/**
 * Where Android key attestations are kept (issue 8, domain.md section 7): the challenges the
 * CEIR issues (single use, expiring) and every submitted attestation with its verdict, looked up
 * per IMEI by `ceir imei`, the public check and the `attestation_mismatch` dimension.
 */

/** The verdict of an attestation (`attestation/verdict.ts`). */
export type AttestationVerdictName = 'attested' | 'no_ids' | 'weak' | 'invalid';

/** Why a challenge cannot be used. */
export type ChallengeUse = 'ok' | 'unknown' | 'used' | 'expired';

/** One submitted attestation, as stored. Times in ms since the epoch. */
export interface AttestationRecord {
  readonly id: string;
  readonly submittedAt: number;
  readonly verdict: AttestationVerdictName;
  readonly accepted: boolean;
  readonly reasons: readonly string[];
  /** The attested IMEIs (tags 714, 723) as 14-digit `imei_norm`s, null when absent. */
  readonly imei: string | null;
  readonly secondImei: string | null;
  readonly meid: string | null;
  readonly brand: string | null;
  readonly device: string | null;
  readonly product: string | null;
  readonly serial: string | null;
  readonly manufacturer: string | null;
  readonly model: string | null;
  /** The IMEI the client read from the device's modem (what the network sees), 14 digits. */
  readonly claimedImei: string | null;
  /** The IMSI of the SIM in the device (digits), when the client sent it. */
  readonly claimedImsi: string | null;
  /** The submitting client (device management, point of sale), free text. */
  readonly client: string | null;
  /** The whole verification report, JSON. */
  readonly report: string;
}

export interface AttestationStore {
  /** Records an issued challenge. */
  addChallenge(challenge: string, issuedAt: number, expiresAt: number): Promise<void>;
  /**
   * Uses a challenge once: `ok` (and it is marked used, atomically) when it was issued, not used
   * and `now <= expiresAt`; otherwise why not. Also forgets challenges expired a day ago.
   */
  useChallenge(challenge: string, now: number): Promise<ChallengeUse>;
  addAttestation(r: AttestationRecord): Promise<void>;
  /**
   * Attestations naming an IMEI (`imei_norm`) as attested (714 or 723) or as claimed, newest
   * first.
   */
  attestationsOf(imeiNorm: string): Promise<AttestationRecord[]>;
  /**
   * Every IMEI (`imei_norm` as a number) that an accepted attestation with verdict `attested`
   * names as the hardware's (714 or 723), ascending and distinct: the public check's
   * "hardware-attested", loaded whole with the check's other data.
   */
  attestedImeis(): Promise<Float64Array>;
}
