/** The API's pure parts: typed IMEI input, router, CSV rows, rate limiter, audit canonical form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { luhnValid } from '../core/ids/index.js';
import { auditCanonical, canonicalJson } from '../core/ports/audit-log.js';
import { parseImeiInput } from './imei-input.js';
import { RateLimiter } from './rate-limit.js';
import { parseRegistrationCsv, splitCsvLine } from './registration-upload.js';
import { Router } from './router.js';
import { hashSecret, verifySecret } from './secrets.js';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));

test('a typed IMEI: every wrong check digit is caught and the suggestion is the valid IMEI', () => {
  fc.assert(
    fc.property(digits(14), fc.integer({ min: 0, max: 9 }), (key, d) => {
      const r = parseImeiInput(`${key}${d}`);
      if (luhnValid(`${key}${d}`)) {
        assert.equal(r.kind, 'ok');
        if (r.kind === 'ok') assert.equal(r.key, key);
      } else {
        assert.equal(r.kind, 'invalid');
        if (r.kind === 'invalid') {
          assert.equal(r.problem, 'check_digit');
          assert.ok(luhnValid(r.suggestion!));
          assert.equal(r.suggestion!.slice(0, 14), key);
        }
      }
    }),
  );
  // TS 23.003 B.3 vector, with spaces and dashes as people type them.
  const ok = parseImeiInput(' 26-053179-311383 7 ');
  assert.deepEqual(ok, { kind: 'ok', imei: '260531793113837', key: '26053179311383' });
  assert.equal(parseImeiInput('2605317931138').kind, 'invalid');
  assert.equal((parseImeiInput('26053179311383X') as { problem: string }).problem, 'characters');
});

test('router: static segments win over parameters; params decoded; 405 lists methods', () => {
  const r = new Router<string>();
  r.add('GET', '/a/{id}', 'param');
  r.add('GET', '/a/list', 'static');
  r.add('POST', '/a/{id}/x', 'post');
  assert.deepEqual(r.find('GET', '/a/list'), { route: 'static', params: {} });
  assert.deepEqual(r.find('GET', '/a/b%20c'), { route: 'param', params: { id: 'b c' } });
  assert.deepEqual(r.find('POST', '/a/7/x'), { route: 'post', params: { id: '7' } });
  assert.deepEqual(r.find('GET', '/a/7/x'), { allowed: ['POST'] });
  assert.equal(r.find('GET', '/nothing'), undefined);
  assert.throws(() => r.add('GET', '/a/{other}', 'x'), /clashes/);
});

test('CSV rows: quoted fields round-trip', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.string().filter((s) => !/[\r\n]/.test(s)),
        { minLength: 1, maxLength: 6 },
      ),
      (fields) => {
        const line = fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(',');
        assert.deepEqual(
          splitCsvLine(line),
          fields.map((f) => f.trim()),
        );
      },
    ),
  );
  const r = parseRegistrationCsv('imei,model,device_type,import_permit\n');
  assert.equal(r.errors[0]!.message, 'The file has no rows');
});

test('rate limiter: a burst, then one token per 1/rate seconds; clients are independent', () => {
  const l = new RateLimiter(2, 3);
  const t = 1_000_000;
  assert.deepEqual(
    [0, 1, 2, 3].map(() => l.take('a', t)),
    [0, 0, 0, 1],
  );
  assert.equal(l.take('b', t), 0);
  assert.equal(l.take('a', t + 499), 1);
  assert.equal(l.take('a', t + 600), 0);
  assert.equal(l.take('a', t - 10_000), 1, 'a clock stepping back refills nothing');
});

test('audit canonical form: key order does not matter, every field does', () => {
  const e = {
    seq: 1,
    at: '2026-01-01T00:00:00.000Z',
    actor: 'u-1',
    role: 'police',
    action: 'traceImei',
    target: '35000000000001',
    source: '127.0.0.1',
    outcome: 'ok',
    detail: { b: 1, a: [1, { d: 2, c: 3 }] },
    prevHash: '0'.repeat(64),
  };
  assert.equal(canonicalJson({ b: 1, a: 2 }), canonicalJson({ a: 2, b: 1 }));
  const base = auditCanonical(e);
  for (const k of Object.keys(e) as (keyof typeof e)[]) {
    const changed = { ...e, [k]: k === 'seq' ? 2 : k === 'detail' ? { b: 2 } : `${String(e[k])}x` };
    assert.notEqual(auditCanonical(changed), base, k);
  }
});

test('secrets: scrypt hashes verify, differ by salt, and refuse a wrong secret', async () => {
  const a = await hashSecret('s3cret-pass');
  const b = await hashSecret('s3cret-pass');
  assert.notEqual(a, b);
  assert.match(a, /^scrypt\$16384\$8\$1\$/);
  assert.equal(await verifySecret('s3cret-pass', a), true);
  assert.equal(await verifySecret('s3cret-pasS', a), false);
  assert.equal(await verifySecret('x', 'garbage'), false);
});
