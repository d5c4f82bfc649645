/**
 * Police: the queue of reported thefts, confirm (the IMEIs go on the stolen list through the list
 * import path, and are blocked on every operator at the next classification and list run) or
 * reject; trace an IMEI (operators, IMSIs, MSISDNs, first and last seen) with a mandatory case
 * reference, every trace audited.
 */
import { json } from './http-types.js';
import { STOLEN_DELTA_COLUMNS, conflict, notFound, submitDelta } from './list-deltas.js';
import { caseJson, imei15 } from './presenters.js';
import type { RouteContext, RouteDef } from './route-def.js';
import { imeiKey } from './routes-subscriber.js';
import { CaseSchema, arr, imei15 as imeiSchema, int, nullableStr, obj, str } from './schemas.js';

async function reportedCase(c: RouteContext) {
  const n = c.params.case!;
  c.audit.target = n;
  const tc = await c.deps.store((p) => p.theftCase(n));
  if (!tc) throw notFound(`No case ${n}`);
  if (tc.status !== 'reported') throw conflict(`Case ${n} is ${tc.status}, not reported`);
  return tc;
}

const decision = {
  type: 'json' as const,
  schema: obj({ note: str({ maxLength: 1000 }) }, []),
};

export const POLICE_ROUTES: readonly RouteDef[] = [
  {
    id: 'theftQueue',
    method: 'GET',
    path: '/api/v1/police/thefts',
    tag: 'police',
    summary:
      'Theft and loss cases by status (default: reported, awaiting confirmation); with the reporter’s MSISDN',
    roles: ['police'],
    personalData: true,
    query: {
      properties: { status: str({ enum: ['reported', 'confirmed', 'rejected', 'recovered'] }) },
    },
    responses: { 200: { description: 'Cases', schema: obj({ cases: arr(CaseSchema) }) } },
    handler: async (c) => {
      const status = (c.query.status ?? 'reported') as 'reported';
      const cases = await c.deps.store((p) => p.listCases({ status }));
      c.audit = { target: `cases:${status}`, detail: { cases: cases.length } };
      return json(200, { cases: cases.map((x) => caseJson(x, true)) });
    },
  },
  {
    id: 'confirmTheft',
    method: 'POST',
    path: '/api/v1/police/thefts/{case}/confirm',
    tag: 'police',
    summary:
      'Confirm a reported theft: its IMEIs join the stolen list (blocked on every operator at the next list run)',
    roles: ['police'],
    body: decision,
    responses: { 200: { description: 'The case, confirmed', schema: CaseSchema } },
    handler: async (c) => {
      const tc = await reportedCase(c);
      const now = c.deps.now();
      const fresh: string[] = [];
      for (const k of tc.imeis) if (!(await c.deps.services.onList('stolen', k))) fresh.push(k);
      const day = tc.incidentDate.replaceAll('-', '');
      const r = await submitDelta(
        c.deps,
        'stolen',
        STOLEN_DELTA_COLUMNS,
        fresh.map((k) => [k, day, 'blacklist', 'add', tc.caseNumber]),
      );
      const note = (c.body as { note?: string }).note ?? '';
      await c.deps.store((p) =>
        p.updateCase(tc.caseNumber, {
          status: 'confirmed',
          decidedBy: c.principal.subject,
          note,
          at: now.toISOString(),
        }),
      );
      await c.deps.sms.send({
        msisdn: tc.msisdn,
        text: `Case ${tc.caseNumber} is confirmed: the device will be blocked on every network.`,
      });
      c.audit = {
        target: tc.caseNumber,
        detail: {
          imeis: tc.imeis,
          listed: fresh,
          import: r.kind === 'imported' ? r.importId : null,
        },
      };
      const after = await c.deps.store((p) => p.theftCase(tc.caseNumber));
      return json(200, caseJson(after!, true));
    },
  },
  {
    id: 'rejectTheft',
    method: 'POST',
    path: '/api/v1/police/thefts/{case}/reject',
    tag: 'police',
    summary: 'Reject a reported theft (e.g. no matching police report)',
    roles: ['police'],
    body: decision,
    responses: { 200: { description: 'The case, rejected', schema: CaseSchema } },
    handler: async (c) => {
      const tc = await reportedCase(c);
      const note = (c.body as { note?: string }).note ?? '';
      await c.deps.store((p) =>
        p.updateCase(tc.caseNumber, {
          status: 'rejected',
          decidedBy: c.principal.subject,
          note,
          at: c.deps.now().toISOString(),
        }),
      );
      c.audit = { target: tc.caseNumber, detail: { note } };
      const after = await c.deps.store((p) => p.theftCase(tc.caseNumber));
      return json(200, caseJson(after!, true));
    },
  },
  {
    id: 'traceImei',
    method: 'GET',
    path: '/api/v1/police/trace/{imei}',
    tag: 'police',
    summary:
      'Trace an IMEI: operators, IMSIs, MSISDNs, first and last seen; the case reference is mandatory and audited',
    roles: ['police'],
    personalData: true,
    query: {
      properties: { case_reference: str({ minLength: 3, maxLength: 60 }) },
      required: ['case_reference'],
    },
    responses: {
      200: {
        description: 'Sightings per operator and month',
        schema: obj({
          imei: imeiSchema,
          case_reference: str(),
          operators: arr(str()),
          first_seen: nullableStr,
          last_seen: nullableStr,
          sightings: arr(
            obj({
              operator: str(),
              month: str(),
              imsi: nullableStr,
              msisdn: nullableStr,
              first_seen: str(),
              last_seen: str(),
            }),
          ),
          count: int,
        }),
      },
    },
    handler: async (c) => {
      const key = imeiKey(c.params.imei!);
      const s = await c.deps.services.trace(key);
      c.audit = {
        target: key,
        detail: { case_reference: c.query.case_reference, sightings: s.length },
      };
      const firsts = s.map((x) => x.firstSeen).sort();
      const lasts = s.map((x) => x.lastSeen).sort();
      return json(200, {
        imei: imei15(key),
        case_reference: c.query.case_reference,
        operators: [...new Set(s.map((x) => x.operator))].sort(),
        first_seen: firsts[0] ?? null,
        last_seen: lasts.at(-1) ?? null,
        sightings: s.map((x) => ({
          operator: x.operator,
          month: x.month,
          imsi: x.imsi,
          msisdn: x.msisdn,
          first_seen: x.firstSeen,
          last_seen: x.lastSeen,
        })),
        count: s.length,
      });
    },
  },
];
