/**
 * The regulator: dashboard figures, monthly reports, a dry run of a rule change (how many IMEIs it
 * would match, add and drop), pairing requests and appeals to decide, all cases, every import,
 * the audit log (search, chain verification) and running classification and list generation.
 */
import { CeirFailure } from '../core/errors.js';
import type { RulesInForce } from '../core/ports/people-services.js';
import { json } from './http-types.js';
import { PAIRING_DELTA_COLUMNS, conflict, notFound, submitDelta } from './list-deltas.js';
import { appealJson, auditJson, caseJson, importJson, pairingJson } from './presenters.js';
import type { RouteDef } from './route-def.js';
import {
  AppealSchema,
  AuditEntrySchema,
  CaseSchema,
  ImportSchema,
  PairingSchema,
  arr,
  int,
  nullableStr,
  obj,
  str,
} from './schemas.js';

const REG = ['regulator'] as const;

const AmnestyBody = obj({
  enabled: { type: 'boolean' },
  evaluation_period_end: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  amnesty_period_end: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
});

const RulesSchema = obj(
  {
    version: { type: ['integer', 'null'] },
    source: str({ enum: ['configuration', 'regulator'] }),
    saved: obj({ by: str(), at: str(), note: str() }),
    conditions: arr({ type: 'object' }),
    amnesty: obj({
      enabled: { type: 'boolean' },
      evaluation_period_end: nullableStr,
      amnesty_period_end: nullableStr,
    }),
  },
  ['version', 'conditions', 'amnesty'],
);

function rulesJson(r: RulesInForce) {
  return {
    version: r.version,
    ...(r.source ? { source: r.source } : {}),
    ...(r.saved ? { saved: r.saved } : {}),
    conditions: r.conditions,
    amnesty: {
      enabled: r.amnesty.enabled,
      evaluation_period_end: r.amnesty.evaluationPeriodEnd,
      amnesty_period_end: r.amnesty.amnestyPeriodEnd,
    },
  };
}
const count = (extra: Record<string, Record<string, unknown>> = {}) =>
  obj(extra, Object.keys(extra));

