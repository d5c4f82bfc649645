/**
 * Subscriber pages, each behind the OTP step (a code sent by SMS proves the MSISDN): report a
 * theft or loss, follow a case and unblock on recovery, request a pairing, appeal.
 */
import type { PageCtx } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, notice, page, redirect, table } from '../layout.js';
import type { PageRoute } from '../web-app.js';
import { safeNext } from './auth.js';
import { field, imeiField, selectField, textArea, textField } from './fields.js';

const SUB = ['subscriber'] as const;

function otpPage(
  c: PageCtx,
  next: string,
  msisdn = '',
  error?: string,
  challenge?: { id: string; expires: string; digits: number },
) {
  const { t } = c;
  const step = challenge
    ? html`${notice(t('otp.sent', { msisdn, time: challenge.expires }))}
        <form class="stack" method="post" action="/otp/verify">
          ${csrfField(c)}<input type="hidden" name="next" value="${next}" /><input
            type="hidden"
            name="challenge_id"
            value="${challenge.id}"
          />${textField('code', t('otp.code', { digits: challenge.digits }), { required: true, max: 12, autocomplete: 'one-time-code' })}
          <div><button type="submit">${t('otp.verify')}</button></div>
        </form>`
    : html`<p>${t('otp.intro')}</p>
        <form class="stack" method="post" action="/otp">
          ${csrfField(c)}<input
            type="hidden"
            name="next"
            value="${next}"
          />${textField('msisdn', t('otp.msisdn'), { value: msisdn, type: 'tel', required: true, max: 20, autocomplete: 'tel' })}
          <div><button type="submit">${t('otp.send')}</button></div>
        </form>`;
  return page(
    c,
    t('otp.title'),
    html`${error ? notice(t('error.api', { message: error }), 'error') : ''}${step}`,
    error ? 400 : 200,
  );
}

const caseStatus = (c: PageCtx, s: string): string =>
  ['reported', 'confirmed', 'rejected', 'recovered'].includes(s)
    ? c.t(`case.status.${s as 'reported'}`)
    : s;

function reportForm(c: PageCtx, error?: string): SafeHtml {
  const { t } = c;
  const v = (n: string) => field(c, n);
  return html`${error ? notice(t('error.api', { message: error }), 'error') : ''}
    <form class="stack" method="post" action="/report">
      ${csrfField(c)}${selectField(
        'kind',
        t('report.kind'),
        [
          ['stolen', t('report.kind.stolen')],
          ['lost', t('report.kind.lost')],
        ],
        v('kind'),
      )}${imeiField(c, 'imei', t('report.imei'), v('imei'))}${imeiField(c, 'imei2', t('report.imei2'), v('imei2'), false)}${textField('police_report', t('report.policeReport'), { value: v('police_report'), required: true, max: 60 })}${textField('incident_date', t('report.date'), { value: v('incident_date'), type: 'date', required: true })}${textField('place', t('report.place'), { value: v('place'), required: true, max: 200 })}
      <div><button type="submit">${t('report.button')}</button></div>
    </form>`;
}

function caseTable(c: PageCtx, cases: readonly Record<string, unknown>[]): SafeHtml {
  const { t } = c;
  if (cases.length === 0) return html`<p>${t('common.none')}</p>`;
  return table(
    t('cases.title'),
    [t('cases.case'), t('cases.status'), t('cases.imeis'), t('cases.date'), t('cases.updated')],
    cases.map((x) => [
      html`<a href="/cases/${encodeURIComponent(String(x.case_number))}"
        >${String(x.case_number)}</a
      >`,
      caseStatus(c, String(x.status)),
      (x.imeis as string[]).join(', '),
      String(x.incident_date),
      String(x.updated_at),
    ]),
  );
}

function pairingForm(c: PageCtx, error?: string): SafeHtml {
  const { t } = c;
  return html`${error ? notice(t('error.api', { message: error }), 'error') : ''}
    <p>${t('pairing.intro')}</p>
    <form class="stack" method="post" action="/pairing">
      ${csrfField(c)}${imeiField(c, 'imei', t('pairing.imei'), field(c, 'imei'))}${textField('imsi', t('pairing.imsi'), { value: field(c, 'imsi'), required: true, max: 20 })}${textArea('reason', t('pairing.reason'), { value: field(c, 'reason'), max: 500 })}
      <div><button type="submit">${t('pairing.button')}</button></div>
    </form>`;
}

