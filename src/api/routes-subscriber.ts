/**
 * Subscribers (proved by a one-time code to their MSISDN): report a device lost or stolen and get
 * a case number, follow their cases, unblock on recovery, ask for a pairing of a genuine device
 * with their own SIM, appeal a decision with evidence.
 */
import { parseImsi } from '../core/ids/index.js';
import type { TheftCase } from '../core/ports/people-store.js';
import { json } from './http-types.js';
import { parseImeiInput } from './imei-input.js';
import {
  STOLEN_DELTA_COLUMNS,
  badRequest,
  conflict,
  notFound,
  submitDelta,
} from './list-deltas.js';
import { appealJson, caseJson, pairingJson } from './presenters.js';
import type { RouteContext, RouteDef } from './route-def.js';
import { AppealSchema, CaseSchema, PairingSchema, arr, date, obj, str } from './schemas.js';
import { randomId } from './secrets.js';

const me = (c: RouteContext): string => c.principal.msisdn!;

/** The 14-digit key of a typed IMEI, or a 400 naming the problem (and the suggestion). */
export function imeiKey(raw: string): string {
  const p = parseImeiInput(raw);
  if (p.kind !== 'ok') throw badRequest(p.message);
  return p.key;
}

async function ownCase(c: RouteContext): Promise<TheftCase> {
  const n = c.params.case!;
  c.audit.target = n;
  const found = await c.deps.store((p) => p.theftCase(n));
  if (!found || found.msisdn !== me(c)) throw notFound(`No case ${n} of this number`);
  return found;
}

const ymd = (d: Date): string => d.toISOString().slice(0, 10);

