import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCatalogue, ceirError, formatError } from './errors.js';

test('every error code is documented in docs/errors.md with its mappings', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/errors.md', import.meta.url)), 'utf8');
  for (const [code, e] of Object.entries(ErrorCatalogue)) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\``));
    assert.ok(row, `${code} missing from docs/errors.md`);
    const cells = row.split('|').map((c) => c.trim());
    assert.deepEqual(cells.slice(3, 6).map(Number), [e.http, e.diameter, e.exit], code);
  }
});

test('codes are unique, prefixed, and exit codes are non-zero', () => {
  for (const [code, e] of Object.entries(ErrorCatalogue)) {
    assert.match(code, /^CEIR_ERR_[A-Z_]+$/);
    assert.ok(e.exit > 0);
  }
});

test('formatError names file, line, field and rule', () => {
  const e = ceirError(
    'CEIR_ERR_PARSE',
    'Cannot parse date "x"',
    { file: 'a.csv', line: 7, field: 'date' },
    'date',
  );
  assert.equal(
    formatError(e),
    'CEIR_ERR_PARSE: a.csv:7 field "date": Cannot parse date "x" [rule date]',
  );
});
