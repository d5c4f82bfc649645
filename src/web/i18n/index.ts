/**
 * Languages of the UI: every string lives in one file per language (`en.ts`, `fr.ts`). The
 * language is `?lang=` (remembered in a cookie), else the cookie, else the best match of the
 * browser's Accept-Language (RFC 9110 section 12.5.4 q-values), else English.
 */
import { en, type MessageKey } from './en.js';
import { fr } from './fr.js';
import type { Messages } from './messages.js';

export type { MessageKey } from './en.js';

export const LANGUAGES: Readonly<Record<string, Messages>> = { en, fr };
export type Lang = 'en' | 'fr';
export const LANG_CODES: readonly Lang[] = ['en', 'fr'];

export type Translate = (
  key: MessageKey,
  params?: Readonly<Record<string, string | number>>,
) => string;

const isLang = (s: string | undefined | null): s is Lang =>
  !!s && (LANG_CODES as string[]).includes(s);

/** The best supported language of an Accept-Language header, or undefined. */
export function fromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...ps] = part.trim().split(';');
      const q = ps.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { tag: (tag ?? '').trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0 && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    const base = r.tag.split('-')[0];
    if (isLang(base)) return base;
  }
  return undefined;
}

export function pickLang(
  query: string | null | undefined,
  cookie: string | undefined,
  acceptLanguage: string | undefined,
): Lang {
  if (isLang(query)) return query;
  if (isLang(cookie)) return cookie;
  return fromAcceptLanguage(acceptLanguage) ?? 'en';
}

export function translator(lang: Lang): Translate {
  const m = LANGUAGES[lang] ?? en;
  return (key, params) => {
    const s = m[key] ?? en[key];
    return params
      ? s.replace(/\{(\w+)\}/g, (all, k: string) => (k in params ? String(params[k]) : all))
      : s;
  };
}

export const messageKeys = (): MessageKey[] => Object.keys(en) as MessageKey[];