function appealForm(c: PageCtx, error?: string): SafeHtml {
  const { t } = c;
  return html`${error ? notice(t('error.api', { message: error }), 'error') : ''}
    <form class="stack" method="post" action="/appeal">
      ${csrfField(c)}${imeiField(c, 'imei', t('appeal.imei'), field(c, 'imei'))}${textArea('reason', t('appeal.reason'), { value: field(c, 'reason'), required: true, max: 2000 })}${textField('evidence_name', t('appeal.evidenceName'), { value: field(c, 'evidence_name'), max: 200 })}${textArea('evidence_text', t('appeal.evidenceText'), { value: field(c, 'evidence_text'), max: 20000 })}
      <div><button type="submit">${t('appeal.button')}</button></div>
    </form>`;
}

async function pairingsPage(c: PageCtx, top: SafeHtml, status = 200) {
  const { t } = c;
  const mine = await c.api('GET', '/api/v1/subscriber/pairings');
  const list = (mine.ok ? mine.json.pairings : []) as Record<string, string>[];
  return page(
    c,
    t('pairing.title'),
    html`${top}
      <h2>${t('pairing.mine')}</h2>
      ${
        list.length
          ? table(
              t('pairing.mine'),
              ['ID', 'IMEI', 'IMSI', t('cases.status'), t('cases.note')],
              list.map((p) => [p.id, p.imei, p.imsi, p.status, p.note]),
            )
          : html`<p>${t('common.none')}</p>`
      }`,
    status,
  );
}

async function appealsPage(c: PageCtx, top: SafeHtml, status = 200) {
  const { t } = c;
  const mine = await c.api('GET', '/api/v1/subscriber/appeals');
  const list = (mine.ok ? mine.json.appeals : []) as Record<string, string>[];
  return page(
    c,
    t('appeal.title'),
    html`${top}
      <h2>${t('appeal.mine')}</h2>
      ${
        list.length
          ? table(
              t('appeal.mine'),
              ['ID', 'IMEI', t('cases.status'), t('appeal.outcome')],
              list.map((a) => [a.id, a.imei, a.status, a.outcome]),
            )
          : html`<p>${t('common.none')}</p>`
      }`,
    status,
  );
}

