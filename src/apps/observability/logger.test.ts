import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, newJobId } from './logger.js';

test('log lines are JSON with time, level, message and the job id of a child logger', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  const log = createLogger({ level: 'info', destination, base: { component: 'pipeline' } });
  const job = newJobId('pass');
  log.child({ job_id: job }).info({ rows: 12 }, 'imported');
  log.debug('not written at info');
  assert.equal(lines.length, 1);
  const o = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(o.msg, 'imported');
  assert.equal(o.level, 'info');
  assert.equal(o.job_id, job);
  assert.equal(o.rows, 12);
  assert.equal(o.component, 'pipeline');
  assert.ok(!Number.isNaN(Date.parse(String(o.time))));
  assert.match(job, /^pass-[0-9a-f]{8}$/);
});
