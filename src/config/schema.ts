/**
 * Configuration schema (domain.md section 8, gates of section 3). Validated once at start;
 * every error is reported at once, and the result is deep-frozen.
 */
import { z } from 'zod';
import type { DeploymentProfile, QualityGates } from '../core/deployment.js';
import { API_DEFAULTS, ApiSchema } from './api-schema.js';
import { ATTESTATION_DEFAULTS, AttestationSchema } from './attestation-schema.js';
import { EXCHANGE_DEFAULTS, ExchangeSchema } from './exchange-schema.js';
import {
  OBSERVABILITY_DEFAULTS,
  ObservabilitySchema,
  PIPELINE_DEFAULTS,
  PipelineSchema,
  RETENTION_DEFAULTS,
  RetentionSchema,
} from './operations-schema.js';

const digits = (what: string, min: number, max: number) =>
  z.string().regex(new RegExp(`^[0-9]{${min},${max}}$`), `${what} must be ${min}-${max} digits`);

/** Quality gates on operator data (domain.md section 3). Ratios are fractions of rows. */
export const GatesSchema = z
  .object({
    null_imei_max: z.number().min(0).max(1).default(0.05),
    null_imsi_max: z.number().min(0).max(1).default(0.05),
    null_msisdn_max: z.number().min(0).max(1).default(0.05),
    null_rat_max: z.number().min(0).max(1).default(0.05),
    unclean_imei_max: z.number().min(0).max(1).default(0.05),
    imsi_length_max: z.number().min(0).max(1).default(0.05),
    imsi_outside_country_max: z.number().min(0).max(1).default(0.1),
    msisdn_outside_country_max: z.number().min(0).max(1).default(0.1),
    imsi_outside_operator_max: z.number().min(0).max(1).default(0.2),
    leading_zero_check: z.boolean().default(true),
    history_min_ratio: z.number().min(0).max(10).default(0.9),
    history_days: z.number().int().min(1).default(30),
    date_in_period: z.boolean().default(true),
  })
  .strict();

export type Gates = z.infer<typeof GatesSchema>;

/** A TCP port; 0 binds any free port (tests). */
const port = z.number().int().min(0).max(65535);
const policyOutcome = z.enum(['unknown', 'blacklisted', 'greylisted', 'whitelisted']);

/** The check servers (`ceir serve`), architecture.md "Real-time check engine". */
export const ServerSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    s13_port: port.default(3868),
    n5g_port: port.default(8080),
    /** Health (`/health`) and Prometheus metrics (`/metrics`), HTTP/1.1. */
    http_port: port.default(8081),
    /** Worker processes; 0: one per core (os.availableParallelism()). */
    workers: z.number().int().min(0).max(1024).default(0),
    origin_host: z.string().min(1).default('ceir.openceir.local'),
    origin_realm: z.string().min(1).default('openceir.local'),
    /** The check engine's policy (check-engine.ts CheckPolicy). */
    policy: z
      .object({
        malformed_imei: policyOutcome.default('unknown'),
        unknown_tac: policyOutcome.default('unknown'),
        unknown_device: policyOutcome.default('whitelisted'),
        grey: policyOutcome.exclude(['unknown']).default('greylisted'),
      })
      .strict()
      .default({
        malformed_imei: 'unknown',
        unknown_tac: 'unknown',
        unknown_device: 'whitelisted',
        grey: 'greylisted',
      }),
    /**
     * The real-time clone detector: an IMEI presented with more than `threshold` distinct IMSIs
     * from at least `min_peers` peers within `window_seconds` is flagged (realtime_clone).
     */
    clone_detector: z
      .object({
        threshold: z.number().int().min(1).default(3),
        window_seconds: z.number().int().min(1).default(3600),
        min_peers: z.number().int().min(1).default(2),
        max_imeis: z.number().int().min(1000).default(2_000_000),
      })
      .strict()
      .default({ threshold: 3, window_seconds: 3600, min_peers: 2, max_imeis: 2_000_000 }),
    /** Observations are written to the store in batches this often. */
    observation_flush_seconds: z.number().int().min(1).default(10),
    /**
     * DuckDB threads of the store while serving (observation writes, snapshot builds, the API,
     * the daily pipeline): the checks come first. One thread inserts a million observations in
     * about 0.8 s of CPU; two took 1.6-3.1 s, most of it the checkpoint (bench/RESULTS.md).
     */
    store_threads: z.number().int().min(1).max(256).default(1),
    /**
     * Published snapshots (docs/distribution.md): with a `nats://host:port` URL, `ceir serve`
     * follows the snapshots published there instead of building them from the store, and
     * `ceir snapshot publish` publishes there.
     */
    snapshot_source: z
      .string()
      .regex(/^nats:\/\/\S+$/, 'a nats:// URL')
      .optional(),
    /** JetStream stream of the versions, and object store of the full snapshots. */
    snapshot_stream: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -')
      .default('CEIR_SNAPSHOTS'),
    snapshot_bucket: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -')
      .default('ceir-snapshots'),
    /** A full snapshot every this many published versions (deltas in between). */
    snapshot_full_every: z.number().int().min(1).default(10),
    /** Full snapshots kept in the object store (older ones and their deltas are deleted). */
    snapshot_keep_full: z.number().int().min(1).default(3),
  })
  .strict();

