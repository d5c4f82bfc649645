/**
 * Who is calling: a browser session cookie (`ceir_session`, HttpOnly, SameSite=Strict; writes
 * need the session's CSRF token in `x-csrf-token`), a bearer session token (`s.<id>.<secret>`,
 * given at login or OTP verification) or a bearer API key (`k.<id>.<secret>`, for machines). No
 * credentials: the `public` role. Verified sessions and keys are cached for a minute, so a
 * request needs no store access and no scrypt; logout and key resets drop them at once.
 */
import { CeirFailure, ceirError } from '../core/errors.js';
import type { SessionRecord, UserRecord } from '../core/ports/people-store.js';
import type { ApiDeps } from './api-deps.js';
import type { ApiRequest } from './http-types.js';
import type { Principal } from './route-def.js';
import { safeEqual, sha256Hex, verifySecret } from './secrets.js';
import { cookieValue } from '../core/http-cookie.js';

export const SESSION_COOKIE = 'ceir_session';
const CACHE_MS = 60_000;

export const PUBLIC: Principal = Object.freeze({ role: 'public', subject: 'public', via: 'none' });

const unauthenticated = (why: string) =>
  new CeirFailure(ceirError('CEIR_ERR_UNAUTHENTICATED', why));

function userPrincipal(u: UserRecord, via: Principal['via'], sessionId?: string): Principal {
  return {
    role: u.role,
    subject: u.id,
    username: u.username,
    operator: u.operator,
    via,
    ...(sessionId ? { sessionId } : {}),
  };
}

export class Authenticator {
  private readonly sessions = new Map<string, { s: SessionRecord; p: Principal; until: number }>();
  private readonly keys = new Map<string, { secretSha: string; p: Principal; until: number }>();

  constructor(private readonly deps: ApiDeps) {}

  /** Forgets a session (logout) or every cached key (a reset). */
  dropSession(id: string): void {
    this.sessions.delete(id);
  }
  dropKeys(): void {
    this.keys.clear();
  }

  /** The session of a principal (for its CSRF token). */
  sessionOf(p: Principal): SessionRecord | undefined {
    return p.sessionId ? this.sessions.get(p.sessionId)?.s : undefined;
  }

  async principal(req: ApiRequest): Promise<Principal> {
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+([sk])\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(auth);
      if (!m)
        throw unauthenticated(
          'Authorization must be "Bearer k.<id>.<secret>" or "Bearer s.<id>.<secret>"',
        );
      return m[1] === 'k'
        ? this.apiKey(m[2]!, m[3]!)
        : this.session(m[2]!, m[3]!, 'bearer-session');
    }
    const c = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (c) {
      const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(c);
      if (m) {
        try {
          return await this.session(m[1]!, m[2]!, 'cookie');
        } catch {
          return PUBLIC; // a stale cookie: treated as no login
        }
      }
    }
    return PUBLIC;
  }

  private async session(id: string, secret: string, via: Principal['via']): Promise<Principal> {
    const now = this.deps.now().getTime();
    let c = this.sessions.get(id);
    if (!c || c.until < now) {
      const found = await this.deps.store(async (people) => {
        const s = await people.session(id);
        if (!s) return undefined;
        if (s.role === 'subscriber') {
          const msisdn = s.subject.replace(/^msisdn:/, '');
          const p: Principal = {
            role: 'subscriber',
            subject: s.subject,
            msisdn,
            via,
            sessionId: id,
          };
          return { s, p };
        }
        const u = await people.userById(s.subject);
        if (!u || u.disabled) return undefined;
        return { s, p: userPrincipal(u, via, id) };
      });
      if (!found) {
        this.sessions.delete(id);
        throw unauthenticated('The session does not exist or has ended: log in again');
      }
      c = { ...found, until: now + CACHE_MS };
      this.sessions.set(id, c);
    }
    if (Date.parse(c.s.expiresAt) <= now) {
      this.sessions.delete(id);
      throw unauthenticated('The session has expired: log in again');
    }
    if (!safeEqual(sha256Hex(secret), c.s.tokenHash))
      throw unauthenticated('Invalid session token');
    return { ...c.p, via };
  }

  private async apiKey(id: string, secret: string): Promise<Principal> {
    const now = this.deps.now().getTime();
    const c = this.keys.get(id);
    const sha = sha256Hex(secret);
    if (c && c.until >= now) {
      if (!safeEqual(sha, c.secretSha)) throw unauthenticated('Invalid API key');
      return c.p;
    }
    const found = await this.deps.store(async (people) => {
      const k = await people.apiKey(id);
      if (!k || k.revokedAt) return undefined;
      const u = await people.userById(k.userId);
      if (!u || u.disabled) return undefined;
      return { k, u };
    });
    if (!found || !(await verifySecret(secret, found.k.keyHash)))
      throw unauthenticated('Invalid or revoked API key');
    const p = userPrincipal(found.u, 'api-key');
    this.keys.set(id, { secretSha: sha, p, until: now + CACHE_MS });
    return p;
  }
}
