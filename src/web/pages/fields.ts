/** Form fields with their labels, hints and the live IMEI message (the script fills it). */
import type { PageCtx } from '../context.js';
import { html, type SafeHtml } from '../html.js';

let ids = 0;

/** An IMEI input: `inputmode=numeric`, its check digit checked as you type by /assets/app.js. */
export function imeiField(
  c: PageCtx,
  name: string,
  label: string,
  value = '',
  required = true,
  hint?: string,
): SafeHtml {
  const id = `f-${name}`;
  const live = `${id}-live-${(ids = (ids + 1) % 1000)}`;
  const hintId = `${id}-hint`;
  return html`<div>
    <label for="${id}">${label}</label
    >${hint ? html`<p class="hint" id="${hintId}">${hint}</p>` : ''}<input
      type="text"
      id="${id}"
      name="${name}"
      value="${value}"
      inputmode="numeric"
      autocomplete="off"
      maxlength="40"
      ${required ? html` required` : ''}
      aria-describedby="${hint ? `${hintId} ` : ''}${live}"
      data-imei="${live}"
      data-msg-digits="${c.t('js.badDigits')}"
      data-msg-long="${c.t('js.tooLong')}"
      data-msg-check="${c.t('js.checkDigit')}"
      data-msg-ok="${c.t('js.ok')}"
    />
    <p class="live" id="${live}" aria-live="polite"></p>
  </div>`;
}

export function textField(
  name: string,
  label: string,
  o: {
    value?: string;
    type?: string;
    required?: boolean;
    hint?: string;
    max?: number;
    autocomplete?: string;
  } = {},
): SafeHtml {
  const id = `f-${name}`;
  return html`<div>
    <label for="${id}">${label}</label
    >${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}<input
      type="${o.type ?? 'text'}"
      id="${id}"
      name="${name}"
      value="${o.value ?? ''}"
      ${o.required ? html` required` : ''}${o.max ? html` maxlength="${o.max}"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.hint ? html` aria-describedby="${id}-hint"` : ''}
    />
  </div>`;
}

export function textArea(
  name: string,
  label: string,
  o: { value?: string; required?: boolean; max?: number } = {},
): SafeHtml {
  const id = `f-${name}`;
  return html`<div>
    <label for="${id}">${label}</label
    ><textarea
      id="${id}"
      name="${name}"
      rows="4"
      ${o.required ? html` required` : ''}${o.max ? html` maxlength="${o.max}"` : ''}
    >
${o.value ?? ''}</textarea>
  </div>`;
}

export function selectField(
  name: string,
  label: string,
  options: readonly [string, string][],
  value?: string,
): SafeHtml {
  const id = `f-${name}`;
  return html`<div>
    <label for="${id}">${label}</label
    ><select id="${id}" name="${name}">
      ${options.map(
        ([v, text]) =>
          html`<option value="${v}" ${v === value ? html` selected` : ''}>${text}</option>`,
      )}
    </select>
  </div>`;
}

export function fileField(name: string, label: string, accept: string): SafeHtml {
  const id = `f-${name}`;
  return html`<div>
    <label for="${id}">${label}</label
    ><input type="file" id="${id}" name="${name}" accept="${accept}" required />
  </div>`;
}

/** A form field's value, trimmed. */
export const field = (c: PageCtx, name: string): string => (c.form.fields.get(name) ?? '').trim();
