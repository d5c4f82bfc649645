/**
 * The `attestation:` config section (issue 8, domain.md section 7): the verdict policy, the
 * trust anchors, the revocation status list and the challenge lifetime.
 */
import { z } from 'zod';

export const AttestationSchema = z
  .object({
    /** Refuse `weak` attestations (software key or unlocked/unverified boot). */
    strict: z
      .boolean()
      .default(false)
      .describe('Refuse weak attestations (software key, unlocked or unverified boot).'),
    /** Seconds an issued challenge stays usable (once). */
    challenge_ttl_seconds: z
      .number()
      .int()
      .min(10)
      .max(86400)
      .default(300)
      .describe('Seconds an issued challenge stays usable, once.'),
    /** Google's root keys (RSA root and EC Key Attestation CA1) are trust anchors. */
    google_roots: z
      .boolean()
      .default(true)
      .describe("Trust Google's RSA root and EC Key Attestation CA1 root keys."),
    /** Further trust anchors: files of PEM public keys or certificates (their keys). */
    trust_anchors: z
      .array(z.string().min(1))
      .default([])
      .describe('Further trust anchors: PEM files of public keys or certificates.'),
    /**
     * A revocation status list in Google's format (a copy of
     * https://android.googleapis.com/attestation/status); null: no revocation check.
     */
    status_list: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe("Revocation status list in Google's JSON format; null: none."),
  })
  .strict()
  .describe(
    'Android key attestation: verdict policy, trust anchors, revocation (docs/attestation.md).',
  );

export type AttestationConfig = z.infer<typeof AttestationSchema>;

export const ATTESTATION_DEFAULTS: AttestationConfig = AttestationSchema.parse({});
