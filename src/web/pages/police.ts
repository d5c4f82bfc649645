/**
 * Police pages: the queue of reported thefts to confirm (the IMEIs go on the stolen list) or
 * reject, and the IMEI trace, whose case reference is mandatory (the API refuses without one and
 * writes it to the audit log with the trace).
 */
import type { PageCtx } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, notice, page, table } from '../layout.js';
import type { PageRoute } from '../web-app.js';
import { field, imeiField, selectField, textField } from './fields.js';

const POLICE = ['police'] as const;
const STATUSES = ['reported', 'confirmed', 'rejected', 'recovered'] as const;

async function queue(c: PageCtx, top: SafeHtml = html``, status = 200) {
  const { t } = c;
  const s = c.req.query.get('status') ?? 'reported';
  const chosen = (STATUSES as readonly string[]).includes(s) ? s : 'reported';
  const r = await c.api('GET', '/api/v1/police/thefts', { query: { status: chosen } });
  const cases = (r.ok ? r.json.cases : []) as Record<string, unknown>[];
  const decide = (n: string) =>
    html`<form
      method="post"
      action="/police/cases/${encodeURIComponent(n)}/decision"
      class="inline"
    >
      ${csrfField(c)}<label for="note-${n}">${t('police.note')}</label
      ><input type="text" id="note-${n}" name="note" maxlength="1000" /><button
        type="submit"
        name="decision"
        value="confirm"
      >
        ${t('police.confirm')}
      </button>
      <button type="submit" name="decision" value="reject" class="secondary">
        ${t('police.reject')}
      </button>
    </form>`;
  const filter = html`<form method="get" action="/police" class="stack">
    ${selectField(
      'status',
      t('police.filter'),
      STATUSES.map((x) => [x, t(`case.status.${x}`)]),
      chosen,
    )}
    <div><button type="submit" class="secondary">${t('police.filter')}</button></div>
  </form>`;
  const list = cases.length
    ? table(
        t('police.title'),
        [
          t('cases.case'),
          t('cases.imeis'),
          t('police.reporter'),
          t('police.policeReport'),
          t('cases.date'),
          t('police.place'),
          '',
        ],
        cases.map((x) => [
          String(x.case_number),
          (x.imeis as string[]).join(', '),
          String(x.msisdn ?? ''),
          String(x.police_report),
          String(x.incident_date),
          String(x.place),
          x.status === 'reported'
            ? decide(String(x.case_number))
            : t(`case.status.${x.status as 'reported'}`),
        ]),
      )
    : html`<p>${t('common.none')}</p>`;
  return page(
    c,
    t('police.title'),
    html`${top}${r.ok ? '' : notice(t('error.api', { message: r.error ?? '' }), 'error')}${filter}${list}
      <p><a href="/police/trace">${t('trace.title')}</a></p>`,
    status,
  );
}

function traceForm(c: PageCtx, imei = '', ref = ''): SafeHtml {
  const { t } = c;
  return html`<form class="stack" method="get" action="/police/trace">
    ${imeiField(c, 'imei', t('trace.imei'), imei)}${textField('case_reference', t('trace.caseRef'), { value: ref, required: true, max: 60 })}
    <div><button type="submit">${t('trace.button')}</button></div>
  </form>`;
}

export const POLICE_PAGES: readonly PageRoute[] = [
  { method: 'GET', path: '/police', roles: POLICE, handler: (c) => queue(c) },
  {
    method: 'POST',
    path: '/police/cases/:case/decision',
    roles: POLICE,
    handler: async (c) => {
      const n = c.params.case!;
      const confirm = field(c, 'decision') !== 'reject';
      const r = await c.api(
        'POST',
        `/api/v1/police/thefts/${encodeURIComponent(n)}/${confirm ? 'confirm' : 'reject'}`,
        {
          json: { note: field(c, 'note') },
        },
      );
      const top = r.ok
        ? notice(c.t(confirm ? 'police.confirmed' : 'police.rejected', { case: n }))
        : notice(c.t('error.api', { message: r.error ?? '' }), 'error');
      return queue(c, top, r.ok ? 200 : r.status);
    },
  },
  {
    method: 'GET',
    path: '/police/trace',
    roles: POLICE,
    handler: async (c) => {
      const { t } = c;
      const imei = (c.req.query.get('imei') ?? '').trim().slice(0, 40);
      const ref = (c.req.query.get('case_reference') ?? '').trim().slice(0, 60);
      if (!imei) return page(c, t('trace.title'), traceForm(c));
      const r = await c.api('GET', `/api/v1/police/trace/${encodeURIComponent(imei)}`, {
        query: { case_reference: ref },
      });
      if (!r.ok)
        return page(
          c,
          t('trace.title'),
          html`${notice(t('error.api', { message: r.error ?? '' }), 'error')}${traceForm(c, imei, ref)}`,
          r.status,
        );
      const x = r.json as {
        imei: string;
        operators: string[];
        first_seen: string | null;
        last_seen: string | null;
        count: number;
        sightings: Record<string, string | null>[];
      };
      return page(
        c,
        t('trace.title'),
        html`${notice(t('trace.summary', { imei: x.imei, count: x.count, operators: x.operators.join(', ') || '-', first: x.first_seen ?? '-', last: x.last_seen ?? '-' }))}${table(
          `${t('trace.title')}: ${x.imei} (${ref})`,
          [
            t('trace.operator'),
            t('trace.month'),
            t('trace.imsi'),
            t('trace.msisdn'),
            t('trace.first'),
            t('trace.last'),
          ],
          x.sightings.map((s) => [
            s.operator,
            s.month,
            s.imsi ?? '-',
            s.msisdn ?? '-',
            s.first_seen,
            s.last_seen,
          ]),
        )}${traceForm(c, imei, ref)}`,
      );
    },
  },
];