export const SUBSCRIBER_ROUTES: readonly RouteDef[] = [
  {
    id: 'reportTheft',
    method: 'POST',
    path: '/api/v1/subscriber/thefts',
    tag: 'subscriber',
    summary:
      'Report a device lost or stolen (its IMEIs, police report number, date, place): a case number',
    roles: ['subscriber'],
    body: {
      type: 'json',
      schema: obj(
        {
          kind: str({ enum: ['stolen', 'lost'] }),
          imeis: arr(str({ maxLength: 40 }), { minItems: 1, maxItems: 2 }),
          police_report: str({ minLength: 1, maxLength: 60 }),
          incident_date: date,
          place: str({ minLength: 1, maxLength: 200 }),
        },
        ['imeis', 'police_report', 'incident_date', 'place'],
      ),
    },
    responses: { 201: { description: 'The case', schema: CaseSchema } },
    handler: async (c) => {
      const b = c.body as {
        kind?: 'stolen' | 'lost';
        imeis: string[];
        police_report: string;
        incident_date: string;
        place: string;
      };
      const keys = [...new Set(b.imeis.map(imeiKey))];
      const now = c.deps.now();
      if (b.incident_date > ymd(now)) throw badRequest('incident_date is in the future');
      const open = await c.deps.store(async (p) => {
        for (const k of keys) {
          const cases = await p.listCases({ imei: k });
          const active = cases.find((x) => x.status === 'reported' || x.status === 'confirmed');
          if (active) return active.caseNumber;
        }
        return undefined;
      });
      if (open) throw conflict(`This device is already reported in case ${open}`);
      const year = now.getUTCFullYear();
      const tc = await c.deps.store(async (p) => {
        const seq = await p.nextCaseSequence(year);
        const rec: TheftCase = {
          caseNumber: `TC-${year}-${String(seq).padStart(6, '0')}`,
          msisdn: me(c),
          imeis: keys,
          kind: b.kind ?? 'stolen',
          policeReport: b.police_report,
          incidentDate: b.incident_date,
          place: b.place,
          status: 'reported',
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
          decidedBy: null,
          note: '',
        };
        await p.addCase(rec);
        return rec;
      });
      await c.deps.sms.send({
        msisdn: me(c),
        text: `Your report is case ${tc.caseNumber}. The police will confirm it; the device is then blocked on every network.`,
      });
      c.audit = { target: tc.caseNumber, detail: { imeis: keys } };
      return json(201, caseJson(tc, false));
    },
  },
  {
    id: 'myCases',
    method: 'GET',
    path: '/api/v1/subscriber/cases',
    tag: 'subscriber',
    summary: 'The caller’s theft and loss cases',
    roles: ['subscriber'],
    responses: { 200: { description: 'Cases', schema: obj({ cases: arr(CaseSchema) }) } },
    handler: async (c) => {
      const cases = await c.deps.store((p) => p.listCases({ msisdn: me(c) }));
      return json(200, { cases: cases.map((x) => caseJson(x, false)) });
    },
  },
  {
    id: 'myCase',
    method: 'GET',
    path: '/api/v1/subscriber/cases/{case}',
    tag: 'subscriber',
    summary: 'Follow one case',
    roles: ['subscriber'],
    responses: { 200: { description: 'The case', schema: CaseSchema } },
    handler: async (c) => json(200, caseJson(await ownCase(c), false)),
  },
  {
    id: 'recoverDevice',
    method: 'POST',
    path: '/api/v1/subscriber/cases/{case}/recovery',
    tag: 'subscriber',
    summary:
      'The device is back: unblock it (removed from the stolen list; lifted at the next list run)',
    roles: ['subscriber'],
    responses: { 200: { description: 'The case, recovered', schema: CaseSchema } },
    handler: async (c) => {
      const tc = await ownCase(c);
      if (tc.status !== 'reported' && tc.status !== 'confirmed')
        throw conflict(`Case ${tc.caseNumber} is ${tc.status}: nothing to unblock`);
      const now = c.deps.now();
      if (tc.status === 'confirmed') {
        const listed: string[] = [];
        for (const k of tc.imeis) if (await c.deps.services.onList('stolen', k)) listed.push(k);
        const day = ymd(now).replaceAll('-', '');
        await submitDelta(
          c.deps,
          'stolen',
          STOLEN_DELTA_COLUMNS,
          listed.map((k) => [k, day, 'blacklist', 'remove', `${tc.caseNumber}/recovered`]),
        );
      }
      await c.deps.store((p) =>
        p.updateCase(tc.caseNumber, { status: 'recovered', at: now.toISOString() }),
      );
      c.audit = { target: tc.caseNumber, detail: { from: tc.status } };
      const after = await c.deps.store((p) => p.theftCase(tc.caseNumber));
      return json(200, caseJson(after!, false));
    },
  },
  {
    id: 'requestPairing',
    method: 'POST',
    path: '/api/v1/subscriber/pairings',
    tag: 'subscriber',
    summary:
      'Ask to pair a genuine device (IMEI) with the caller’s own SIM (IMSI), e.g. one caught in a clone cluster',
    roles: ['subscriber'],
    body: {
      type: 'json',
      schema: obj(
        {
          imei: str({ maxLength: 40 }),
          imsi: str({ maxLength: 20 }),
          reason: str({ maxLength: 500 }),
        },
        ['imei', 'imsi'],
      ),
    },
    responses: { 201: { description: 'The request, pending', schema: PairingSchema } },
    handler: async (c) => {
      const b = c.body as { imei: string; imsi: string; reason?: string };
      const key = imeiKey(b.imei);
      const imsi = parseImsi(b.imsi);
      if (imsi.kind !== 'ok') throw badRequest(imsi.message);
      const now = c.deps.now().toISOString();
      const pr = {
        id: `PR-${randomId(6)}`,
        msisdn: me(c),
        imei: key,
        imsi: imsi.value,
        reason: b.reason ?? '',
        status: 'pending' as const,
        createdAt: now,
        decidedAt: null,
        decidedBy: null,
        note: '',
      };
      await c.deps.store(async (p) => {
        const pending = await p.listPairings({ msisdn: me(c), status: 'pending' });
        if (pending.some((x) => x.imei === key && x.imsi === pr.imsi))
          throw conflict('The same pairing is already pending');
        await p.addPairing(pr);
      });
      c.audit = { target: pr.id, detail: { imei: key } };
      return json(201, pairingJson(pr));
    },
  },
  {
    id: 'myPairings',
    method: 'GET',
    path: '/api/v1/subscriber/pairings',
    tag: 'subscriber',
    summary: 'The caller’s pairing requests',
    roles: ['subscriber'],
    responses: { 200: { description: 'Requests', schema: obj({ pairings: arr(PairingSchema) }) } },
    handler: async (c) => {
      const list = await c.deps.store((p) => p.listPairings({ msisdn: me(c) }));
      return json(200, { pairings: list.map(pairingJson) });
    },
  },
  {
    id: 'fileAppeal',
    method: 'POST',
    path: '/api/v1/subscriber/appeals',
    tag: 'subscriber',
    summary: 'Appeal a decision on an IMEI, with evidence (receipts, statements as text)',
    roles: ['subscriber'],
    body: {
      type: 'json',
      schema: obj(
        {
          imei: str({ maxLength: 40 }),
          reason: str({ minLength: 1, maxLength: 2000 }),
          evidence: arr(obj({ name: str({ maxLength: 200 }), text: str({ maxLength: 20000 }) }), {
            maxItems: 10,
          }),
        },
        ['imei', 'reason'],
      ),
    },
    responses: { 201: { description: 'The appeal, open', schema: AppealSchema } },
    handler: async (c) => {
      const b = c.body as {
        imei: string;
        reason: string;
        evidence?: { name: string; text: string }[];
      };
      const a = {
        id: `AP-${randomId(6)}`,
        msisdn: me(c),
        imei: imeiKey(b.imei),
        reason: b.reason,
        evidence: b.evidence ?? [],
        status: 'open' as const,
        outcome: '',
        createdAt: c.deps.now().toISOString(),
        decidedAt: null,
        decidedBy: null,
      };
      await c.deps.store((p) => p.addAppeal(a));
      c.audit = { target: a.id, detail: { imei: a.imei, evidence: a.evidence.length } };
      return json(201, appealJson(a));
    },
  },
  {
    id: 'myAppeals',
    method: 'GET',
    path: '/api/v1/subscriber/appeals',
    tag: 'subscriber',
    summary: 'The caller’s appeals and their outcomes',
    roles: ['subscriber'],
    responses: { 200: { description: 'Appeals', schema: obj({ appeals: arr(AppealSchema) }) } },
    handler: async (c) => {
      const list = await c.deps.store((p) => p.listAppeals({ msisdn: me(c) }));
      return json(200, { appeals: list.map(appealJson) });
    },
  },
];
