/**
 * Regulator and administrator pages: amnesty, users and API keys (the administrator adds users
 * and makes keys), the audit log search with the hash chain's verification status, and the
 * decisions on pairing requests and appeals.
 */
import { STAFF_ROLES } from '../../core/ports/people-store.js';
import type { PageCtx } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, notice, page, table } from '../layout.js';
import type { PageRoute } from '../web-app.js';
import { field, selectField, textArea, textField } from './fields.js';
import { amnestyForm } from './regulator-save.js';
import { regulatorNav } from './regulator-nav.js';

const STAFF = ['regulator', 'admin'] as const;

async function usersPage(c: PageCtx, top: SafeHtml = html``, status = 200) {
  const { t } = c;
  const r = await c.api('GET', '/api/v1/admin/users');
  if (!r.ok)
    return page(
      c,
      t('users.title'),
      html`${regulatorNav(c)}${notice(t('error.api', { message: r.error ?? '' }), 'error')}`,
      r.status,
    );
  const users = r.json.users as {
    id: string;
    username: string;
    role: string;
    operator: string | null;
    organisation: string;
    disabled: boolean;
    created_at: string;
  }[];
  const keys = r.json.keys as {
    id: string;
    user_id: string;
    created_at: string;
    revoked_at: string | null;
  }[];
  const admin = c.me.role === 'admin';
  const name = new Map(users.map((u) => [u.id, u.username]));
  const resetKey = (id: string) =>
    html`<form method="post" action="/regulator/users/${encodeURIComponent(id)}/key" class="inline">
      ${csrfField(c)}<button type="submit" class="secondary">${t('users.resetKey')}</button>
    </form>`;
  const addForm = admin
    ? html`<h2>${t('users.add')}</h2>
        <form class="stack" method="post" action="/regulator/users">
          ${csrfField(c)}${textField('username', t('users.username'), { required: true, max: 64 })}${selectField(
            'role',
            t('users.role'),
            STAFF_ROLES.map((x) => [x, x]),
          )}${textField('password', t('users.password'), { type: 'password', required: true, max: 200, autocomplete: 'new-password' })}${textField('operator', t('users.operator'), { max: 64 })}${textField('organisation', t('users.organisation'), { max: 200 })}
          <div><button type="submit">${t('users.addButton')}</button></div>
        </form>`
    : '';
  return page(
    c,
    t('users.title'),
    html`${regulatorNav(c)}${top}${table(
      t('users.title'),
      [
        t('users.username'),
        t('users.role'),
        t('users.operator'),
        t('users.organisation'),
        t('users.disabled'),
        t('users.created'),
        ...(admin ? [''] : []),
      ],
      users.map((u) => [
        u.username,
        u.role,
        u.operator ?? '',
        u.organisation,
        u.disabled ? t('common.yes') : t('common.no'),
        u.created_at,
        ...(admin ? [resetKey(u.id)] : []),
      ]),
    )}${table(
      t('users.keys'),
      [t('users.keyId'), t('users.user'), t('users.created'), t('users.revoked')],
      keys.map((k) => [k.id, name.get(k.user_id) ?? k.user_id, k.created_at, k.revoked_at ?? '']),
    )}${addForm}`,
    status,
  );
}

