import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  INTERFACES,
  OBSERVED_STATUSES,
  ObservationBatchWriter,
  observationBatchOf,
  readObservationBatch,
  type CheckObservation,
} from './observation-batch.js';

/** Adds an observation given whole (the record the primary reads back). */
const put = (w: ObservationBatchWriter, o: CheckObservation): boolean =>
  w.add(o.interface, o, o.status, o.version);

const latin1 = (max: number) =>
  fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength: max })
    .map((cs) => String.fromCharCode(...cs));

const observation: fc.Arbitrary<CheckObservation> = fc
  .record(
    {
      interface: fc.constantFrom(...INTERFACES),
      imei: fc.oneof(fc.stringMatching(/^\d{14,16}$/), latin1(254)),
      imsi: fc.oneof(fc.stringMatching(/^\d{5,15}$/), latin1(254)),
      peer: fc.oneof(fc.constantFrom('mme1.epc.test', 'mme2.epc.test', '::1'), fc.string()),
      time: fc.double({ noNaN: true }),
      status: fc.constantFrom(...OBSERVED_STATUSES),
      version: fc.constantFrom('v1', '20261130T021500Z-0001', 'ü-version'),
    },
    { requiredKeys: ['interface', 'imei', 'peer', 'time', 'status', 'version'] },
  )
  .map((o) => ({ ...o }));

test('a batch reads back the observations written, in order, over several batches', () => {
  fc.assert(
    fc.property(fc.array(fc.array(observation, { maxLength: 60 }), { maxLength: 4 }), (batches) => {
      const w = new ObservationBatchWriter();
      for (const batch of batches) {
        for (const o of batch) assert.equal(put(w, o), true);
        assert.equal(w.count, batch.length);
        const bytes = w.take();
        if (batch.length === 0) assert.equal(bytes, undefined);
        else assert.deepEqual(readObservationBatch(bytes!), batch);
        assert.equal(w.count, 0);
      }
    }),
  );
});

test('IMEI and IMSI longer than 254 characters and peers longer than 1,024 are cut', () => {
  const w = new ObservationBatchWriter();
  const o: CheckObservation = {
    interface: 's13',
    imei: '1'.repeat(300),
    imsi: '2'.repeat(400),
    peer: 'p'.repeat(2000),
    time: 1,
    status: 'BLACKLISTED',
    version: 'v',
  };
  put(w, o);
  const [r] = readObservationBatch(w.take()!);
  assert.deepEqual(r, {
    ...o,
    imei: '1'.repeat(254),
    imsi: '2'.repeat(254),
    peer: 'p'.repeat(1024),
  });
});

test('an unknown status label is read as UNKNOWN_EQUIPMENT', () => {
  const w = new ObservationBatchWriter();
  put(w, { interface: 'n5g-eir', imei: '35', peer: 'x', time: 0, status: 'ODD', version: 'v' });
  assert.equal(readObservationBatch(w.take()!)[0]!.status, 'UNKNOWN_EQUIPMENT');
});

test('a full text table refuses the observation until the batch is taken', () => {
  const w = new ObservationBatchWriter();
  let refused = -1;
  for (let i = 0; i < 70_000 && refused < 0; i++) {
    const o: CheckObservation = {
      interface: 's13',
      imei: '35209900000000',
      peer: `peer-${i}`,
      time: i,
      status: 'WHITELISTED',
      version: 'v',
    };
    if (!put(w, o)) refused = i;
  }
  assert.ok(refused > 30_000, `refused at ${refused}`);
  const read = readObservationBatch(w.take()!);
  assert.equal(read.length, refused);
  assert.equal(read.at(-1)!.peer, `peer-${refused - 1}`);
  assert.equal(
    put(w, {
      interface: 's13',
      imei: '1',
      peer: 'p',
      time: 0,
      status: 'WHITELISTED',
      version: 'v',
    }),
    true,
  );
});

test('bytes that are not a whole batch are refused with a reason, never misread', () => {
  const w = new ObservationBatchWriter();
  put(w, {
    interface: 's13',
    imei: '35209900000000',
    imsi: '001010000000001',
    peer: 'mme',
    time: 5,
    status: 'GREYLISTED',
    version: 'v',
  });
  const bytes = w.take()!;
  for (let cut = 0; cut < bytes.length; cut++)
    assert.throws(() => readObservationBatch(bytes.subarray(0, cut)), /not an observation batch/);
  assert.throws(() => readObservationBatch(Buffer.concat([bytes, Buffer.from([0])])), /trailing/);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
      try {
        readObservationBatch(junk);
      } catch (e) {
        assert.match((e as Error).message, /not an observation batch/);
      }
    }),
  );
});

test('observationBatchOf: one batch of the observations given, an empty one for none', () => {
  const o: CheckObservation = {
    interface: 'n5g-eir',
    imei: '35209900000000',
    peer: '10.0.0.1',
    time: 7,
    status: 'BLACKLISTED',
    version: 'v',
  };
  assert.deepEqual(readObservationBatch(observationBatchOf([o, o])), [o, o]);
  assert.deepEqual(readObservationBatch(observationBatchOf([])), []);
});
