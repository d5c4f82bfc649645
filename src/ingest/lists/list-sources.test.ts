import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveHeader } from '../delimited-reader.js';
import {
  checkDdMonYyyy,
  checkYyyymmdd,
  isActiveStatus,
  LIST_SPECS,
  requiredColumns,
  rowParser,
  type RowCheck,
} from './list-sources.js';
import type { ListKind } from '../../core/ports/store.js';

function parse(list: ListKind, header: string, row: string, mode: 'full' | 'delta' = 'full') {
  const spec = LIST_SPECS[list];
  const h = resolveHeader(header.split(spec.delimiter), requiredColumns(spec, mode), {
    file: 'f',
    line: 1,
  });
  assert.ok(h.kind === 'ok', JSON.stringify(h));
  return rowParser(spec, h.value, mode)(row.split(spec.delimiter));
}

function okRow(r: RowCheck) {
  assert.ok(r.kind === 'ok', JSON.stringify(r));
  return r.row;
}

test('stolen: DIRBS IMEI normalisation, status lower-cased, date checked', () => {
  const r = okRow(
    parse('stolen', 'imei,reporting_date,status', ' 22345678901233ab ,20240229,BlackList'),
  );
  assert.equal(r.key, '22345678901233');
  assert.equal(r.imeiNorm, '22345678901233');
  assert.equal(r.tac, '22345678');
  assert.equal(r.status, 'blacklist');
  assert.deepEqual(r.attrs, { reporting_date: '20240229' });
  assert.equal(
    okRow(parse('stolen', 'status,imei,reporting_date', ',52003020863612#,')).key,
    '52003020863612',
  );

  const bad = parse('stolen', 'imei,reporting_date,status', '22a456789012345,20240101,');
  assert.deepEqual(bad, {
    kind: 'invalid',
    field: 'imei',
    rule: 'imei_format',
    message: 'Cannot parse IMEI "22a456789012345": does not start with 14 digits',
  });
  const date = parse('stolen', 'imei,reporting_date,status', '22345678901233,20230229,');
  assert.ok(date.kind === 'invalid' && date.field === 'reporting_date');
  assert.equal(date.rule, 'date_yyyymmdd');
});

test('status semantics: stolen blocks on empty/blacklist, registration registers on empty/whitelist', () => {
  assert.ok(isActiveStatus(LIST_SPECS.stolen, ''));
  assert.ok(isActiveStatus(LIST_SPECS.stolen, 'BLACKLIST'));
  assert.ok(!isActiveStatus(LIST_SPECS.stolen, 'resolved'));
  assert.ok(isActiveStatus(LIST_SPECS.registration, 'whitelist'));
  assert.ok(!isActiveStatus(LIST_SPECS.registration, 'blacklist'));
  assert.ok(isActiveStatus(LIST_SPECS.golden, 'anything'));
});

test('registration: approved IMEI key, other columns in attrs, extras kept by name', () => {
  const header =
    'approved_imei,make,model,status,model_number,brand_name,device_type,radio_interface,device_id,zz,aa';
  const r = okRow(
    parse('registration', header, '352099001761481,Acme,X1,,M1,Acme,Smartphone,LTE,7,z,a'),
  );
  assert.equal(r.key, '35209900176148');
  assert.equal(r.status, '');
  assert.deepEqual(Object.keys(r.attrs), [
    'make',
    'model',
    'model_number',
    'brand_name',
    'device_type',
    'radio_interface',
    'device_id',
    'aa',
    'zz',
  ]);
});

test('pairing: key IMEI + IMSI, IMSI and MSISDN checked', () => {
  const r = okRow(
    parse('pairing', 'imei,imsi,msisdn', '35209900176148,001010123456789,+491701234567'),
  );
  assert.equal(r.key, '35209900176148:001010123456789');
  assert.equal(r.imsi, '001010123456789');
  assert.equal(r.msisdn, '491701234567');
  const imsi = parse('pairing', 'imei,imsi,msisdn', '35209900176148,1234567890123456,');
  assert.ok(imsi.kind === 'invalid' && imsi.field === 'imsi' && imsi.rule === 'imsi_format');
  const msisdn = parse('pairing', 'imei,imsi,msisdn', '35209900176148,001010123456789,12x');
  assert.ok(msisdn.kind === 'invalid' && msisdn.field === 'msisdn');
});

test('golden, barred, monitoring by IMEI; barred TAC by 8-digit TAC', () => {
  assert.equal(okRow(parse('golden', 'Golden_IMEI', '35209900176148')).key, '35209900176148');
  assert.equal(okRow(parse('barred', 'imei', '35209900176148')).key, '35209900176148');
  assert.equal(okRow(parse('monitoring', 'imei', '35209900176148')).key, '35209900176148');
  assert.equal(okRow(parse('barred_tac', 'tac', ' 35209900 ')).key, '35209900');
  const t = parse('barred_tac', 'tac', '3520990');
  assert.ok(t.kind === 'invalid' && t.field === 'tac' && t.rule === 'tac_format');
});

test('GSMA TAC: pipe header, caps from Bands, allocation date, extra columns kept', () => {
  const header =
    'TAC|Marketing Name|Internal Model Name|Manufacturer|Bands|Allocation Date|Country Code|Fixed Code|Manufacturer Code|Radio Interface|Brand Name|Model Name|Operating System|NFC|Bluetooth|WLAN|Device Type|Extra';
  const row =
    '41277777|P|G|B|GSM 1800, WCDMA FDD Band I, LTE 2100|26-Apr-2013|404|MANU|910124|GPRS|Great|Phone4|NK|NK|NK|NK|Handheld|x';
  const r = okRow(parse('gsma_tac', header, row));
  assert.equal(r.key, '41277777');
  assert.equal(r.caps, 1 | 2 | 4);
  assert.equal(r.attrs.marketing_name, 'P');
  assert.equal(r.attrs.extra, 'x');
  assert.equal(r.attrs.bands, 'GSM 1800, WCDMA FDD Band I, LTE 2100');
  const d = parse('gsma_tac', header, row.replace('26-Apr-2013', '2013-04-26'));
  assert.ok(d.kind === 'invalid' && d.field === 'allocation_date' && d.rule === 'date_dd_mon_yyyy');
});

test('delta form: change_type required and checked; field count checked', () => {
  const r = okRow(parse('barred', 'imei,change_type', '35209900176148,ADD', 'delta'));
  assert.equal(r.changeType, 'add');
  const c = parse('barred', 'imei,change_type', '35209900176148,replace', 'delta');
  assert.ok(c.kind === 'invalid' && c.field === 'change_type');
  const n = parse('barred', 'imei', '35209900176148,extra');
  assert.ok(n.kind === 'invalid' && n.rule === 'field_count');
});

test('date checks', () => {
  assert.equal(checkYyyymmdd('20240229'), undefined);
  assert.ok(checkYyyymmdd('20241301'));
  assert.ok(checkYyyymmdd('2024-01-01'));
  assert.equal(checkDdMonYyyy('01-Jan-2001'), undefined);
  assert.equal(checkDdMonYyyy('1-feb-2001'), undefined);
  assert.ok(checkDdMonYyyy('31-Feb-2001'));
  assert.ok(checkDdMonYyyy('01-Foo-2001'));
});
