/**
 * Headers of every UI response: a Content-Security-Policy with no inline script or style
 * (`script-src 'self'`: only /assets/app.js), no framing, no referrer, no MIME sniffing. Forms may
 * post only to this site (`form-action 'self'`).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** The cookie holding the CSRF token of forms shown before a login (double-submit). */
export const PRE_SESSION_COOKIE = 'ceir_form';
export const LANG_COOKIE = 'ceir_lang';

export const newFormToken = (): string => randomBytes(18).toString('base64url');

export function sameToken(a: string | undefined | null, b: string | undefined | null): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