export const REGULATOR_ROUTES: readonly RouteDef[] = [
  {
    id: 'dashboard',
    method: 'GET',
    path: '/api/v1/regulator/dashboard',
    tag: 'regulator',
    summary: 'Devices seen, blocked, pending; by condition, by operator, by month',
    roles: [...REG],
    responses: {
      200: {
        description: 'Figures',
        schema: obj({
          devices_seen: int,
          blocked: int,
          pending: int,
          list_run: { type: ['integer', 'null'] },
          as_of: nullableStr,
          by_condition: arr(count({ condition: str(), imeis: int, blocking: { type: 'boolean' } })),
          by_operator: arr(count({ operator: str(), imeis: int, blocked: int, pending: int })),
          by_month: arr(count({ month: str(), imeis: int, new_imeis: int })),
        }),
      },
    },
    handler: async (c) => {
      const d = await c.deps.services.dashboard();
      return json(200, {
        devices_seen: d.devicesSeen,
        blocked: d.blocked,
        pending: d.pending,
        list_run: d.listRun,
        as_of: d.asOf,
        by_condition: d.byCondition,
        by_operator: d.byOperator,
        by_month: d.byMonth.map((m) => ({ month: m.month, imeis: m.imeis, new_imeis: m.newImeis })),
      });
    },
  },
  {
    id: 'monthReport',
    method: 'GET',
    path: '/api/v1/regulator/reports/{month}',
    tag: 'regulator',
    summary: 'The monthly report of `ceir report` (JSON)',
    roles: [...REG],
    responses: { 200: { description: 'Report', schema: { type: 'object' } } },
    handler: async (c) => {
      const m = c.params.month!;
      if (!/^\d{4}-\d{2}$/.test(m)) throw notFound(`${m} is not a month YYYY-MM`);
      const r = await c.deps.services.report(m);
      if (r === undefined) throw notFound(`No data for ${m}`);
      return json(200, r);
    },
  },
  {
    id: 'rulesInForce',
    method: 'GET',
    path: '/api/v1/regulator/rules',
    tag: 'regulator',
    summary:
      'The conditions and amnesty settings in force: the latest version a regulator saved, else the configuration’s',
    roles: [...REG],
    responses: { 200: { description: 'Rules', schema: RulesSchema } },
    handler: async (c) => json(200, rulesJson(await c.deps.services.rules())),
  },
  {
    id: 'saveRules',
    method: 'POST',
    path: '/api/v1/regulator/rules',
    tag: 'regulator',
    summary:
      'Save a rule change as a new rule version (conditions as in the configuration; amnesty optional, default unchanged); classification uses it from the next run',
    roles: [...REG],
    body: {
      type: 'json',
      schema: obj(
        {
          conditions: arr({ type: 'object' }, { minItems: 1, maxItems: 200 }),
          amnesty: AmnestyBody,
          note: str({ minLength: 1, maxLength: 1000 }),
        },
        ['conditions', 'note'],
      ),
    },
    responses: { 200: { description: 'The new rules in force', schema: RulesSchema } },
    handler: async (c) => {
      const b = c.body as {
        conditions: unknown[];
        amnesty?: {
          enabled: boolean;
          evaluation_period_end: string | null;
          amnesty_period_end: string | null;
        };
        note: string;
      };
      const r = await c.deps.services.saveRules({
        conditions: b.conditions,
        ...(b.amnesty
          ? {
              amnesty: {
                enabled: b.amnesty.enabled,
                evaluationPeriodEnd: b.amnesty.evaluation_period_end,
                amnestyPeriodEnd: b.amnesty.amnesty_period_end,
              },
            }
          : {}),
        savedBy: c.principal.subject,
        note: b.note,
      });
      if ('kind' in r) {
        c.audit = { target: 'rules', detail: { problems: r.issues.length } };
        return json(400, {
          error: { code: 'CEIR_ERR_USAGE', message: r.message, details: r.issues },
        });
      }
      c.audit = {
        target: `rules:v${r.version}`,
        detail: { conditions: r.conditions.length, amnesty: r.amnesty.enabled, note: b.note },
      };
      return json(200, rulesJson(r));
    },
  },
  {
    id: 'ruleDryRun',
    method: 'POST',
    path: '/api/v1/regulator/rules/dry-run',
    tag: 'regulator',
    summary:
      'How many IMEIs a new or changed condition would match, add and drop (nothing is written)',
    roles: [...REG],
    audited: true,
    body: { type: 'json', schema: obj({ condition: { type: 'object' } }) },
    responses: {
      200: {
        description: 'Impact',
        schema: obj({
          label: str(),
          as_of: str(),
          seen: int,
          would_match: int,
          currently_matched: int,
          added: int,
          removed: int,
          ratio: { type: 'number' },
          max_ratio: { type: 'number' },
          refused: { type: 'boolean' },
        }),
      },
    },
    handler: async (c) => {
      const raw = (c.body as { condition: Record<string, unknown> }).condition;
      const r = await c.deps.services.ruleDryRun(raw);
      if ('kind' in r) throw new CeirFailure(r);
      c.audit = { target: r.label, detail: { would_match: r.wouldMatch } };
      return json(200, {
        label: r.label,
        as_of: r.asOf,
        seen: r.seen,
        would_match: r.wouldMatch,
        currently_matched: r.currentlyMatched,
        added: r.added,
        removed: r.removed,
        ratio: r.ratio,
        max_ratio: r.maxRatio,
        refused: r.refused,
      });
    },
  },
  {
    id: 'allCases',
    method: 'GET',
    path: '/api/v1/regulator/cases',
    tag: 'regulator',
    summary: 'Every theft and loss case (with the reporter’s MSISDN)',
    roles: [...REG],
    personalData: true,
    query: {
      properties: { status: str({ enum: ['reported', 'confirmed', 'rejected', 'recovered'] }) },
    },
    responses: { 200: { description: 'Cases', schema: obj({ cases: arr(CaseSchema) }) } },
    handler: async (c) => {
      const q = c.query.status ? { status: c.query.status as 'reported' } : {};
      const cases = await c.deps.store((p) => p.listCases(q));
      c.audit = { target: 'cases', detail: { cases: cases.length } };
      return json(200, { cases: cases.map((x) => caseJson(x, true)) });
    },
  },
  {
    id: 'pairingRequests',
    method: 'GET',
    path: '/api/v1/regulator/pairings',
    tag: 'regulator',
    summary: 'Pairing requests (default: pending), with IMSI and MSISDN',
    roles: [...REG],
    personalData: true,
    query: { properties: { status: str({ enum: ['pending', 'approved', 'rejected'] }) } },
    responses: { 200: { description: 'Requests', schema: obj({ pairings: arr(PairingSchema) }) } },
    handler: async (c) => {
      const status = (c.query.status ?? 'pending') as 'pending';
      const list = await c.deps.store((p) => p.listPairings({ status }));
      c.audit = { target: `pairings:${status}`, detail: { pairings: list.length } };
      return json(200, { pairings: list.map(pairingJson) });
    },
  },
  {
    id: 'decidePairing',
    method: 'POST',
    path: '/api/v1/regulator/pairings/{id}/decision',
    tag: 'regulator',
    summary:
      'Approve (the pair joins the pairing list: an exception at the next list run) or reject',
    roles: [...REG],
    body: {
      type: 'json',
      schema: obj({ approve: { type: 'boolean' }, note: str({ maxLength: 1000 }) }, ['approve']),
    },
    responses: { 200: { description: 'The decided request', schema: PairingSchema } },
    handler: async (c) => {
      const b = c.body as { approve: boolean; note?: string };
      const id = c.params.id!;
      const pr = await c.deps.store((p) => p.pairing(id));
      if (!pr) throw notFound(`No pairing request ${id}`);
      if (pr.status !== 'pending') throw conflict(`Pairing request ${id} is ${pr.status}`);
      if (b.approve && !(await c.deps.services.onList('pairing', `${pr.imei}:${pr.imsi}`)))
        await submitDelta(c.deps, 'pairing', PAIRING_DELTA_COLUMNS, [
          [pr.imei, pr.imsi, pr.msisdn, 'add', pr.id],
        ]);
      await c.deps.store((p) =>
        p.decidePairing(id, {
          status: b.approve ? 'approved' : 'rejected',
          by: c.principal.subject,
          note: b.note ?? '',
          at: c.deps.now().toISOString(),
        }),
      );
      await c.deps.sms.send({
        msisdn: pr.msisdn,
        text: `Your pairing request ${pr.id} was ${b.approve ? 'approved' : 'rejected'}.`,
      });
      c.audit = { target: id, detail: { approve: b.approve } };
      const after = await c.deps.store((p) => p.pairing(id));
      return json(200, pairingJson(after!));
    },
  },
  {
    id: 'appeals',
    method: 'GET',
    path: '/api/v1/regulator/appeals',
    tag: 'regulator',
    summary: 'Appeals (default: open), with evidence',
    roles: [...REG],
    personalData: true,
    query: { properties: { status: str({ enum: ['open', 'upheld', 'dismissed'] }) } },
    responses: { 200: { description: 'Appeals', schema: obj({ appeals: arr(AppealSchema) }) } },
    handler: async (c) => {
      const status = (c.query.status ?? 'open') as 'open';
      const list = await c.deps.store((p) => p.listAppeals({ status }));
      c.audit = { target: `appeals:${status}`, detail: { appeals: list.length } };
      return json(200, { appeals: list.map(appealJson) });
    },
  },
  {
    id: 'decideAppeal',
    method: 'POST',
    path: '/api/v1/regulator/appeals/{id}/decision',
    tag: 'regulator',
    summary: 'Record an appeal’s outcome (upheld or dismissed, with the reasoning)',
    roles: [...REG],
    body: {
      type: 'json',
      schema: obj({
        status: str({ enum: ['upheld', 'dismissed'] }),
        outcome: str({ minLength: 1, maxLength: 2000 }),
      }),
    },
    responses: { 200: { description: 'The decided appeal', schema: AppealSchema } },
    handler: async (c) => {
      const b = c.body as { status: 'upheld' | 'dismissed'; outcome: string };
      const id = c.params.id!;
      const a = await c.deps.store(async (p) => {
        const found = await p.appeal(id);
        if (!found) throw notFound(`No appeal ${id}`);
        if (found.status !== 'open') throw conflict(`Appeal ${id} is already ${found.status}`);
        await p.decideAppeal(id, {
          status: b.status,
          outcome: b.outcome,
          by: c.principal.subject,
          at: c.deps.now().toISOString(),
        });
        return (await p.appeal(id))!;
      });
      await c.deps.sms.send({
        msisdn: a.msisdn,
        text: `Your appeal ${id} was ${b.status}: ${b.outcome}`,
      });
      c.audit = { target: id, detail: { status: b.status } };
      return json(200, appealJson(a));
    },
  },
  {
    id: 'allImports',
    method: 'GET',
    path: '/api/v1/regulator/imports',
    tag: 'regulator',
    summary: 'Every import (dumps and lists), latest first, with gate results',
    roles: [...REG],
    responses: { 200: { description: 'Imports', schema: obj({ imports: arr(ImportSchema) }) } },
    handler: async (c) => {
      const list = await c.deps.services.imports(undefined, 500);
      return json(200, { imports: list.map(importJson) });
    },
  },
  {
    id: 'classifyAndPublish',
    method: 'POST',
    path: '/api/v1/regulator/jobs/classify',
    tag: 'regulator',
    summary: 'Run classification and list generation now, then reload the check data',
    roles: [...REG],
    responses: {
      200: { description: 'Runs made', schema: obj({ classification_run: int, list_run: int }) },
    },
    handler: async (c) => {
      const r = await c.deps.services.classifyAndPublish();
      if ('kind' in r) throw new CeirFailure(r);
      c.audit = {
        target: `list_run:${r.listRun}`,
        detail: { classification_run: r.classificationRun },
      };
      return json(200, { classification_run: r.classificationRun, list_run: r.listRun });
    },
  },
  {
    id: 'auditSearch',
    method: 'GET',
    path: '/api/v1/regulator/audit',
    tag: 'regulator',
    summary: 'Search the audit log (who, what, on what, when), latest first',
    roles: ['regulator', 'admin'],
    // Entries name subscribers (msisdn:...) and traced IMEIs: reading them is audited too.
    personalData: true,
    query: {
      properties: {
        actor: str({ maxLength: 100 }),
        action: str({ maxLength: 100 }),
        target: str({ maxLength: 100 }),
        from: str({ maxLength: 30 }),
        to: str({ maxLength: 30 }),
        limit: str({ pattern: '^[0-9]{1,5}$' }),
      },
    },
    responses: { 200: { description: 'Entries', schema: obj({ entries: arr(AuditEntrySchema) }) } },
    handler: async (c) => {
      const q = c.query;
      const entries = await c.deps.store((_p, log) =>
        log.search({
          ...(q.actor ? { actor: q.actor } : {}),
          ...(q.action ? { action: q.action } : {}),
          ...(q.target ? { target: q.target } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
          limit: Math.min(Number(q.limit ?? 200), 5000),
        }),
      );
      return json(200, { entries: entries.map(auditJson) });
    },
  },
  {
    id: 'auditVerify',
    method: 'GET',
    path: '/api/v1/regulator/audit/verify',
    tag: 'regulator',
    summary: 'Verify the audit log’s hash chain',
    roles: ['regulator', 'admin'],
    responses: {
      200: {
        description: 'Verdict',
        schema: obj(
          { ok: { type: 'boolean' }, entries: int, head: str(), seq: int, problem: str() },
          ['ok', 'entries'],
        ),
      },
    },
    handler: async (c) => {
      const v = await c.deps.store((_p, log) => log.verify());
      return json(
        200,
        v.kind === 'ok'
          ? { ok: true, entries: v.entries, head: v.head }
          : { ok: false, entries: v.entries, seq: v.seq, problem: v.problem },
      );
    },
  },
];
