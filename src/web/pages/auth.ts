/** Staff login (username, password) and logout: the API's session cookie is passed to the browser. */
import type { PageCtx } from '../context.js';
import { html } from '../html.js';
import { csrfField, notice, page, redirect } from '../layout.js';
import type { PageRoute } from '../web-app.js';
import { field, textField } from './fields.js';

/** A local path to return to after a login (never another site). */
export function safeNext(v: string | null | undefined, fallback: string): string {
  return v && /^\/(?![/\\])[A-Za-z0-9/_.%-]*$/.test(v) ? v : fallback;
}

const HOME: Readonly<Record<string, string>> = {
  police: '/police',
  importer: '/importer',
  operator: '/operator',
  regulator: '/regulator',
  admin: '/regulator/users',
};

function loginForm(c: PageCtx, next: string, username = '', error?: string) {
  const { t } = c;
  return page(
    c,
    t('login.title'),
    html`${error ? notice(t('error.api', { message: error }), 'error') : ''}
      <form class="stack" method="post" action="/login">
        ${csrfField(c)}<input
          type="hidden"
          name="next"
          value="${next}"
        />${textField('username', t('login.username'), { value: username, required: true, max: 100, autocomplete: 'username' })}${textField('password', t('login.password'), { type: 'password', required: true, max: 200, autocomplete: 'current-password' })}
        <div><button type="submit">${t('login.button')}</button></div>
      </form>`,
    error ? 401 : 200,
  );
}

export const AUTH_PAGES: readonly PageRoute[] = [
  {
    method: 'GET',
    path: '/login',
    handler: async (c) => loginForm(c, safeNext(c.req.query.get('next'), '')),
  },
  {
    method: 'POST',
    path: '/login',
    handler: async (c) => {
      const username = field(c, 'username');
      const r = await c.api('POST', '/api/v1/auth/login', {
        json: { username, password: c.form.fields.get('password') ?? '' },
      });
      const next = safeNext(field(c, 'next'), '');
      if (!r.ok) return loginForm(c, next, username, r.error);
      return redirect(c, next || HOME[String(r.json.role)] || '/');
    },
  },
  {
    method: 'POST',
    path: '/logout',
    handler: async (c) => {
      if (c.me.role !== 'public') await c.api('POST', '/api/v1/auth/logout');
      return redirect(c, '/');
    },
  },
];
