/** What the API is given by its composition root (apps/server/api-wiring.ts). */
import type { AuditLog } from '../core/ports/audit-log.js';
import type { PeopleServices, PublicCheckSource } from '../core/ports/people-services.js';
import type { PeopleStore } from '../core/ports/people-store.js';
import type { SmsGateway } from '../core/ports/sms-gateway.js';

export interface ApiSettings {
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  readonly otp: {
    readonly digits: number;
    readonly ttlSeconds: number;
    readonly maxAttempts: number;
    readonly perMsisdnPerHour: number;
  };
  readonly sessionTtlSeconds: number;
  readonly secureCookies: boolean;
  /** Operator ids of the deployment. */
  readonly operators: readonly string[];
}

export interface ApiDeps {
  readonly settings: ApiSettings;
  /**
   * Runs `fn` with the store open (DuckDB has one writer: the store is opened per job). Never
   * call `services` inside `fn`: they open the store themselves.
   */
  store<T>(fn: (people: PeopleStore, audit: AuditLog) => Promise<T>): Promise<T>;
  readonly services: PeopleServices;
  /** The current in-memory check data. */
  check(): PublicCheckSource;
  readonly sms: SmsGateway;
  now(): Date;
}
