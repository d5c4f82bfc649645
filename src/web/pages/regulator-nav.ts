/** The regulator's sub-navigation. */
import type { PageCtx } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import type { MessageKey } from '../i18n/index.js';

const LINKS: readonly [string, MessageKey, readonly string[]][] = [
  ['/regulator', 'regulator.nav.dashboard', ['regulator']],
  ['/regulator/rules', 'regulator.nav.rules', ['regulator']],
  ['/regulator/amnesty', 'regulator.nav.amnesty', ['regulator']],
  ['/regulator/decisions', 'regulator.nav.cases', ['regulator']],
  ['/regulator/users', 'regulator.nav.users', ['regulator', 'admin']],
  ['/regulator/audit', 'regulator.nav.audit', ['regulator', 'admin']],
];

export function regulatorNav(c: PageCtx): SafeHtml {
  return html`<nav class="subnav" aria-label="${c.t('nav.regulator')}">
    <ul>
      ${LINKS.filter(([, , roles]) => roles.includes(c.me.role)).map(
        ([href, key]) =>
          html`<li>
            <a href="${href}" ${href === c.req.path ? html` aria-current="page"` : ''}
              >${c.t(key)}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}
