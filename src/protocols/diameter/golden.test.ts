/**
 * Golden wire bytes (open5gs style): every message we send or accept has an annotated hex file in
 * `testdata/`; encoding must produce exactly those bytes and decoding them must give the fields.
 * Regenerate with UPDATE_GOLDEN=1 (then check the diff, and tshark.test.ts, by hand).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GOLDEN, IMEI, SESSION_ID, fromAnnotatedHex, toAnnotatedHex } from './golden-messages.js';
import { decodeMessage } from './message.js';
import { decodeMeIdentityCheckRequest } from './s13-request-decoder.js';
import { decodeMeIdentityCheckAnswer } from './s13.js';
import {
  parseCapabilitiesExchangeAnswer,
  parseCapabilitiesExchangeRequest,
  parsePeerAnswer,
  parsePeerRequest,
} from './base.js';

/** From dist/protocols/diameter/ or src/protocols/diameter/ to the source testdata folder. */
const TESTDATA = fileURLToPath(
  new URL('../../../src/protocols/diameter/testdata/', import.meta.url),
);

for (const g of GOLDEN) {
  test(`golden ${g.name}: encode equals testdata/${g.name}.hex and decodes`, () => {
    const file = `${TESTDATA}${g.name}.hex`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, toAnnotatedHex(g.bytes, g.name));
    const fixture = fromAnnotatedHex(readFileSync(file, 'utf8'));
    assert.equal(g.bytes.toString('hex'), fixture.toString('hex'));

    const d = decodeMessage(fixture);
    assert.equal(d.kind, 'ok');
    if (d.kind !== 'ok') return;
    const m = d.message;
    const e = g.expected;
    assert.equal(m.commandCode, e.cmd);
    assert.equal(m.applicationId, e.app);
    assert.equal((m.flags & 0x80) !== 0, e.request, 'R bit');
    assert.equal((m.flags & 0x40) !== 0, e.proxiable, 'P bit');
    assert.equal((m.flags & 0x20) !== 0, e.error, 'E bit');

    if (e.cmd === 316 && e.request) {
      const r = decodeMeIdentityCheckRequest(fixture);
      assert.equal(r.kind === 'error' && r.resultCode, 3001);
    } else if (e.cmd === 324 && e.request) {
      const r = decodeMeIdentityCheckRequest(fixture);
      if (g.name === 'ecr') {
        assert.equal(r.kind, 'ok');
        if (r.kind !== 'ok') return;
        assert.equal(r.request.sessionId, SESSION_ID);
        assert.equal(r.request.terminalInformation.imei, IMEI);
        assert.equal(r.request.terminalInformation.softwareVersion, '01');
        assert.equal(r.request.userName, '001010123456789');
        assert.equal(r.request.authSessionState, 1);
      } else {
        assert.equal(r.kind, 'error');
        if (r.kind !== 'error') return;
        assert.equal(r.resultCode, g.name === 'ecr-no-imei' ? 5005 : 5001);
        assert.equal(r.context?.sessionId, SESSION_ID);
      }
    } else if (e.cmd === 324 || e.cmd === 316) {
      const a = decodeMeIdentityCheckAnswer(e.cmd === 316 ? withCommand(fixture, 324) : fixture);
      assert.equal(a.kind, 'ok');
      if (a.kind !== 'ok') return;
      assert.equal(a.answer.sessionId, SESSION_ID);
      assert.equal(a.answer.resultCode, e.resultCode);
      assert.equal(a.answer.experimentalResult?.code, e.experimentalResultCode);
      assert.equal(a.answer.equipmentStatus, e.equipmentStatus);
      assert.equal(a.answer.failedAvp !== undefined, e.failedAvp === true);
    } else if (e.cmd === 257) {
      const c = e.request
        ? parseCapabilitiesExchangeRequest(m)
        : parseCapabilitiesExchangeAnswer(m);
      assert.equal(c.kind, 'ok', JSON.stringify(c));
      if (c.kind !== 'ok') return;
      assert.deepEqual(c.value.vendorSpecificApplicationIds, [
        { vendorId: 10415, authApplicationId: 16777252 },
      ]);
      if (!e.request) assert.equal((c.value as { resultCode?: number }).resultCode, 2001);
    } else {
      const p = e.request ? parsePeerRequest(m) : parsePeerAnswer(m);
      assert.equal(p.kind, 'ok', JSON.stringify(p));
    }
  });
}

function withCommand(b: Buffer, cmd: number): Buffer {
  const c = Buffer.from(b);
  c.writeUIntBE(cmd, 5, 3);
  return c;
}
