/**
 * Output escaping by construction: `html` is a tagged template whose interpolations are escaped
 * unless they are already `SafeHtml` (made only by `html` itself, or by `trusted` for fixed
 * markup such as the SVG charts built from escaped parts). A page is one `SafeHtml` value, so a
 * string from a request or the API can reach the browser only as text.
 */

/** Markup that is safe to send as is. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type HtmlValue =
  SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/** Text for an HTML text node or a quoted attribute value (also inside inline SVG). */
export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function render(v: HtmlValue): string {
  if (v instanceof SafeHtml) return v.text;
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** html`<p>${userText}</p>`: every interpolation is escaped (arrays joined, null/false omitted). */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Marks fixed markup as safe: only for text the code built itself from escaped parts. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
