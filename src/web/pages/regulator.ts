/**
 * Regulator pages: the dashboard (devices seen, blocked, pending; by condition, by operator, by
 * month, as inline SVG charts with the same figures in tables), running classification and lists,
 * the rule dry run (how many IMEIs a condition would match before it is saved, then Save) and
 * amnesty.
 */
import { DIMENSION_MODULES } from '../../core/rules/condition.js';
import { barChart, columnChart, fmt, stackedBarChart } from '../chart.js';
import type { PageCtx } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, notice, page, table } from '../layout.js';
import type { PageRoute } from '../web-app.js';
import { field, selectField, textArea, textField } from './fields.js';
import { regulatorNav } from './regulator-nav.js';
import { rulesSource, saveRuleForm } from './regulator-save.js';

const REG = ['regulator'] as const;

interface Dashboard {
  devices_seen: number;
  blocked: number;
  pending: number;
  list_run: number | null;
  as_of: string | null;
  by_condition: { condition: string; imeis: number; blocking: boolean }[];
  by_operator: { operator: string; imeis: number; blocked: number; pending: number }[];
  by_month: { month: string; imeis: number; new_imeis: number }[];
}

function dashboard(c: PageCtx, d: Dashboard): SafeHtml {
  const { t } = c;
  const card = (label: string, v: number) =>
    html`<div class="card"><span>${label}</span><strong>${fmt(v)}</strong></div>`;
  return html`<div class="cards">
      ${card(t('regulator.seen'), d.devices_seen)}${card(t('regulator.blocked'), d.blocked)}${card(t('regulator.pending'), d.pending)}
    </div>
    ${
      d.list_run !== null
        ? html`<p>${t('regulator.asOf', { run: d.list_run, asOf: d.as_of ?? '-' })}</p>`
        : ''
    }
    <h2>${t('regulator.byCondition')}</h2>
    ${barChart({
      id: 'chart-condition',
      title: t('regulator.byCondition'),
      bars: d.by_condition.map((x) => ({ label: x.condition, value: x.imeis })),
    })}${table(
      t('regulator.byCondition'),
      [t('regulator.condition'), t('regulator.imeis'), t('rules.blocking')],
      d.by_condition.map((x) => [
        x.condition,
        fmt(x.imeis),
        x.blocking ? t('common.yes') : t('common.no'),
      ]),
      [1],
    )}
    <h2>${t('regulator.byOperator')}</h2>
    ${stackedBarChart({
      id: 'chart-operator',
      title: t('regulator.byOperator'),
      series: [
        { name: t('regulator.blocked'), color: '#D55E00' },
        { name: t('regulator.pending'), color: '#E69F00' },
        { name: t('regulator.other'), color: '#0072B2' },
      ],
      rows: d.by_operator.map((x) => ({
        label: x.operator,
        values: [x.blocked, x.pending, Math.max(0, x.imeis - x.blocked - x.pending)],
      })),
    })}${table(
      t('regulator.byOperator'),
      [
        t('regulator.operator'),
        t('regulator.imeis'),
        t('regulator.blocked'),
        t('regulator.pending'),
      ],
      d.by_operator.map((x) => [x.operator, fmt(x.imeis), fmt(x.blocked), fmt(x.pending)]),
      [1, 2, 3],
    )}
    <h2>${t('regulator.byMonth')}</h2>
    ${columnChart({
      id: 'chart-month',
      title: t('regulator.byMonth'),
      bars: d.by_month.map((x) => ({ label: x.month, value: x.imeis })),
    })}
    <h3>${t('regulator.newByMonth')}</h3>
    ${columnChart({
      id: 'chart-month-new',
      title: t('regulator.newByMonth'),
      color: '#CC79A7',
      bars: d.by_month.map((x) => ({ label: x.month, value: x.new_imeis })),
    })}${table(
      t('regulator.byMonth'),
      [t('regulator.month'), t('regulator.imeis'), t('regulator.new')],
      d.by_month.map((x) => [x.month, fmt(x.imeis), fmt(x.new_imeis)]),
      [1, 2],
    )}`;
}