async function auditPage(c: PageCtx) {
  const { t } = c;
  const q = (n: string) => (c.req.query.get(n) ?? '').trim().slice(0, 100);
  const v = await c.api('GET', '/api/v1/regulator/audit/verify');
  const chain = !v.ok
    ? notice(t('error.api', { message: v.error ?? '' }), 'error')
    : v.json.ok
      ? notice(t('audit.chainOk', { entries: v.json.entries, head: String(v.json.head ?? '') }))
      : notice(
          t('audit.chainBroken', { seq: v.json.seq, problem: String(v.json.problem ?? '') }),
          'error',
        );
  const r = await c.api('GET', '/api/v1/regulator/audit', {
    query: {
      actor: q('actor'),
      action: q('action'),
      target: q('target'),
      from: q('from'),
      to: q('to'),
      limit: '200',
    },
  });
  const form = html`<form class="stack" method="get" action="/regulator/audit" role="search">
    ${textField('actor', t('audit.actor'), { value: q('actor'), max: 100 })}${textField('action', t('audit.action'), { value: q('action'), max: 100 })}${textField('target', t('audit.target'), { value: q('target'), max: 100 })}${textField('from', t('audit.from'), { value: q('from'), type: 'date' })}${textField('to', t('audit.to'), { value: q('to'), type: 'date' })}
    <div><button type="submit">${t('audit.search')}</button></div>
  </form>`;
  const entries = (r.ok ? r.json.entries : []) as {
    seq: number;
    at: string;
    actor: string;
    role: string;
    action: string;
    target: string;
    source: string;
    outcome: string;
    detail: unknown;
  }[];
  return page(
    c,
    t('audit.title'),
    html`${regulatorNav(c)}
      <div id="chain">${chain}</div>
      ${form}${r.ok ? '' : notice(t('error.api', { message: r.error ?? '' }), 'error')}${table(
        t('audit.title'),
        [
          t('audit.seq'),
          t('audit.at'),
          t('audit.actor'),
          t('audit.role'),
          t('audit.action'),
          t('audit.target'),
          t('audit.source'),
          t('audit.outcome'),
          'detail',
        ],
        entries.map((e) => [
          e.seq,
          e.at,
          e.actor,
          e.role,
          e.action,
          e.target,
          e.source,
          e.outcome,
          html`<span class="mono">${JSON.stringify(e.detail)}</span>`,
        ]),
        [0],
      )}`,
  );
}

async function decisionsPage(c: PageCtx, top: SafeHtml = html``, status = 200) {
  const { t } = c;
  const [cases, pairings, appeals] = await Promise.all([
    c.api('GET', '/api/v1/regulator/cases'),
    c.api('GET', '/api/v1/regulator/pairings'),
    c.api('GET', '/api/v1/regulator/appeals'),
  ]);
  const pairingForm = (id: string) =>
    html`<form method="post" action="/regulator/pairings/${encodeURIComponent(id)}" class="inline">
      ${csrfField(c)}<button type="submit" name="approve" value="1">
        ${t('decisions.approve')}
      </button>
      <button type="submit" name="approve" value="0" class="secondary">
        ${t('decisions.reject')}
      </button>
    </form>`;
  const appealForm = (id: string) =>
    html`<form method="post" action="/regulator/appeals/${encodeURIComponent(id)}" class="stack">
      ${csrfField(c)}${textArea(`outcome`, t('decisions.outcome'), { required: true, max: 2000 })}
      <div>
        <button type="submit" name="status" value="upheld">${t('decisions.uphold')}</button>
        <button type="submit" name="status" value="dismissed" class="secondary">
          ${t('decisions.dismiss')}
        </button>
      </div>
    </form>`;
  const list = <T>(r: { ok: boolean; json: Record<string, T[]> }, k: string): T[] =>
    r.ok ? (r.json[k] ?? []) : [];
  return page(
    c,
    t('decisions.title'),
    html`${regulatorNav(c)}${top}${table(
      t('cases.title'),
      [t('cases.case'), t('cases.status'), t('cases.imeis'), t('police.reporter'), t('cases.date')],
      list<Record<string, unknown>>(cases, 'cases').map((x) => [
        String(x.case_number),
        String(x.status),
        (x.imeis as string[]).join(', '),
        String(x.msisdn ?? ''),
        String(x.incident_date),
      ]),
    )}${table(
      t('pairing.mine'),
      ['ID', 'IMEI', 'IMSI', 'MSISDN', t('pairing.reason'), ''],
      list<Record<string, string>>(pairings, 'pairings').map((p) => [
        p.id!,
        p.imei!,
        p.imsi!,
        p.msisdn!,
        p.reason!,
        pairingForm(p.id!),
      ]),
    )}${table(
      t('appeal.mine'),
      ['ID', 'IMEI', 'MSISDN', t('appeal.reason'), ''],
      list<Record<string, string>>(appeals, 'appeals').map((a) => [
        a.id!,
        a.imei!,
        a.msisdn!,
        a.reason!,
        appealForm(a.id!),
      ]),
    )}`,
    status,
  );
}

const decided = (c: PageCtx, r: { ok: boolean; error?: string; status: number }) =>
  decisionsPage(
    c,
    r.ok
      ? notice(c.t('decisions.done'))
      : notice(c.t('error.api', { message: r.error ?? '' }), 'error'),
    r.ok ? 200 : r.status,
  );

