/**
 * The page shell: language attribute, title, the one stylesheet and the one deferred script, a
 * skip link, the main navigation (public pages for everyone, the staff area of the logged-in
 * role), the language switch, logout, and `<main id="main">` holding the page.
 */
import type { PageCtx } from './context.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';
import { LANG_CODES, LANGUAGES } from './i18n/index.js';
import type { MessageKey } from './i18n/index.js';
import { PAGE_HEADERS } from './security.js';
import type { WebResponse } from './web-types.js';

const STAFF_HOME: Readonly<Record<string, [string, MessageKey]>> = {
  police: ['/police', 'nav.police'],
  importer: ['/importer', 'nav.importer'],
  operator: ['/operator', 'nav.operator'],
  regulator: ['/regulator', 'nav.regulator'],
  admin: ['/regulator/users', 'nav.regulator'],
};

/** The hidden CSRF field every POST form carries. */
export const csrfField = (c: PageCtx): SafeHtml =>
  html`<input type="hidden" name="_csrf" value="${c.csrf}" />`;

export function notice(text: HtmlValue, kind: 'info' | 'error' = 'info'): SafeHtml {
  return html`<div
    class="notice${kind === 'error' ? ' error' : ''}"
    role="${kind === 'error' ? 'alert' : 'status'}"
  >
    ${text}
  </div>`;
}

function nav(c: PageCtx): SafeHtml {
  const { t } = c;
  const links: [string, MessageKey][] = [
    ['/', 'nav.check'],
    ['/find-imei', 'nav.findImei'],
    ['/report', 'nav.report'],
    ['/cases', 'nav.cases'],
    ['/pairing', 'nav.pairing'],
    ['/appeal', 'nav.appeal'],
  ];
  const staff = STAFF_HOME[c.me.role];
  if (staff) links.push(staff);
  const current = (href: string) => (href === c.req.path ? 'page' : null);
  return html`<nav aria-label="${t('nav.main')}">
    <ul>
      ${links.map(
        ([href, key]) =>
          html`<li>
            <a href="${href}" ${current(href) ? html` aria-current="page"` : ''}>${t(key)}</a>
          </li>`,
      )}
    </ul>
  </nav>`;
}

function who(c: PageCtx): SafeHtml {
  const { t } = c;
  const langs = html`<span
    >${t('nav.language')}:
    ${LANG_CODES.map(
      (l) =>
        html` <a
          href="${c.req.path}?lang=${l}"
          hreflang="${l}"
          lang="${l}"
          ${l === c.lang ? html` aria-current="true"` : ''}
          >${LANGUAGES[l]!['lang.name']}</a
        >`,
    )}</span
  >`;
  if (c.me.role === 'public')
    return html`<div class="who">${langs} <a href="/login">${t('nav.login')}</a></div>`;
  const name = c.me.username ?? c.me.subject.replace(/^msisdn:/, '');
  return html`<div class="who">
    ${langs}<span>${t('nav.signedIn', { who: name, role: c.me.role })}</span>
    <form method="post" action="/logout">
      ${csrfField(c)}<button type="submit">${t('nav.logout')}</button>
    </form>
  </div>`;
}

const cookies = (c: PageCtx): Record<string, string[]> =>
  c.setCookies.length ? { 'set-cookie': c.setCookies } : {};

export function page(c: PageCtx, title: string, body: HtmlValue, status = 200): WebResponse {
  const { t } = c;
  const doc = html`<!doctype html>
    <html lang="${c.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – ${t('site.name')}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">${t('nav.skip')}</a>
        <header>
          <a class="brand" href="/">${t('site.name')}</a
          ><span class="tagline">${t('site.tagline')}</span>${nav(c)}${who(c)}
        </header>
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          ${body}
        </main>
        <footer>${t('site.name')} · ${t('site.tagline')}</footer>
      </body>
    </html>`;
  return {
    status,
    headers: { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', ...cookies(c) },
    body: doc.text,
    raw: true,
  };
}

export function redirect(c: PageCtx, location: string): WebResponse {
  return {
    status: 303,
    headers: { ...PAGE_HEADERS, location, ...cookies(c) },
    body: '',
    raw: true,
  };
}

/** A table: caption, header cells and rows (every cell escaped). */
export function table(
  caption: string,
  head: readonly string[],
  rows: readonly (readonly HtmlValue[])[],
  numeric: readonly number[] = [],
): SafeHtml {
  return html`<div class="scroll">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${head.map((h) => html`<th scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              ${r.map((cell, i) => (numeric.includes(i) ? html`<td class="num">${cell}</td>` : html`<td>${cell}</td>`))}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
