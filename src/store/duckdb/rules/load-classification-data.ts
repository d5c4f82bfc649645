/**
 * Reads the store into the oracle's in-memory model (`core/rules/data-model.ts`): every triplet
 * with its identifiers decoded back to `imei_norm` and digit strings (or texts), the current
 * lists (`valid_to IS NULL`), the current GSMA TAC database and the real-time clone flags. For tests and small stores: it
 * holds everything in memory.
 */
import type { DeploymentProfile } from '../../../core/deployment.js';
import type {
  ClassificationData,
  PairingEntry,
  RegistrationEntry,
  StolenEntry,
  TacInfo,
  Triplet,
} from '../../../core/rules/data-model.js';
import type { SqlRow as Row, SqlSession as DuckDb } from '../../sql-session.js';
import { digitsExpr, imeiNormExpr } from './sql-identifiers.js';
import { currentList, type RuleList } from './sql-lists.js';
import { loadForeignRecords } from './dimension-foreign-block-list-sql.js';
import { loadAttestationFacts, tacModels } from './dimension-tamper-sql.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** GSMA `DD-Mon-YYYY` as `YYYY-MM-DD`; another text is kept as it is, blank is null. */
export function isoAllocationDate(v: string | undefined): string | null {
  if (v === undefined || v.trim() === '') return null;
  const m = /^([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4})$/.exec(v.trim());
  const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) + 1 : 0;
  if (!m || month === 0) return v;
  return `${m[3]}-${String(month).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

const str = (v: unknown): string | null => (v == null ? null : String(v));

function attrsOf(v: unknown): Record<string, string> {
  return v == null ? {} : (JSON.parse(String(v)) as Record<string, string>);
}

async function listRows(db: DuckDb, list: RuleList): Promise<Row[]> {
  return db.all(`SELECT key, imei_norm, tac, imsi, msisdn, status, caps, attrs
    FROM ${currentList(list)} ORDER BY key`);
}

async function loadTriplets(db: DuckDb): Promise<Map<string, Triplet[]>> {
  const rows = await db.all(`SELECT ${imeiNormExpr('t.imei', 'xi.value')} AS imei_norm,
      t.operator, t.month::VARCHAR AS month,
      ${digitsExpr('t.imsi', 'xs.value')} AS imsi, ${digitsExpr('t.msisdn', 'xm.value')} AS msisdn,
      t.first_seen::VARCHAR AS first_seen, t.last_seen::VARCHAR AS last_seen,
      t.day_mask, t.rat_mask
    FROM triplets t
    LEFT JOIN id_texts xi ON xi.id = t.imei
    LEFT JOIN id_texts xs ON xs.id = t.imsi
    LEFT JOIN id_texts xm ON xm.id = t.msisdn
    ORDER BY imei_norm, t.month, t.operator, imsi, msisdn`);
  const out = new Map<string, Triplet[]>();
  for (const r of rows) {
    const imei = String(r.imei_norm);
    let ts = out.get(imei);
    if (!ts) out.set(imei, (ts = []));
    ts.push({
      operator: String(r.operator),
      month: String(r.month),
      imsi: str(r.imsi),
      msisdn: str(r.msisdn),
      firstSeen: String(r.first_seen),
      lastSeen: String(r.last_seen),
      dayMask: Number(r.day_mask),
      ratMask: Number(r.rat_mask),
    });
  }
  return out;
}

async function loadTacs(db: DuckDb): Promise<Map<string, TacInfo>> {
  const out = new Map<string, TacInfo>();
  for (const r of await listRows(db, 'gsma_tac')) {
    const a = attrsOf(r.attrs);
    out.set(String(r.key), {
      caps: Number(r.caps ?? 0),
      allocationDate: isoAllocationDate(a.allocation_date),
      deviceType: a.device_type ?? null,
      models: tacModels(a),
    });
  }
  return out;
}

/** The real-time clone flags of clean IMEIs: `imei_norm` -> UTC dates of its flags. */
async function loadCloneFlags(db: DuckDb): Promise<Map<string, string[]>> {
  const rows = await db.all(`SELECT lpad(imei::VARCHAR, 14, '0') AS imei_norm,
      flagged_at::DATE::VARCHAR AS day
    FROM realtime_clone_flags WHERE imei >= 0 ORDER BY imei_norm, day`);
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const imei = String(r.imei_norm);
    const days = out.get(imei) ?? [];
    days.push(String(r.day));
    out.set(imei, days);
  }
  return out;
}

const imeiSet = async (db: DuckDb, list: RuleList) =>
  new Set((await listRows(db, list)).map((r) => String(r.imei_norm)));

/** Everything a classification as of `asOf` reads, for the pure evaluators. */
export async function loadClassificationData(
  db: DuckDb,
  asOf: string,
  deployment: DeploymentProfile,
): Promise<ClassificationData> {
  const stolen = new Map<string, StolenEntry>();
  for (const r of await listRows(db, 'stolen'))
    stolen.set(String(r.imei_norm), { status: str(r.status) });
  const registration = new Map<string, RegistrationEntry>();
  for (const r of await listRows(db, 'registration'))
    registration.set(String(r.imei_norm), {
      status: str(r.status),
      deviceType: attrsOf(r.attrs).device_type ?? null,
    });
  const pairing = new Map<string, PairingEntry[]>();
  for (const r of await listRows(db, 'pairing')) {
    const imei = String(r.imei_norm);
    const entries = pairing.get(imei) ?? [];
    entries.push({ imsi: String(r.imsi), msisdn: str(r.msisdn) });
    pairing.set(imei, entries);
  }
  return {
    asOf,
    deployment,
    triplets: await loadTriplets(db),
    tacs: await loadTacs(db),
    lists: {
      stolen,
      registration,
      golden: await imeiSet(db, 'golden'),
      barred: await imeiSet(db, 'barred'),
      barredTac: new Set((await listRows(db, 'barred_tac')).map((r) => String(r.key))),
      monitoring: await imeiSet(db, 'monitoring'),
      pairing,
    },
    realtimeCloneFlags: await loadCloneFlags(db),
    foreignRecords: await loadForeignRecords(db),
    attestations: await loadAttestationFacts(db),
  };
}
