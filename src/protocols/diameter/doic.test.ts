import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeAvps, encodeAvps } from './avp.js';
import { Avp, avp } from './dictionary.js';
import {
  OC_DEFAULT_VALIDITY_S,
  OC_OLR_DEFAULT_ALGO,
  OcReportType,
  encodeOcOlr,
  encodeOcSupportedFeatures,
  findDoic,
  readOcFeatureVector,
} from './doic.js';
import { decodeMessage } from './message.js';
import { encodePcap } from './pcap.js';
import { decodeMeIdentityCheckRequest } from './s13-request-decoder.js';
import { encodeMeIdentityCheckAnswer, encodeMeIdentityCheckRequest } from './s13.js';

const report = fc.record({
  sequenceNumber: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  reportType: fc.constantFrom(OcReportType.HOST_REPORT, OcReportType.REALM_REPORT),
  reductionPercentage: fc.integer({ min: 0, max: 100 }),
  validityDuration: fc.integer({ min: 0, max: 86_400 }),
});

function avpsOf(bytes: Buffer) {
  const d = decodeAvps(bytes);
  assert.equal(d.kind, 'ok');
  return d.kind === 'ok' ? d.avps : [];
}

test('OC-OLR and OC-Supported-Features round-trip through the generic decoder', () => {
  fc.assert(
    fc.property(report, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (r, fv) => {
      const bytes = Buffer.concat([encodeOcSupportedFeatures(fv), encodeOcOlr(r)]);
      const found = findDoic(avpsOf(bytes));
      assert.equal(found.featureVector, fv);
      assert.deepEqual(found.report, { ...r });
      // RFC 7683 AVPs go without the M bit, so that a peer without DOIC ignores them.
      for (const a of avpsOf(bytes)) assert.equal(a.flags & 0x40, 0);
    }),
  );
});

test('out-of-range reports are refused', () => {
  const base = { sequenceNumber: 1n, reportType: 0, reductionPercentage: 10, validityDuration: 5 };
  assert.throws(() => encodeOcOlr({ ...base, reductionPercentage: 101 }), RangeError);
  assert.throws(() => encodeOcOlr({ ...base, reductionPercentage: -1 }), RangeError);
  assert.throws(() => encodeOcOlr({ ...base, validityDuration: 86_401 }), RangeError);
});

test('a missing OC-Validity-Duration means the default 30 s; a missing sequence drops the report', () => {
  const olr = (members: Parameters<typeof encodeAvps>[0]) =>
    avpsOf(encodeAvps([avp(Avp.OcOlr, members)]));
  const r = findDoic(
    olr([avp(Avp.OcSequenceNumber, 7n), avp(Avp.OcReportType, OcReportType.HOST_REPORT)]),
  );
  assert.equal(r.report?.validityDuration, OC_DEFAULT_VALIDITY_S);
  assert.equal(r.report?.reductionPercentage, 0);
  assert.equal(findDoic(olr([avp(Avp.OcReportType, 0)])).report, undefined);
});

test('readOcFeatureVector: the vector, 0n without one, undefined for a broken payload', () => {
  const inner = (b: Buffer) => b.subarray(8); // payload of the outer grouped AVP
  const withVector = inner(encodeOcSupportedFeatures(5n));
  assert.equal(readOcFeatureVector(withVector, 0, withVector.length), 5n);
  const empty = inner(encodeAvps([avp(Avp.OcSupportedFeatures, [])]));
  assert.equal(readOcFeatureVector(empty, 0, empty.length), 0n);
  const other = inner(encodeAvps([avp(Avp.OcSupportedFeatures, [avp(Avp.VendorId, 1)])]));
  assert.equal(readOcFeatureVector(other, 0, other.length), 0n);
  const broken = Buffer.from([0, 0, 2, 110, 0, 0, 0, 99]);
  assert.equal(readOcFeatureVector(broken, 0, broken.length), undefined);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const b = Buffer.from(bytes);
      const v = readOcFeatureVector(b, 0, b.length);
      assert.ok(v === undefined || typeof v === 'bigint');
    }),
  );
  // Any 64-bit vector reads back as encoded (small ones come from a table of made values).
  fc.assert(
    fc.property(
      fc.oneof(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
      (vector) => {
        const b = inner(encodeOcSupportedFeatures(vector));
        assert.equal(readOcFeatureVector(b, 0, b.length), vector);
      },
    ),
  );
});