export type ServerConfig = z.infer<typeof ServerSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const OperatorSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'operator id must be lower-case letters, digits, -'),
    name: z.string().min(1),
    mcc_mnc: z.array(digits('MCC-MNC', 5, 6)).min(1),
  })
  .strict();

export const ConfigSchema = z
  .object({
    country: z
      .object({
        name: z.string().min(1),
        mcc: z.array(digits('MCC', 3, 3)).min(1),
        msisdn_country_codes: z.array(digits('country code', 1, 3)).min(1),
      })
      .strict(),
    operators: z.array(OperatorSchema).min(1),
    gates: GatesSchema.default(GatesSchema.parse({})),
    store: z
      .object({
        /** duckdb (embedded, default) or postgres (docs/scale.md; env CEIR_STORE). */
        kind: z.enum(['duckdb', 'postgres']).default('duckdb'),
        memory_limit: z.string().default('1GB'),
        threads: z.number().int().min(1).max(256).default(2),
        /** PostgreSQL URL when kind is postgres (env CEIR_PG_URL). */
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\/\S+$/, 'a postgres:// URL')
          .optional(),
      })
      .strict()
      .default({ kind: 'duckdb', memory_limit: '1GB', threads: 2 }),
    list_shrink_min_ratio: z.number().min(0).max(1).default(0.75),
    /**
     * Classification conditions in their DIRBS-style form (label, reason, blocking,
     * grace_period_days, sticky, max_allowed_matching_ratio, amnesty_eligible, dimensions);
     * validated by core/rules parseConditions. Default: core/rules DEFAULT_CONDITIONS.
     */
    conditions: z.array(z.record(z.string(), z.unknown())).optional(),
    amnesty: z
      .object({
        enabled: z.boolean().default(false),
        evaluation_period_end: isoDate.nullable().default(null),
        amnesty_period_end: isoDate.nullable().default(null),
      })
      .strict()
      .default({ enabled: false, evaluation_period_end: null, amnesty_period_end: null }),
    lists: z
      .object({
        /** Triplets seen within this many days before the list date are notified. */
        notification_lookback_days: z.number().int().min(1).max(3660).default(60),
      })
      .strict()
      .default({ notification_lookback_days: 60 }),
    server: ServerSchema.default(ServerSchema.parse({})),
    api: ApiSchema.default(API_DEFAULTS),
    pipeline: PipelineSchema.default(PIPELINE_DEFAULTS),
    retention: RetentionSchema.default(RETENTION_DEFAULTS),
    observability: ObservabilitySchema.default(OBSERVABILITY_DEFAULTS),
    attestation: AttestationSchema.default(ATTESTATION_DEFAULTS),
    exchange: ExchangeSchema.default(EXCHANGE_DEFAULTS),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.amnesty.enabled && (!c.amnesty.evaluation_period_end || !c.amnesty.amnesty_period_end))
      ctx.addIssue({
        code: 'custom',
        path: ['amnesty'],
        message: 'an enabled amnesty needs evaluation_period_end and amnesty_period_end',
      });
    if (
      c.amnesty.evaluation_period_end &&
      c.amnesty.amnesty_period_end &&
      c.amnesty.amnesty_period_end < c.amnesty.evaluation_period_end
    )
      ctx.addIssue({
        code: 'custom',
        path: ['amnesty', 'amnesty_period_end'],
        message: 'the amnesty period ends before the evaluation period',
      });
    const ids = new Set<string>();
    c.operators.forEach((o, i) => {
      if (ids.has(o.id))
        ctx.addIssue({
          code: 'custom',
          path: ['operators', i, 'id'],
          message: `duplicate id ${o.id}`,
        });
      ids.add(o.id);
      o.mcc_mnc.forEach((m, j) => {
        if (!c.country.mcc.includes(m.slice(0, 3)))
          ctx.addIssue({
            code: 'custom',
            path: ['operators', i, 'mcc_mnc', j],
            message: `MCC-MNC ${m} is not in the country's MCCs`,
          });
      });
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
export type OperatorConfig = z.infer<typeof OperatorSchema>;

/** Compile-time check: the validated config has the shapes the domain core expects. */
export type ConfigSatisfiesCore = [
  Config extends DeploymentProfile ? true : never,
  Gates extends QualityGates ? true : never,
];