async function dashboardPage(c: PageCtx, top: SafeHtml = html``, status = 200) {
  const { t } = c;
  const r = await c.api('GET', '/api/v1/regulator/dashboard');
  const classify = html`<form method="post" action="/regulator/classify">
    ${csrfField(c)}<button type="submit">${t('regulator.classify')}</button>
  </form>`;
  return page(
    c,
    t('regulator.title'),
    html`${regulatorNav(c)}${top}${r.ok ? dashboard(c, r.json as Dashboard) : notice(t('error.api', { message: r.error ?? '' }), 'error')}${classify}`,
    status,
  );
}

/** A condition in its configuration form (snake_case, as `GET /api/v1/regulator/rules` gives it). */
interface RawCondition {
  label?: string;
  reason?: string;
  blocking?: boolean;
  grace_period_days?: number;
  max_allowed_matching_ratio?: number;
  amnesty_eligible?: boolean;
  sticky?: boolean;
  dimensions?: { module?: string; parameters?: Record<string, unknown>; invert?: boolean }[];
}

const NEW_RULE: RawCondition = {
  label: 'new_rule',
  reason: '',
  grace_period_days: 30,
  max_allowed_matching_ratio: 0.1,
  dimensions: [{ module: 'duplicate_threshold', parameters: { threshold: 3, period_days: 30 } }],
};

/** The dry-run form: a posted form keeps its values; otherwise a condition in force or a new one. */
function ruleForm(c: PageCtx, preset: RawCondition = NEW_RULE): SafeHtml {
  const { t } = c;
  const posted = c.req.method === 'POST';
  const d = preset.dimensions?.[0] ?? {};
  const v = (n: string, fallback: string) => (posted ? field(c, n) : fallback);
  const flag = (n: string, on: boolean | undefined) => (posted ? field(c, n) === '1' : !!on);
  const check = (n: string, label: string, on: boolean | undefined) =>
    html`<div>
      <input
        type="checkbox"
        id="f-${n}"
        name="${n}"
        value="1"
        ${flag(n, on) ? html` checked` : ''}
      />
      <label for="f-${n}" class="inline">${label}</label>
    </div>`;
  return html`<form class="stack" method="post" action="/regulator/rules">
      ${csrfField(c)}${textField('label', t('rules.label'), { value: v('label', preset.label ?? ''), required: true, max: 64 })}${textField('reason', t('rules.reason'), { value: v('reason', preset.reason ?? ''), required: true, max: 200 })}${check('blocking', t('rules.blocking'), preset.blocking)}${check('sticky', t('rules.sticky'), preset.sticky)}${check('amnesty_eligible', t('amnesty.eligibleOne'), preset.amnesty_eligible)}${textField('grace_period_days', t('rules.grace'), { value: v('grace_period_days', String(preset.grace_period_days ?? 30)), type: 'number', required: true })}${textField('max_allowed_matching_ratio', t('rules.maxRatio'), { value: v('max_allowed_matching_ratio', String(preset.max_allowed_matching_ratio ?? 0.1)), required: true, max: 10 })}${selectField(
        'module',
        t('rules.module'),
        DIMENSION_MODULES.map((m) => [m, m]),
        v('module', d.module ?? 'duplicate_threshold'),
      )}${textArea('parameters', t('rules.parameters'), { value: v('parameters', JSON.stringify(d.parameters ?? {})), max: 2000 })}${check('invert', t('rules.invert'), d.invert)}
      <div><button type="submit">${t('rules.dryRun')}</button></div>
    </form>
    <h2>${t('rules.save')}</h2>
    <p>${t('rules.saveHint')}</p>`;
}

/** The conditions in force, each with a link to try a change of it. */
function rulesInForce(
  c: PageCtx,
  conditions: readonly RawCondition[],
  version: number | null,
): SafeHtml {
  const { t } = c;
  return table(
    t('rules.inForce', { version: version ?? '-' }),
    [
      t('rules.label'),
      t('rules.reason'),
      t('rules.blocking'),
      t('rules.grace'),
      t('rules.maxRatio'),
      t('rules.module'),
      '',
    ],
    conditions.map((x) => [
      x.label ?? '',
      x.reason ?? '',
      x.blocking ? t('common.yes') : t('common.no'),
      String(x.grace_period_days ?? ''),
      String(x.max_allowed_matching_ratio ?? ''),
      (x.dimensions ?? [])
        .map(
          (d) => `${d.invert ? 'not ' : ''}${d.module ?? ''} ${JSON.stringify(d.parameters ?? {})}`,
        )
        .join(' & '),
      html`<a href="/regulator/rules?from=${encodeURIComponent(x.label ?? '')}"
        >${t('rules.tryChange')}</a
      >`,
    ]),
  );
}

