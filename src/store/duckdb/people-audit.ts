/**
 * The hash-chained audit log (`core/ports/audit-log.ts`) in DuckDB: each entry's hash is the
 * SHA-256 of `auditCanonical` (every field and the previous hash). `verify` walks the chain in
 * order and names the first entry that is out of sequence, points to another previous hash, or
 * whose content no longer gives its hash: an edited, inserted or deleted entry. (Deleting the
 * newest entries leaves a shorter valid chain: compare the head with one kept elsewhere.)
 */
import { createHash } from 'node:crypto';
import {
  AUDIT_GENESIS,
  auditCanonical,
  type AuditEntry,
  type AuditEvent,
  type AuditLog,
  type AuditQuery,
  type AuditVerification,
} from '../../core/ports/audit-log.js';
import type { DuckDb, Row } from './duckdb-database.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function entry(r: Row): AuditEntry {
  return {
    seq: Number(r.seq),
    at: String(r.logged_at),
    actor: String(r.actor),
    role: String(r.role),
    action: String(r.action),
    target: String(r.target),
    source: String(r.source),
    outcome: String(r.outcome),
    detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
}

export class DuckDbAuditLog implements AuditLog {
  constructor(private readonly db: DuckDb) {}

  async append(e: AuditEvent, at = new Date().toISOString()): Promise<AuditEntry> {
    const last = await this.db.one('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    // JSON round trip: the detail hashed is exactly what is stored and read back.
    const detail = JSON.parse(JSON.stringify(e.detail ?? {})) as Record<string, unknown>;
    const base = {
      ...e,
      detail,
      seq: last ? Number(last.seq) + 1 : 1,
      at,
      prevHash: last ? String(last.hash) : AUDIT_GENESIS,
    };
    const full: AuditEntry = { ...base, hash: sha256(auditCanonical(base)) };
    await this.db.run('INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      full.seq,
      full.at,
      full.actor,
      full.role,
      full.action,
      full.target,
      full.source,
      full.outcome,
      JSON.stringify(full.detail),
      full.prevHash,
      full.hash,
    ]);
    return full;
  }

  async search(q: AuditQuery): Promise<AuditEntry[]> {
    const parts: string[] = [];
    const params: (string | number)[] = [];
    for (const c of ['actor', 'action', 'target'] as const)
      if (q[c] !== undefined) {
        parts.push(`${c} = ?`);
        params.push(q[c]);
      }
    if (q.from !== undefined) {
      parts.push('logged_at >= ?');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      parts.push('logged_at <= ?');
      params.push(q.to);
    }
    params.push(q.limit ?? 200);
    const rows = await this.db.all(
      `SELECT * FROM audit_log ${parts.length ? `WHERE ${parts.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
      params,
    );
    return rows.map(entry);
  }

  async verify(): Promise<AuditVerification> {
    let prev = AUDIT_GENESIS;
    let expected = 1;
    let n = 0;
    const batch = 10_000;
    for (let from = 0; ; from += batch) {
      const rows = await this.db.all('SELECT * FROM audit_log ORDER BY seq LIMIT ? OFFSET ?', [
        batch,
        from,
      ]);
      for (const r of rows) {
        let e: AuditEntry;
        try {
          e = entry(r);
        } catch {
          return {
            kind: 'broken',
            entries: n,
            seq: Number(r.seq),
            problem: 'detail is not JSON (edited)',
          };
        }
        n++;
        if (e.seq !== expected)
          return {
            kind: 'broken',
            entries: n,
            seq: e.seq,
            problem: `sequence jumps from ${expected - 1} to ${e.seq} (an entry was deleted or inserted)`,
          };
        if (e.prevHash !== prev)
          return {
            kind: 'broken',
            entries: n,
            seq: e.seq,
            problem: 'previous hash does not match the entry before (deleted or reordered)',
          };
        const { hash, ...rest } = e;
        if (sha256(auditCanonical(rest)) !== hash)
          return {
            kind: 'broken',
            entries: n,
            seq: e.seq,
            problem: 'content does not match its hash (edited)',
          };
        prev = hash;
        expected++;
      }
      if (rows.length < batch) break;
    }
    return { kind: 'ok', entries: n, head: prev };
  }
}
