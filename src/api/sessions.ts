/** Making a login session: random id and secret (only its SHA-256 is stored), CSRF token, cookie. */
import type { Role, SessionRecord } from '../core/ports/people-store.js';
import type { ApiDeps } from './api-deps.js';
import { SESSION_COOKIE } from './auth.js';
import { json, type ApiResponse } from './http-types.js';
import { randomId, randomToken, sha256Hex } from './secrets.js';

export async function newSession(
  deps: ApiDeps,
  role: Exclude<Role, 'public'>,
  subject: string,
): Promise<ApiResponse> {
  const id = randomId(12);
  const secret = randomToken(24);
  const now = deps.now();
  const ttl = deps.settings.sessionTtlSeconds;
  const s: SessionRecord = {
    id,
    tokenHash: sha256Hex(secret),
    csrfToken: randomToken(18),
    role,
    subject,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttl * 1000).toISOString(),
  };
  await deps.store((people) => people.addSession(s));
  const cookie = `${SESSION_COOKIE}=${id}.${secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${ttl}${deps.settings.secureCookies ? '; Secure' : ''}`;
  return json(
    200,
    { token: `s.${id}.${secret}`, csrf_token: s.csrfToken, role, subject, expires_at: s.expiresAt },
    { 'set-cookie': cookie },
  );
}

export const CLEAR_COOKIE = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