function impact(c: PageCtx, x: Record<string, number | string | boolean>): SafeHtml {
  const { t } = c;
  return html`<section aria-labelledby="impact">
    <h2 id="impact">${t('rules.impact', { label: String(x.label), asOf: String(x.as_of) })}</h2>
    ${table(
      t('rules.impact', { label: String(x.label), asOf: String(x.as_of) }),
      [
        t('rules.seen'),
        t('rules.wouldMatch'),
        t('rules.current'),
        t('rules.added'),
        t('rules.removed'),
        t('rules.ratio'),
      ],
      [
        [
          fmt(Number(x.seen)),
          fmt(Number(x.would_match)),
          fmt(Number(x.currently_matched)),
          fmt(Number(x.added)),
          fmt(Number(x.removed)),
          `${Number(x.ratio).toFixed(4)} (${Number(x.max_ratio)})`,
        ],
      ],
      [0, 1, 2, 3, 4],
    )}${x.refused ? notice(t('rules.refused'), 'error') : notice(t('rules.accepted'))}
  </section>`;
}

export const REGULATOR_PAGES: readonly PageRoute[] = [
  { method: 'GET', path: '/regulator', roles: REG, handler: (c) => dashboardPage(c) },
  {
    method: 'POST',
    path: '/regulator/classify',
    roles: REG,
    handler: async (c) => {
      const r = await c.api('POST', '/api/v1/regulator/jobs/classify');
      const top = r.ok
        ? notice(c.t('regulator.classified', { c: r.json.classification_run, l: r.json.list_run }))
        : notice(c.t('error.api', { message: r.error ?? '' }), 'error');
      return dashboardPage(c, top, r.ok ? 200 : r.status);
    },
  },
  {
    method: 'GET',
    path: '/regulator/rules',
    roles: REG,
    handler: async (c) => {
      const { t } = c;
      const r = await c.api('GET', '/api/v1/regulator/rules');
      const conditions = (r.ok ? r.json.conditions : []) as RawCondition[];
      const from = c.req.query.get('from');
      const preset = conditions.find((x) => x.label === from);
      return page(
        c,
        t('rules.title'),
        html`${regulatorNav(c)}${r.ok ? html`${rulesSource(c, r.json)}${rulesInForce(c, conditions, r.json.version)}` : notice(t('error.api', { message: r.error ?? '' }), 'error')}
          <h2>${t('rules.dryRun')}</h2>
          <p>${t('rules.intro')}</p>
          ${ruleForm(c, preset)}`,
      );
    },
  },
  {
    method: 'POST',
    path: '/regulator/rules',
    roles: REG,
    handler: async (c) => {
      const { t } = c;
      let parameters: unknown;
      try {
        parameters = JSON.parse(field(c, 'parameters') || '{}');
      } catch {
        parameters = undefined;
      }
      if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))
        return page(
          c,
          t('rules.title'),
          html`${regulatorNav(c)}${notice(t('rules.badParameters'), 'error')}${ruleForm(c)}`,
          400,
        );
      const condition = {
        label: field(c, 'label'),
        reason: field(c, 'reason'),
        blocking: field(c, 'blocking') === '1',
        amnesty_eligible: field(c, 'amnesty_eligible') === '1',
        sticky: field(c, 'sticky') === '1',
        grace_period_days: Number(field(c, 'grace_period_days')),
        max_allowed_matching_ratio: Number(field(c, 'max_allowed_matching_ratio')),
        dimensions: [
          {
            module: field(c, 'module'),
            ...(Object.keys(parameters).length ? { parameters } : {}),
            ...(field(c, 'invert') === '1' ? { invert: true } : {}),
          },
        ],
      };
      const r = await c.api('POST', '/api/v1/regulator/rules/dry-run', { json: { condition } });
      // Saving is offered once the dry run shows a run would be accepted.
      const top = r.ok
        ? html`${impact(c, r.json)}${r.json.refused ? '' : saveRuleForm(c, condition)}`
        : notice(t('error.api', { message: r.error ?? '' }), 'error');
      return page(
        c,
        t('rules.title'),
        html`${regulatorNav(c)}${top}${ruleForm(c)}`,
        r.ok ? 200 : r.status,
      );
    },
  },
];
