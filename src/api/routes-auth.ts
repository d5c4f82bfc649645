/**
 * Logins: staff by username and password (scrypt), subscribers by a one-time code sent to their
 * MSISDN through the SMS gateway port (expires, single use, limited attempts and sends). Both
 * give a session: an HttpOnly SameSite cookie for browsers (writes need the CSRF token) and the
 * same session as a bearer token for scripts.
 */
import { CeirFailure, ceirError } from '../core/errors.js';
import { parseMsisdn } from '../core/ids/index.js';
import { ROLES } from '../core/ports/people-store.js';
import { json } from './http-types.js';
import type { RouteDef } from './route-def.js';
import { OkSchema, SessionSchema, nullableStr, obj, role, str } from './schemas.js';
import { otpCode, randomId, safeEqual, sha256Hex, verifySecret } from './secrets.js';
import { CLEAR_COOKIE, newSession } from './sessions.js';

const LOGGED_IN = ROLES.filter((r) => r !== 'public');
const unauth = (m: string) => new CeirFailure(ceirError('CEIR_ERR_UNAUTHENTICATED', m));

/**
 * Codes sent per MSISDN in the last hour, per API instance (in memory: a restart forgets, which
 * errs towards sending).
 */
const sentBy = new WeakMap<object, Map<string, number[]>>();

export const AUTH_ROUTES: readonly RouteDef[] = [
  {
    id: 'login',
    method: 'POST',
    path: '/api/v1/auth/login',
    tag: 'auth',
    summary: 'Staff login (police, importer, operator, regulator, admin): a session',
    roles: ['public'],
    body: {
      type: 'json',
      schema: obj({ username: str({ maxLength: 100 }), password: str({ maxLength: 200 }) }),
    },
    responses: {
      200: { description: 'Session (also set as an HttpOnly cookie)', schema: SessionSchema },
    },
    handler: async ({ body, deps, audit }) => {
      const b = body as { username: string; password: string };
      audit.target = b.username;
      const u = await deps.store((p) => p.userByName(b.username));
      // The hash is checked even for an unknown user, so timing does not tell which exist.
      const ok = await verifySecret(
        b.password,
        u?.passwordHash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA',
      );
      if (!u || !ok || u.disabled) throw unauth('Wrong username or password');
      return newSession(deps, u.role, u.id);
    },
  },
  {
    id: 'logout',
    method: 'POST',
    path: '/api/v1/auth/logout',
    tag: 'auth',
    summary: 'End the session',
    roles: LOGGED_IN,
    responses: { 200: { description: 'Logged out', schema: OkSchema } },
    handler: async ({ principal, deps, auth }) => {
      if (principal.sessionId) {
        const id = principal.sessionId;
        await deps.store((p) => p.deleteSession(id));
        auth.dropSession(id);
      }
      return json(200, { ok: true }, { 'set-cookie': CLEAR_COOKIE });
    },
  },
  {
    id: 'me',
    method: 'GET',
    path: '/api/v1/auth/me',
    tag: 'auth',
    summary: 'Who is calling: role, user, operator, and the CSRF token of a browser session',
    roles: ['public'],
    audited: false,
    responses: {
      200: {
        description: 'The caller',
        schema: obj(
          { role, subject: str(), username: str(), operator: nullableStr, csrf_token: str() },
          ['role', 'subject'],
        ),
      },
    },
    handler: async ({ principal, deps }) => {
      const session = principal.sessionId
        ? await deps.store((p) => p.session(principal.sessionId!))
        : undefined;
      return json(200, {
        role: principal.role,
        subject: principal.subject,
        ...(principal.username ? { username: principal.username } : {}),
        ...(principal.operator !== undefined ? { operator: principal.operator } : {}),
        ...(session ? { csrf_token: session.csrfToken } : {}),
      });
    },
  },
  {
    id: 'otpRequest',
    method: 'POST',
    path: '/api/v1/auth/otp',
    tag: 'auth',
    summary: 'Send a one-time code by SMS to the subscriber’s MSISDN',
    roles: ['public'],
    body: { type: 'json', schema: obj({ msisdn: str({ maxLength: 20 }) }) },
    responses: {
      202: {
        description: 'Code sent',
        schema: obj({ challenge_id: str(), expires_at: str(), digits: { type: 'integer' } }),
      },
    },
    handler: async ({ body, deps, audit }) => {
      const m = parseMsisdn((body as { msisdn: string }).msisdn);
      if (m.kind !== 'ok') throw new CeirFailure(ceirError('CEIR_ERR_USAGE', m.message));
      const o = deps.settings.otp;
      const now = deps.now();
      audit.target = `msisdn:${m.value}`;
      let sent = sentBy.get(deps);
      if (!sent) sentBy.set(deps, (sent = new Map()));
      const recent = (sent.get(m.value) ?? []).filter((t) => now.getTime() - t < 3_600_000);
      if (recent.length >= o.perMsisdnPerHour)
        throw new CeirFailure(
          ceirError(
            'CEIR_ERR_RATE_LIMITED',
            `At most ${o.perMsisdnPerHour} codes an hour are sent to one number`,
          ),
        );
      sent.set(m.value, [...recent, now.getTime()]);
      const code = otpCode(o.digits);
      const id = randomId(12);
      const expiresAt = new Date(now.getTime() + o.ttlSeconds * 1000).toISOString();
      await deps.store((p) =>
        p.addOtp({
          id,
          msisdn: m.value,
          codeHash: sha256Hex(`${id}:${code}`),
          expiresAt,
          attempts: 0,
          usedAt: null,
          createdAt: now.toISOString(),
        }),
      );
      await deps.sms.send({
        msisdn: m.value,
        text: `Your CEIR code is ${code}. It expires in ${Math.round(o.ttlSeconds / 60)} minutes. Never share it.`,
      });
      audit.detail = { challenge: id };
      return json(202, { challenge_id: id, expires_at: expiresAt, digits: o.digits });
    },
  },
  {
    id: 'otpVerify',
    method: 'POST',
    path: '/api/v1/auth/otp/verify',
    tag: 'auth',
    summary: 'Prove the MSISDN with the code: a subscriber session',
    roles: ['public'],
    body: {
      type: 'json',
      schema: obj({ challenge_id: str({ maxLength: 64 }), code: str({ maxLength: 12 }) }),
    },
    responses: { 200: { description: 'Subscriber session', schema: SessionSchema } },
    handler: async ({ body, deps, audit }) => {
      const b = body as { challenge_id: string; code: string };
      audit.target = `otp:${b.challenge_id}`;
      const now = deps.now();
      const o = deps.settings.otp;
      const verdict = await deps.store(async (p) => {
        const c = await p.otp(b.challenge_id);
        if (!c) return 'No such code: request a new one';
        if (c.usedAt) return 'This code was already used: request a new one';
        if (Date.parse(c.expiresAt) <= now.getTime())
          return 'This code has expired: request a new one';
        const n = await p.otpAttempt(c.id);
        if (n > o.maxAttempts) return 'Too many wrong codes: request a new one';
        if (!safeEqual(sha256Hex(`${c.id}:${b.code}`), c.codeHash))
          return `Wrong code (${o.maxAttempts - n} attempts left)`;
        if (!(await p.useOtp(c.id, now.toISOString()))) return 'This code was already used';
        return { msisdn: c.msisdn };
      });
      if (typeof verdict === 'string') throw unauth(verdict);
      audit.detail = { msisdn: verdict.msisdn };
      return newSession(deps, 'subscriber', `msisdn:${verdict.msisdn}`);
    },
  },
];
