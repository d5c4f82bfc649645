/** Records to their JSON form (snake_case, as the schemas say); the 14-digit keys get their check digit. */
import { luhnCheckDigit } from '../core/ids/index.js';
import type { AuditEntry } from '../core/ports/audit-log.js';
import type { ImportRecord } from '../core/ports/store.js';
import type { Appeal, PairingRequest, TheftCase, UserRecord } from '../core/ports/people-store.js';

/** The 15-digit IMEI of a 14-digit key. */
export const imei15 = (key: string): string => key + String(luhnCheckDigit(key));

export function caseJson(c: TheftCase, withMsisdn: boolean): Record<string, unknown> {
  return {
    case_number: c.caseNumber,
    kind: c.kind,
    imeis: c.imeis.map(imei15),
    police_report: c.policeReport,
    incident_date: c.incidentDate,
    place: c.place,
    status: c.status,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    note: c.note,
    ...(withMsisdn ? { msisdn: c.msisdn } : {}),
  };
}

export function pairingJson(p: PairingRequest): Record<string, unknown> {
  return {
    id: p.id,
    imei: imei15(p.imei),
    imsi: p.imsi,
    msisdn: p.msisdn,
    reason: p.reason,
    status: p.status,
    created_at: p.createdAt,
    decided_at: p.decidedAt,
    note: p.note,
  };
}

export function appealJson(a: Appeal): Record<string, unknown> {
  return {
    id: a.id,
    imei: imei15(a.imei),
    msisdn: a.msisdn,
    reason: a.reason,
    evidence: a.evidence.map((e) => ({ name: e.name, text: e.text })),
    status: a.status,
    outcome: a.outcome,
    created_at: a.createdAt,
    decided_at: a.decidedAt,
  };
}

export function userJson(u: UserRecord): Record<string, unknown> {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    operator: u.operator,
    organisation: u.organisation,
    disabled: u.disabled,
    created_at: u.createdAt,
  };
}

export function importJson(r: ImportRecord): Record<string, unknown> {
  return {
    id: r.id,
    source: r.source,
    file: r.file,
    sha256: r.sha256,
    mode: r.mode,
    ...(r.operator ? { operator: r.operator } : {}),
    ...(r.periodStart ? { period_start: r.periodStart } : {}),
    ...(r.periodEnd ? { period_end: r.periodEnd } : {}),
    rows: r.rows,
    accepted: r.accepted,
    gates: r.gates,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
  };
}

export function auditJson(e: AuditEntry): Record<string, unknown> {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    role: e.role,
    action: e.action,
    target: e.target,
    source: e.source,
    outcome: e.outcome,
    detail: e.detail,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}
