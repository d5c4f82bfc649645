import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from './en.js';
import { fr } from './fr.js';
import { fromAcceptLanguage, pickLang, translator } from './index.js';

test('Accept-Language: the highest q-value of a supported language wins', () => {
  assert.equal(fromAcceptLanguage('de-DE, fr-CA;q=0.8, en;q=0.5'), 'fr');
  assert.equal(fromAcceptLanguage('en-GB;q=0.2, fr;q=0.9'), 'fr');
  assert.equal(fromAcceptLanguage('fr;q=0, en'), 'en');
  assert.equal(fromAcceptLanguage('de'), undefined);
  assert.equal(fromAcceptLanguage(undefined), undefined);
});

test('?lang= beats the cookie, which beats the header; unknown values are ignored', () => {
  assert.equal(pickLang('fr', 'en', 'en'), 'fr');
  assert.equal(pickLang('xx', 'fr', 'en'), 'fr');
  assert.equal(pickLang(null, undefined, 'fr-FR'), 'fr');
  assert.equal(pickLang(null, undefined, undefined), 'en');
});

test('placeholders are filled; the French file has the same placeholders as the English one', () => {
  assert.equal(translator('en')('report.done', { case: 'TC-1' }).includes('TC-1'), true);
  assert.equal(translator('fr')('nav.check'), 'Vérifier un IMEI');
  const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const k of Object.keys(en) as (keyof typeof en)[]) {
    assert.ok(fr[k].length > 0, k);
    assert.deepEqual(holes(fr[k]), holes(en[k]), `placeholders of ${k}`);
  }
});
