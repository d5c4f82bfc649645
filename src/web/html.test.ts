import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { html, escapeHtml, SafeHtml } from './html.js';

test('interpolations are escaped; nested html is kept', () => {
  const name = '<script>alert("x")</script>';
  const out = html`<p title="${name}">${name}${html`<b>${'&'}</b>`}</p>`.text;
  assert.equal(
    out,
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<b>&amp;</b></p>',
  );
});

test('arrays are joined, null, undefined and false omitted, numbers shown', () => {
  assert.equal(html`${[1, null, 'a<', undefined, false, html`<i></i>`]}`.text, '1a&lt;<i></i>');
});

test('property: no escaped string contains markup characters, and unescaping gives it back', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const e = escapeHtml(s);
      assert.ok(!/[<>"']/.test(e));
      const back = e
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&quot;', '"')
        .replaceAll('&#39;', "'")
        .replaceAll('&amp;', '&');
      assert.equal(back, s);
      assert.ok(html`${s}` instanceof SafeHtml);
    }),
  );
});