const request = {
  hopByHop: 1,
  endToEnd: 2,
  sessionId: 'mme;1;doic',
  originHost: 'mme.test',
  originRealm: 'test',
  destinationRealm: 'ceir.test',
  terminalInformation: { imei: '35693803564380' },
};

test('the ECR decoder reads OC-Supported-Features; an ECA carries the DOIC trailer', () => {
  const ecr = encodeMeIdentityCheckRequest({
    ...request,
    extraAvps: [avp(Avp.OcSupportedFeatures, [avp(Avp.OcFeatureVector, OC_OLR_DEFAULT_ALGO)])],
  });
  const d = decodeMeIdentityCheckRequest(ecr);
  assert.ok(d.kind === 'ok');
  assert.equal(d.request.ocFeatureVector, OC_OLR_DEFAULT_ALGO);
  const plain = decodeMeIdentityCheckRequest(encodeMeIdentityCheckRequest(request));
  assert.ok(plain.kind === 'ok');
  assert.equal(plain.request.ocFeatureVector, undefined);

  const olr = { sequenceNumber: 9n, reportType: 0, reductionPercentage: 40, validityDuration: 10 };
  const eca = encodeMeIdentityCheckAnswer({
    request: d.request,
    originHost: 'eir.test',
    originRealm: 'test',
    result: { kind: 'result', code: 3004 },
    trailer: Buffer.concat([encodeOcSupportedFeatures(OC_OLR_DEFAULT_ALGO), encodeOcOlr(olr)]),
  });
  const m = decodeMessage(eca);
  assert.ok(m.kind === 'ok');
  assert.equal(m.message.bytes.length, eca.length);
  const found = findDoic(m.message.avps);
  assert.equal(found.featureVector, OC_OLR_DEFAULT_ALGO);
  assert.deepEqual(found.report, olr);
});

const tshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
test(
  'tshark decodes the DOIC AVPs of an ECR and an ECA',
  {
    skip: !tshark && process.env.CI !== 'true' ? 'tshark not found: apt-get install tshark' : false,
  },
  () => {
    assert.ok(tshark, 'tshark is required in CI');
    const ecr = encodeMeIdentityCheckRequest({
      ...request,
      extraAvps: [avp(Avp.OcSupportedFeatures, [avp(Avp.OcFeatureVector, OC_OLR_DEFAULT_ALGO)])],
    });
    const d = decodeMeIdentityCheckRequest(ecr);
    assert.ok(d.kind === 'ok');
    const olr = {
      sequenceNumber: 1_764_460_800_123n,
      reportType: OcReportType.HOST_REPORT,
      reductionPercentage: 35,
      validityDuration: 10,
    };
    const eca = encodeMeIdentityCheckAnswer({
      request: d.request,
      originHost: 'eir.test',
      originRealm: 'test',
      result: { kind: 'status', equipmentStatus: 0 },
      trailer: Buffer.concat([encodeOcSupportedFeatures(OC_OLR_DEFAULT_ALGO), encodeOcOlr(olr)]),
    });
    const dir = mkdtempSync(join(tmpdir(), 'ceir-doic-'));
    try {
      const file = join(dir, 'doic.pcap');
      writeFileSync(
        file,
        encodePcap([
          { payload: ecr, fromClient: true },
          { payload: eca, fromClient: false },
        ]),
      );
      const fields = [
        'diameter.OC-Feature-Vector',
        'diameter.OC-Sequence-Number',
        'diameter.OC-Report-Type',
        'diameter.OC-Reduction-Percentage',
        'diameter.OC-Validity-Duration',
        'diameter.Equipment-Status',
        '_ws.malformed',
      ];
      const r = spawnSync(
        'tshark',
        ['-r', file, '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      const [req, ans] = r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('|'));
      assert.deepEqual(req, ['1', '', '', '', '', '', '']);
      assert.deepEqual(ans, ['1', String(olr.sequenceNumber), '0', '35', '10', '0', '']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
