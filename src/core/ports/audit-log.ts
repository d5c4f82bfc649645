/**
 * The audit log (issue #5): every change and every read of personal data, with who, what, when
 * and from where, hash-chained: each entry's hash covers its fields and the previous entry's
 * hash, so an edited, inserted or deleted entry breaks the chain (`ceir audit verify`).
 * The canonical text hashed is `auditCanonical` (pure); adapters hash it with SHA-256.
 */

/** What the caller records. */
export interface AuditEvent {
  /** Who: a user id, `msisdn:<digits>` for a subscriber, `public`, or `cli:<user>`. */
  readonly actor: string;
  readonly role: string;
  /** What: a dotted action name (`theft.report`, `trace.read`, `user.add`, ...). */
  readonly action: string;
  /** On what: a case number, IMEI, user id, ... */
  readonly target: string;
  /** From where: the client address, or `cli`. */
  readonly source: string;
  /** `ok`, `refused` or `failed`. */
  readonly outcome: string;
  /** Further facts (never secrets). */
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface AuditEntry extends AuditEvent {
  /** 1, 2, 3, ... without gaps. */
  readonly seq: number;
  /** When, ISO 8601 UTC. */
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The previous hash of the first entry. */
export const AUDIT_GENESIS = '0'.repeat(64);

export interface AuditQuery {
  readonly actor?: string;
  readonly action?: string;
  readonly target?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
}

export type AuditVerification =
  | { readonly kind: 'ok'; readonly entries: number; readonly head: string }
  | {
      readonly kind: 'broken';
      readonly entries: number;
      /** The first entry (seq) where the chain does not hold, and why. */
      readonly seq: number;
      readonly problem: string;
    };

export interface AuditLog {
  append(e: AuditEvent, at?: string): Promise<AuditEntry>;
  search(q: AuditQuery): Promise<AuditEntry[]>;
  verify(): Promise<AuditVerification>;
}

/** Stable JSON: object keys sorted at every depth. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** The text an entry's hash is taken over: every field, then the previous hash. */
export function auditCanonical(e: Omit<AuditEntry, 'hash'>): string {
  return canonicalJson({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    role: e.role,
    action: e.action,
    target: e.target,
    source: e.source,
    outcome: e.outcome,
    detail: e.detail,
    prev: e.prevHash,
  });
}
