import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { luhnCheckDigit } from '../core/ids/index.js';
import { APP_CSS, APP_JS } from './assets.js';

test('property: the page script computes the same IMEI check digit as the server', () => {
  const sandbox: { ceirLuhn?: (d: string) => number } = {};
  runInNewContext(APP_JS, sandbox);
  const luhn = sandbox.ceirLuhn!;
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{14}$/), (key) => {
      assert.equal(luhn(key), luhnCheckDigit(key));
    }),
  );
});

test('the script and stylesheet are small and carry no inline-style or eval tricks', () => {
  assert.ok(Buffer.byteLength(APP_JS) < 10 * 1024, `${Buffer.byteLength(APP_JS)} bytes of script`);
  assert.doesNotMatch(APP_JS, /\beval\(|new Function|innerHTML/);
  assert.doesNotMatch(APP_CSS, /@import|url\(/);
});
