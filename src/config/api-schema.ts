/**
 * Configuration of the people-facing JSON API (issue #5, docs/api.md): port, rate limits of the
 * public check, one-time codes, sessions. Kept apart from schema.ts so that file only gains one key.
 */
import { z } from 'zod';

export const ApiSchema = z
  .object({
    /** HTTP/1.1 port of the API (`ceir serve --api-port`); 0: any free port. */
    port: z.number().int().min(0).max(65535).default(8082),
    /**
     * Extra processes answering the public check from their own memory (sharing the API port
     * with the primary, which answers everything else; they pass other requests to it).
     */
    check_workers: z.number().int().min(0).max(64).default(1),
    /** Token bucket per client address: refill per second and bucket size (public routes). */
    rate_limit: z
      .object({
        per_second: z.number().min(0.01).max(1_000_000).default(10),
        burst: z.number().int().min(1).max(1_000_000).default(30),
      })
      .strict()
      .default({ per_second: 10, burst: 30 }),
    otp: z
      .object({
        digits: z.number().int().min(4).max(10).default(6),
        ttl_seconds: z.number().int().min(30).max(3600).default(300),
        max_attempts: z.number().int().min(1).max(20).default(5),
        /** Codes sent to one MSISDN per hour. */
        per_msisdn_per_hour: z.number().int().min(1).max(100).default(5),
      })
      .strict()
      .default({ digits: 6, ttl_seconds: 300, max_attempts: 5, per_msisdn_per_hour: 5 }),
    session_ttl_minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(480),
    /** Mark cookies `Secure` (set when the API is behind TLS). */
    secure_cookies: z.boolean().default(false),
    /** SMS outbox file of the default gateway; null: `<data>/outbox/sms.jsonl`. */
    sms_outbox: z.string().min(1).nullable().default(null),
  })
  .strict();

export type ApiConfig = z.infer<typeof ApiSchema>;
export const API_DEFAULTS: ApiConfig = ApiSchema.parse({});
