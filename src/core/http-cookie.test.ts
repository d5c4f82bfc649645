import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cookieValue } from './http-cookie.js';

test('cookieValue finds a cookie among others, trimmed, and nothing else', () => {
  const h = 'ceir_lang=fr; ceir_session=abc=def ;x=1';
  assert.equal(cookieValue(h, 'ceir_session'), 'abc=def');
  assert.equal(cookieValue(h, 'ceir_lang'), 'fr');
  assert.equal(cookieValue(h, 'lang'), undefined);
  assert.equal(cookieValue('=v; a', 'a'), undefined);
  assert.equal(cookieValue(undefined, 'a'), undefined);
});
