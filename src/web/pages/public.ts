/**
 * Public pages (no login): the IMEI check (one or two IMEIs: status in plain words, brand and
 * model, block date, reasons; check-digit typos caught as you type and, without script, by the
 * answer with the corrected IMEI) and how to find your IMEI (*#06#).
 */
import type { PageCtx } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { notice, page } from '../layout.js';
import type { PageRoute } from '../web-app.js';
import { imeiField } from './fields.js';

interface CheckJson {
  input: string;
  valid: boolean;
  problem?: 'check_digit' | 'length' | 'characters';
  suggestion?: string;
  imei?: string;
  status?: 'allowed' | 'pending' | 'blocked' | 'unknown';
  block_date?: string | null;
  reasons?: string[];
  device?: { brand: string; model: string; manufacturer: string } | null;
}

/** "Brand Model", without repeating a brand the model name already starts with. */
export function deviceName(brand: string, model: string): string {
  return (model.toLowerCase().startsWith(brand.toLowerCase()) ? model : `${brand} ${model}`).trim();
}

function checkForm(c: PageCtx, imei = '', imei2 = ''): SafeHtml {
  const { t } = c;
  return html`<p>${t('check.intro')}</p>
    <form class="stack" method="get" action="/check" role="search">
      ${imeiField(c, 'imei', t('check.imei'), imei, true, t('check.hint'))}${imeiField(c, 'imei2', t('check.imei2'), imei2, false)}
      <div><button type="submit">${t('check.button')}</button></div>
    </form>`;
}

function result(c: PageCtx, r: CheckJson): SafeHtml {
  const { t } = c;
  if (!r.valid) {
    const digits = r.input.replace(/[\s.\-/]/g, '').length;
    return html`<section class="status invalid" aria-labelledby="r-${r.input.length}">
      <h3 id="r-${r.input.length}">${r.input}</h3>
      <p>${t(`check.invalid.${r.problem ?? 'characters'}`, { n: digits })}</p>
      ${
        r.suggestion
          ? html`<p>
              <a href="/check?imei=${encodeURIComponent(r.suggestion)}"
                >${t('check.didYouMean', { imei: r.suggestion })}</a
              >
            </p>`
          : ''
      }
      <p class="hint">${t('check.hint')}</p>
    </section>`;
  }
  const status = r.status ?? 'unknown';
  const text = t(`check.status.${status}`, { date: r.block_date ?? '?' });
  const device = r.device ? deviceName(r.device.brand, r.device.model) : t('check.unknownDevice');
  const reasons = r.reasons ?? [];
  return html`<section class="status ${status}" aria-labelledby="r-${r.imei}">
    <h3 id="r-${r.imei}">IMEI ${r.imei}</h3>
    <p><strong>${text}</strong></p>
    <dl>
      <dt>${t('check.device')}</dt>
      <dd>${device}</dd>
      ${
        r.block_date
          ? html`<dt>${t('check.blockDate')}</dt>
              <dd>${r.block_date}</dd>`
          : ''
      }
      <dt>${t('check.reasons')}</dt>
      <dd>
        ${
          reasons.length
            ? html`<ul>
                ${reasons.map((x) => html`<li>${x}</li>`)}
              </ul>`
            : t('check.noReasons')
        }
      </dd>
    </dl>
  </section>`;
}

export const PUBLIC_PAGES: readonly PageRoute[] = [
  {
    method: 'GET',
    path: '/',
    handler: async (c) => page(c, c.t('check.title'), checkForm(c)),
  },
  {
    method: 'GET',
    path: '/check',
    handler: async (c) => {
      const imei = (c.req.query.get('imei') ?? '').slice(0, 40);
      const imei2 = (c.req.query.get('imei2') ?? '').slice(0, 40);
      if (!imei.trim()) return page(c, c.t('check.title'), checkForm(c, '', imei2));
      const r = await c.api('GET', '/api/v1/public/check', {
        query: { imei, imei2: imei2.trim() || undefined },
      });
      const body = r.ok
        ? html`<h2>${c.t('check.results')}</h2>
            <div aria-live="polite">${(r.json.checks as CheckJson[]).map((x) => result(c, x))}</div>
            <p class="hint">
              ${c.t('check.dataVersion', { version: String(r.json.data_version) })}
            </p>`
        : notice(c.t('error.api', { message: r.error ?? '' }), 'error');
      return page(
        c,
        c.t('check.title'),
        html`${body}${checkForm(c, imei, imei2)}`,
        r.ok ? 200 : r.status,
      );
    },
  },
  {
    method: 'GET',
    path: '/find-imei',
    handler: async (c) => {
      const { t } = c;
      return page(
        c,
        t('find.title'),
        html`<ol>
            <li>
              <p><strong>*#06#</strong> — ${t('find.dial')}</p>
            </li>
            <li><p>${t('find.box')}</p></li>
            <li><p>${t('find.settings')}</p></li>
          </ol>
          <p>${t('find.keep')}</p>
          <p><a class="button" href="/">${t('nav.check')}</a></p>`,
      );
    },
  },
];
