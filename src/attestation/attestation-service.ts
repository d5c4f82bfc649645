/**
 * Challenges and submissions (issue 8, item 3). A device-management or point-of-sale client asks
 * for a challenge, has the device generate a key with it (`setAttestationChallenge`, with device
 * IDs included for ID attestation), and posts the chain with the IMEI it read from the modem
 * (`claimedImei`: what the network sees) and optionally the SIM's IMSI. The challenge is used
 * once, whatever the outcome; the chain is verified at the submission instant; every submission
 * is recorded with its verdict.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { normaliseImei } from '../core/ids/index.js';
import { ceirError, ok, type CeirError, type Result } from '../core/errors.js';
import type { AttestationRecord, AttestationStore } from '../core/ports/attestation-store.js';
import { attest, type AttestationReport } from './attest.js';
import type { ChainInput } from './chain-input.js';
import type { RevocationList } from './revocation.js';
import type { TrustAnchor } from './trust-anchors.js';
import { attestedImeiNorm, type AttestationPolicy } from './verdict.js';

export interface AttestationServiceOptions {
  readonly anchors: readonly TrustAnchor[];
  readonly revocations: RevocationList;
  readonly policy: AttestationPolicy;
  readonly challengeTtlMs: number;
  /** Milliseconds since the epoch (tests inject a clock). */
  readonly now?: () => number;
}

export interface IssuedChallenge {
  /** 32 random bytes, base64url: the bytes the device must attest. */
  readonly challenge: string;
  readonly expiresAt: string;
}

export interface Submission {
  readonly challenge: string;
  readonly chain: ChainInput;
  readonly claimedImei?: string;
  readonly claimedImsi?: string;
  readonly client?: string;
}

export interface SubmissionOutcome {
  readonly id: string;
  readonly report: AttestationReport;
  /** The claimed IMEI (14 digits) differs from every attested IMEI of an accepted verdict. */
  readonly imeiMismatch: boolean;
}

const CHALLENGE_TEXT = /^[A-Za-z0-9_-]{16,128}$/;

export class AttestationService {
  private readonly now: () => number;

  constructor(
    private readonly store: AttestationStore,
    private readonly o: AttestationServiceOptions,
  ) {
    this.now = o.now ?? Date.now;
  }

  async issueChallenge(): Promise<IssuedChallenge> {
    const challenge = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = now + this.o.challengeTtlMs;
    await this.store.addChallenge(challenge, now, expiresAt);
    return { challenge, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Uses the challenge, verifies, records. A challenge problem is a CEIR_ERR_CHALLENGE error and
   * records nothing; a bad claimed IMEI/IMSI is CEIR_ERR_USAGE; any verdict is an outcome.
   */
  async submit(s: Submission): Promise<Result<SubmissionOutcome, CeirError>> {
    const claimedImei = s.claimedImei === undefined ? null : normaliseImei(s.claimedImei);
    if (claimedImei && (claimedImei.kind !== 'valid' || !/^[0-9]{14,16}$/.test(s.claimedImei!)))
      return ceirError('CEIR_ERR_USAGE', `claimed_imei "${s.claimedImei}" is not 14-16 digits`);
    if (s.claimedImsi !== undefined && !/^[0-9]{5,15}$/.test(s.claimedImsi))
      return ceirError('CEIR_ERR_USAGE', `claimed_imsi "${s.claimedImsi}" is not 5-15 digits`);
    if (!CHALLENGE_TEXT.test(s.challenge))
      return ceirError('CEIR_ERR_CHALLENGE', 'challenge is not one this CEIR issued (format)');
    const now = this.now();
    const use = await this.store.useChallenge(s.challenge, now);
    if (use !== 'ok')
      return ceirError(
        'CEIR_ERR_CHALLENGE',
        use === 'unknown'
          ? 'challenge was never issued'
          : use === 'used'
            ? 'challenge was used already'
            : 'challenge expired: ask for a new one',
      );
    const report = attest(
      s.chain,
      {
        at: new Date(now),
        anchors: this.o.anchors,
        revocations: this.o.revocations,
        challenge: Buffer.from(s.challenge, 'base64url'),
      },
      this.o.policy,
    );
    const ids = report.verification.keyDescription?.ids;
    const valid = report.verdict !== 'invalid';
    const claimed = claimedImei?.norm ?? null;
    const record: AttestationRecord = {
      id: randomUUID(),
      submittedAt: now,
      verdict: report.verdict,
      accepted: report.accepted,
      reasons: report.reasons,
      imei: (valid && attestedImeiNorm(ids?.imei ?? null)) || null,
      secondImei: (valid && attestedImeiNorm(ids?.secondImei ?? null)) || null,
      meid: ids?.meid ?? null,
      brand: ids?.brand ?? null,
      device: ids?.device ?? null,
      product: ids?.product ?? null,
      serial: ids?.serial ?? null,
      manufacturer: ids?.manufacturer ?? null,
      model: ids?.model ?? null,
      claimedImei: claimed,
      claimedImsi: s.claimedImsi ?? null,
      client: s.client ?? null,
      report: JSON.stringify(report),
    };
    await this.store.addAttestation(record);
    const imeiMismatch =
      report.accepted &&
      claimed !== null &&
      report.attestedImeis.length > 0 &&
      !report.attestedImeis.includes(claimed);
    return ok({ id: record.id, report, imeiMismatch });
  }
}
