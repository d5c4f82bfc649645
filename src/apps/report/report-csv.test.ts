import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../listgen/csv.js';
import { COMBINATION_SEPARATOR, reportTables, tableCsv } from './report-csv.js';
import { FIXTURE_REPORT as R } from './report-fixture.js';
import { parseReportJson, reportJson } from './report-json.js';

test('one CSV per table, each a round trip of its rows (quotes, commas, line breaks)', () => {
  const tables = reportTables(R);
  assert.deepEqual(
    tables.map((t) => t.name),
    [
      'figures',
      'conditions',
      'combinations',
      'top_models',
      'imsi_distribution',
      'blacklisted_seen',
    ],
  );
  for (const t of tables) {
    const text = tableCsv(t);
    assert.ok(text.endsWith('\n'));
    assert.deepEqual(parseCsv(text.slice(0, -1)), [t.header, ...t.rows], t.name);
  }
});

test('CSV rows carry the report figures', () => {
  const t = Object.fromEntries(reportTables(R).map((x) => [x.name, x]));
  assert.deepEqual(t.figures!.rows[0], [
    'alpha',
    'Alpha <Mobile>',
    '1234567',
    '1100000',
    '1100001',
    '1500000',
    '1200000',
    '30000',
    '4567',
    '12',
    '345',
  ]);
  assert.deepEqual(t.figures!.rows[2]!.slice(0, 3), ['*', 'Test & "land"', '1240000']);
  assert.deepEqual(t.conditions!.rows[1], [
    'alpha',
    'not_registered',
    'false',
    'Device <not> registered',
    '5000',
  ]);
  assert.deepEqual(t.combinations!.rows[1], [
    'alpha',
    `not_registered${COMBINATION_SEPARATOR}stolen`,
    'true',
    '1000',
  ]);
  assert.deepEqual(t.top_models!.rows[1], ['beta', '1', 'Zed', 'Z1', 'Zed\nLtd', '4000']);
  assert.equal(t.imsi_distribution!.rows.length, 21);
  assert.deepEqual(t.blacklisted_seen!.rows[3], ['alpha', '3+', '13']);
  const csv = tableCsv(t.top_models!);
  assert.match(csv, /^scope,rank,brand,model,manufacturer,imeis\n/);
  assert.match(csv, /"Acme, ""Inc"""/);
  assert.match(csv, /"Zed\nLtd"/);
});

test('JSON round trip', () => {
  const text = reportJson(R);
  assert.ok(text.endsWith('}\n'));
  assert.deepEqual(parseReportJson(text), R);
});
