/**
 * The `exchange:` config section (docs/exchange.md): this country's code in the feed, which list
 * kinds besides the stolen list are shared, the feed endpoint, and the peers subscribed to,
 * each with its public key and the trust its records get (block | greylist | inform).
 */
import { z } from 'zod';

const countryCode = z.string().regex(/^[A-Z]{2,3}$/, 'a country code of 2-3 upper-case letters');

export const PeerSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'peer id must be lower-case letters, digits, -'),
    country: countryCode,
    /** Base URL of the peer's exchange endpoint, e.g. http://ceir.example:9100 */
    url: z.string().regex(/^https?:\/\/\S+$/, 'an http:// or https:// URL'),
    /** The peer's Ed25519 public key (SPKI PEM file), relative to this config file. */
    public_key: z.string().min(1),
    trust: z.enum(['block', 'greylist', 'inform']).default('inform'),
  })
  .strict();

export const ExchangeSchema = z
  .object({
    /** This country's code as the origin of its records; null: this CEIR publishes nothing. */
    country: countryCode.nullable().default(null),
    /** List kinds shared besides blocking stolen-list entries (reason code = list kind). */
    share_lists: z.array(z.enum(['barred', 'monitoring'])).default([]),
    /** Records per delta page served and pulled. */
    page_size: z.number().int().min(1).max(1_000_000).default(100_000),
    host: z.string().min(1).default('127.0.0.1'),
    /** Port of `ceir exchange serve` (0: any free port). */
    port: z.number().int().min(0).max(65535).default(9100),
    peers: z.array(PeerSchema).default([]),
  })
  .strict()
  .superRefine((x, ctx) => {
    const seen = new Map<string, string>();
    x.peers.forEach((p, i) => {
      for (const [k, v] of [
        ['id', p.id],
        ['country', p.country],
      ] as const) {
        if (seen.has(`${k}:${v}`))
          ctx.addIssue({
            code: 'custom',
            path: ['peers', i, k],
            message: `duplicate peer ${k} ${v}`,
          });
        seen.set(`${k}:${v}`, p.id);
      }
      if (p.country === x.country)
        ctx.addIssue({
          code: 'custom',
          path: ['peers', i, 'country'],
          message: 'a peer cannot be this country',
        });
    });
  });

export type ExchangeConfig = z.infer<typeof ExchangeSchema>;
export const EXCHANGE_DEFAULTS: ExchangeConfig = ExchangeSchema.parse({});