export const SUBSCRIBER_PAGES: readonly PageRoute[] = [
  {
    method: 'GET',
    path: '/otp',
    handler: async (c) => otpPage(c, safeNext(c.req.query.get('next'), '/cases')),
  },
  {
    method: 'POST',
    path: '/otp',
    handler: async (c) => {
      const next = safeNext(field(c, 'next'), '/cases');
      const msisdn = field(c, 'msisdn');
      const r = await c.api('POST', '/api/v1/auth/otp', { json: { msisdn } });
      if (!r.ok) return otpPage(c, next, msisdn, r.error);
      return otpPage(c, next, msisdn, undefined, {
        id: String(r.json.challenge_id),
        expires: String(r.json.expires_at),
        digits: Number(r.json.digits),
      });
    },
  },
  {
    method: 'POST',
    path: '/otp/verify',
    handler: async (c) => {
      const next = safeNext(field(c, 'next'), '/cases');
      const r = await c.api('POST', '/api/v1/auth/otp/verify', {
        json: { challenge_id: field(c, 'challenge_id'), code: field(c, 'code') },
      });
      if (!r.ok) return otpPage(c, next, '', r.error);
      return redirect(c, next);
    },
  },
  {
    method: 'GET',
    path: '/report',
    roles: SUB,
    handler: async (c) => page(c, c.t('report.title'), reportForm(c)),
  },
  {
    method: 'POST',
    path: '/report',
    roles: SUB,
    handler: async (c) => {
      const imeis = [field(c, 'imei'), field(c, 'imei2')].filter(Boolean);
      const r = await c.api('POST', '/api/v1/subscriber/thefts', {
        json: {
          kind: field(c, 'kind') === 'lost' ? 'lost' : 'stolen',
          imeis,
          police_report: field(c, 'police_report'),
          incident_date: field(c, 'incident_date'),
          place: field(c, 'place'),
        },
      });
      if (!r.ok) return page(c, c.t('report.title'), reportForm(c, r.error), r.status);
      const n = String(r.json.case_number);
      return page(
        c,
        c.t('report.title'),
        html`${notice(c.t('report.done', { case: n }))}
          <p><a href="/cases/${encodeURIComponent(n)}">${c.t('nav.cases')}: ${n}</a></p>`,
        201,
      );
    },
  },
  {
    method: 'GET',
    path: '/cases',
    roles: SUB,
    handler: async (c) => {
      const r = await c.api('GET', '/api/v1/subscriber/cases');
      return page(
        c,
        c.t('cases.title'),
        r.ok
          ? caseTable(c, r.json.cases)
          : notice(c.t('error.api', { message: r.error ?? '' }), 'error'),
      );
    },
  },
  {
    method: 'GET',
    path: '/cases/:case',
    roles: SUB,
    handler: async (c) => {
      const { t } = c;
      const n = c.params.case!;
      const r = await c.api('GET', `/api/v1/subscriber/cases/${encodeURIComponent(n)}`);
      if (!r.ok)
        return page(
          c,
          `${t('cases.case')} ${n}`,
          notice(t('error.api', { message: r.error ?? '' }), 'error'),
          r.status,
        );
      const x = r.json as Record<string, unknown>;
      const open = x.status === 'reported' || x.status === 'confirmed';
      return page(
        c,
        `${t('cases.case')} ${n}`,
        html`<dl>
            <dt>${t('cases.status')}</dt>
            <dd><strong>${caseStatus(c, String(x.status))}</strong></dd>
            <dt>${t('cases.imeis')}</dt>
            <dd>${(x.imeis as string[]).join(', ')}</dd>
            <dt>${t('report.policeReport')}</dt>
            <dd>${String(x.police_report)}</dd>
            <dt>${t('cases.date')}</dt>
            <dd>${String(x.incident_date)}</dd>
            <dt>${t('report.place')}</dt>
            <dd>${String(x.place)}</dd>
            <dt>${t('cases.updated')}</dt>
            <dd>${String(x.updated_at)}</dd>
            ${
              x.note
                ? html`<dt>${t('cases.note')}</dt>
                    <dd>${String(x.note)}</dd>`
                : ''
            }
          </dl>
          ${
            open
              ? html`<form method="post" action="/cases/${encodeURIComponent(n)}/recovery">
                  ${csrfField(c)}<button type="submit">${t('cases.recover')}</button>
                </form>`
              : ''
          }
          <p><a href="/cases">${t('common.back')}</a></p>`,
      );
    },
  },
  {
    method: 'POST',
    path: '/cases/:case/recovery',
    roles: SUB,
    handler: async (c) => {
      const n = c.params.case!;
      const r = await c.api('POST', `/api/v1/subscriber/cases/${encodeURIComponent(n)}/recovery`);
      return page(
        c,
        `${c.t('cases.case')} ${n}`,
        html`${r.ok ? notice(c.t('cases.recovered', { case: n })) : notice(c.t('error.api', { message: r.error ?? '' }), 'error')}
          <p><a href="/cases">${c.t('cases.title')}</a></p>`,
        r.ok ? 200 : r.status,
      );
    },
  },
  {
    method: 'GET',
    path: '/pairing',
    roles: SUB,
    handler: async (c) => pairingsPage(c, pairingForm(c)),
  },
  {
    method: 'POST',
    path: '/pairing',
    roles: SUB,
    handler: async (c) => {
      const reason = field(c, 'reason');
      const r = await c.api('POST', '/api/v1/subscriber/pairings', {
        json: { imei: field(c, 'imei'), imsi: field(c, 'imsi'), ...(reason ? { reason } : {}) },
      });
      if (!r.ok) return pairingsPage(c, pairingForm(c, r.error), r.status);
      return pairingsPage(c, notice(c.t('pairing.done', { id: String(r.json.id) })), 201);
    },
  },
  {
    method: 'GET',
    path: '/appeal',
    roles: SUB,
    handler: async (c) => appealsPage(c, appealForm(c)),
  },
  {
    method: 'POST',
    path: '/appeal',
    roles: SUB,
    handler: async (c) => {
      const name = field(c, 'evidence_name');
      const text = field(c, 'evidence_text');
      const r = await c.api('POST', '/api/v1/subscriber/appeals', {
        json: {
          imei: field(c, 'imei'),
          reason: field(c, 'reason'),
          evidence: text ? [{ name: name || 'evidence', text }] : [],
        },
      });
      if (!r.ok) return appealsPage(c, appealForm(c, r.error), r.status);
      return appealsPage(c, notice(c.t('appeal.done', { id: String(r.json.id) })), 201);
    },
  },
];
