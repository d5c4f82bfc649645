import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { BACKGROUND_NICE, lowerBackgroundThreads } from './background-priority.js';

/** A thread's nice value (field 19 of /proc/<pid>/task/<tid>/stat). */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

test(
  'every thread but the main one runs at the background nice value',
  { skip: process.platform !== 'linux' && 'Linux only' },
  () => {
    const main = niceOf(process.pid);
    const n = lowerBackgroundThreads();
    const others = readdirSync('/proc/self/task')
      .map(Number)
      .filter((t) => t !== process.pid);
    assert.ok(n > 0 && others.length > 0, 'node runs helper threads');
    for (const t of others) assert.equal(niceOf(t), Math.max(main, BACKGROUND_NICE), `thread ${t}`);
    assert.equal(niceOf(process.pid), main, 'the main thread keeps its priority');
  },
);
