import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCatalogue } from '../errors.js';

test('error catalogue codes are prefixed', () => {
  for (const code of Object.keys(ErrorCatalogue)) assert.match(code, /^CEIR_ERR_[A-Z_]+$/);
});