export const ADMIN_PAGES: readonly PageRoute[] = [
  {
    method: 'GET',
    path: '/regulator/amnesty',
    roles: ['regulator'],
    handler: async (c) => {
      const { t } = c;
      const r = await c.api('GET', '/api/v1/regulator/rules');
      if (!r.ok)
        return page(
          c,
          t('amnesty.title'),
          notice(t('error.api', { message: r.error ?? '' }), 'error'),
          r.status,
        );
      const a = r.json.amnesty as {
        enabled: boolean;
        evaluation_period_end: string | null;
        amnesty_period_end: string | null;
      };
      const eligible = (r.json.conditions as { label?: string; amnesty_eligible?: boolean }[])
        .filter((x) => x.amnesty_eligible)
        .map((x) => x.label ?? '');
      const facts = html`<dl>
        <dt>${t('amnesty.enabled')}</dt>
        <dd>${a.enabled ? t('common.yes') : t('common.no')}</dd>
        <dt>${t('amnesty.evaluationEnd')}</dt>
        <dd>${a.evaluation_period_end ?? '-'}</dd>
        <dt>${t('amnesty.amnestyEnd')}</dt>
        <dd>${a.amnesty_period_end ?? '-'}</dd>
        <dt>${t('amnesty.eligible')}</dt>
        <dd>${eligible.length ? eligible.join(', ') : '-'}</dd>
      </dl>`;
      return page(
        c,
        t('amnesty.title'),
        html`${regulatorNav(c)}
          <p>${t('amnesty.intro')}</p>
          ${facts}${amnestyForm(c, a)}`,
      );
    },
  },
  { method: 'GET', path: '/regulator/users', roles: STAFF, handler: (c) => usersPage(c) },
  {
    method: 'POST',
    path: '/regulator/users',
    roles: ['admin'],
    handler: async (c) => {
      const opt = (n: string) => (field(c, n) ? { [n]: field(c, n) } : {});
      const r = await c.api('POST', '/api/v1/admin/users', {
        json: {
          username: field(c, 'username'),
          role: field(c, 'role'),
          password: c.form.fields.get('password') ?? '',
          ...opt('operator'),
          ...opt('organisation'),
        },
      });
      return usersPage(
        c,
        r.ok
          ? notice(c.t('users.added', { username: String(r.json.username) }))
          : notice(c.t('error.api', { message: r.error ?? '' }), 'error'),
        r.ok ? 201 : r.status,
      );
    },
  },
  {
    method: 'POST',
    path: '/regulator/users/:id/key',
    roles: ['admin'],
    handler: async (c) => {
      const r = await c.api('POST', `/api/v1/admin/users/${encodeURIComponent(c.params.id!)}/key`);
      return usersPage(
        c,
        r.ok
          ? notice(
              html`${c.t('users.newKey', { user: String(r.json.user_id), key: '' })}<code
                  class="mono"
                  >${String(r.json.api_key)}</code
                >`,
            )
          : notice(c.t('error.api', { message: r.error ?? '' }), 'error'),
        r.ok ? 200 : r.status,
      );
    },
  },
  { method: 'GET', path: '/regulator/audit', roles: STAFF, handler: auditPage },
  {
    method: 'GET',
    path: '/regulator/decisions',
    roles: ['regulator'],
    handler: (c) => decisionsPage(c),
  },
  {
    method: 'POST',
    path: '/regulator/pairings/:id',
    roles: ['regulator'],
    handler: async (c) =>
      decided(
        c,
        await c.api(
          'POST',
          `/api/v1/regulator/pairings/${encodeURIComponent(c.params.id!)}/decision`,
          { json: { approve: field(c, 'approve') === '1' } },
        ),
      ),
  },
  {
    method: 'POST',
    path: '/regulator/appeals/:id',
    roles: ['regulator'],
    handler: async (c) =>
      decided(
        c,
        await c.api(
          'POST',
          `/api/v1/regulator/appeals/${encodeURIComponent(c.params.id!)}/decision`,
          {
            json: {
              status: field(c, 'status') === 'upheld' ? 'upheld' : 'dismissed',
              outcome: field(c, 'outcome'),
            },
          },
        ),
      ),
  },
];
