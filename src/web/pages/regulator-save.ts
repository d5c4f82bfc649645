/**
 * Saving a rule change (issues #5/#6): after a dry run the regulator saves the condition as a new
 * rule version (it replaces the condition of the same label, or is added), and changes the
 * amnesty settings the same way (`POST /api/v1/regulator/rules`; the conditions stay as they are).
 * Every form carries the CSRF token; the API reports every problem of a refused change.
 */
import type { PageCtx } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, notice, page } from '../layout.js';
import type { PageRoute } from '../web-app.js';
import { field, textArea, textField } from './fields.js';
import { regulatorNav } from './regulator-nav.js';

const REG = ['regulator'] as const;

export interface AmnestyView {
  readonly enabled: boolean;
  readonly evaluation_period_end: string | null;
  readonly amnesty_period_end: string | null;
}

/** The Save form shown under a dry run's impact: the condition travels as JSON in the form. */
export function saveRuleForm(c: PageCtx, condition: Record<string, unknown>): SafeHtml {
  const { t } = c;
  return html`<form class="stack" method="post" action="/regulator/rules/save">
    ${csrfField(c)}<input type="hidden" name="condition" value="${JSON.stringify(condition)}" />
    ${textArea('note', t('rules.note'), { required: true, max: 1000 })}
    <div><button type="submit">${t('rules.saveButton')}</button></div>
  </form>`;
}

/** Who saved the rules in force, or that they come from the configuration file. */
export function rulesSource(
  c: PageCtx,
  r: { version: number | null; saved?: { by: string; at: string; note: string } },
): SafeHtml {
  const { t } = c;
  return r.saved
    ? html`<p>${t('rules.savedBy', { version: r.version ?? '-', ...r.saved })}</p>`
    : html`<p>${t('rules.fromConfig')}</p>`;
}

export function amnestyForm(c: PageCtx, a: AmnestyView): SafeHtml {
  const { t } = c;
  return html`<h2>${t('amnesty.change')}</h2>
    <p>${t('amnesty.unavailable')}</p>
    <form class="stack" method="post" action="/regulator/amnesty">
      ${csrfField(c)}
      <div>
        <input
          type="checkbox"
          id="f-enabled"
          name="enabled"
          value="1"
          ${a.enabled ? html` checked` : ''}
        />
        <label for="f-enabled" class="inline">${t('amnesty.enabled')}</label>
      </div>
      ${textField('evaluation_period_end', t('amnesty.evaluationEnd'), { type: 'date', value: a.evaluation_period_end ?? '' })}${textField('amnesty_period_end', t('amnesty.amnestyEnd'), { type: 'date', value: a.amnesty_period_end ?? '' })}${textArea('note', t('rules.note'), { required: true, max: 1000 })}
      <div><button type="submit">${t('amnesty.save')}</button></div>
    </form>`;
}

/** Saves the current conditions with changes; the page says what happened. */
async function save(
  c: PageCtx,
  title: string,
  change: (conditions: Record<string, unknown>[]) => {
    conditions: Record<string, unknown>[];
    amnesty?: AmnestyView;
  },
  back: SafeHtml,
) {
  const { t } = c;
  const cur = await c.api('GET', '/api/v1/regulator/rules');
  if (!cur.ok)
    return page(
      c,
      title,
      notice(t('error.api', { message: cur.error ?? '' }), 'error'),
      cur.status,
    );
  const body = {
    ...change(cur.json.conditions as Record<string, unknown>[]),
    note: field(c, 'note'),
  };
  const r = await c.api('POST', '/api/v1/regulator/rules', { json: body });
  const top = r.ok
    ? notice(t('rules.saved', { version: r.json.version }))
    : notice(t('error.api', { message: r.error ?? '' }), 'error');
  return page(c, title, html`${regulatorNav(c)}${top}${back}`, r.ok ? 200 : r.status);
}

export const RULE_SAVE_PAGES: readonly PageRoute[] = [
  {
    method: 'POST',
    path: '/regulator/rules/save',
    roles: REG,
    handler: async (c) => {
      const { t } = c;
      let condition: unknown;
      try {
        condition = JSON.parse(field(c, 'condition'));
      } catch {
        condition = undefined;
      }
      if (typeof condition !== 'object' || condition === null || Array.isArray(condition))
        return page(
          c,
          t('rules.title'),
          html`${regulatorNav(c)}${notice(t('rules.badCondition'), 'error')}`,
          400,
        );
      const cond = condition as Record<string, unknown>;
      return save(
        c,
        t('rules.title'),
        (conditions) => {
          const i = conditions.findIndex((x) => x.label === cond.label);
          return {
            conditions:
              i < 0 ? [...conditions, cond] : conditions.map((x, j) => (j === i ? cond : x)),
          };
        },
        html`<p><a href="/regulator/rules">${t('rules.title')}</a></p>`,
      );
    },
  },
  {
    method: 'POST',
    path: '/regulator/amnesty',
    roles: REG,
    handler: (c) =>
      save(
        c,
        c.t('amnesty.title'),
        (conditions) => ({
          conditions,
          amnesty: {
            enabled: field(c, 'enabled') === '1',
            evaluation_period_end: field(c, 'evaluation_period_end') || null,
            amnesty_period_end: field(c, 'amnesty_period_end') || null,
          },
        }),
        html`<p><a href="/regulator/amnesty">${c.t('amnesty.title')}</a></p>`,
      ),
  },
];
