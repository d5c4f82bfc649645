/**
 * `foreign_block_list`: SEEN IMEIs with an active record received from a peer CEIR
 * (`exchange_foreign`, same IMEI encoding as `triplets`) whose peer's trust
 * (`exchange_peers.trust`) is one of the parameter's (oracle:
 * `core/rules/dimensions/foreign-block-list.ts`), and the loader of those records for the oracle.
 */
import type { ForeignBlockListParams, ForeignTrust } from '../../../core/rules/condition.js';
import { seenSql } from './seen.js';

const trustOf = (p: string) => `(SELECT trust FROM exchange_peers x WHERE x.peer = ${p})`;

/** The SQL of the matching IMEIs (one column `imei`). */
export function foreignBlockListSql(asOf: string, p: ForeignBlockListParams): string {
  const trusts = p.trust.map((t) => `'${t.replace(/[^a-z]/g, '')}'`).join(', ');
  return `SELECT DISTINCT f.imei FROM exchange_foreign f
    SEMI JOIN (${seenSql(asOf)}) s ON s.imei = f.imei
    WHERE f.status = 'active' AND ${trustOf('f.peer')} IN (${trusts})`;
}

/** Active foreign records per `imei_norm`: the trust of each record's peer. */
export async function loadForeignRecords(db: {
  all(sql: string): Promise<Record<string, unknown>[]>;
}): Promise<Map<string, ForeignTrust[]>> {
  const out = new Map<string, ForeignTrust[]>();
  // A store without the exchange tables (an adapter that has not got them yet) has no records.
  const t = await db.all(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'exchange_foreign'",
  );
  if (Number(t[0]?.n ?? 0) === 0) return out;
  const rows = await db.all(`SELECT lpad(f.imei::VARCHAR, 14, '0') AS imei_norm,
      ${trustOf('f.peer')} AS trust
    FROM exchange_foreign f WHERE f.status = 'active' ORDER BY imei_norm, trust`);
  for (const r of rows) {
    if (r.trust == null) continue;
    const imei = String(r.imei_norm);
    out.set(imei, [...(out.get(imei) ?? []), String(r.trust) as ForeignTrust]);
  }
  return out;
}
