/**
 * Lower CPU priority for the `ceir serve` primary's background threads: the store's (DuckDB's
 * worker threads, libuv's thread pool) and V8's helpers. On the machines OpenCEIR runs on, the
 * check workers, the primary and the store share a few cores; a store write of ten seconds of
 * observations (a million rows at 100,000 checks/s) kept both cores busy for about a second,
 * and the S13 and N5g-eir requests that arrived meanwhile waited their turn behind it. With the
 * background threads at nice 10 the scheduler gives a check worker about ten times their share
 * whenever both want a core, and the background work still runs on idle cycles.
 *
 * Linux only (a thread's priority is its own there: `setpriority` on a thread id); the main
 * thread is left alone, because processes it forks (restarted check workers) inherit its
 * priority. Threads created later by a lowered thread inherit the lowered priority; the store
 * creates its threads when it opens, so this runs after each open.
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value of background threads (0 normal, 19 lowest). */
export const BACKGROUND_NICE = 10;

/**
 * Lowers every thread of this process but the main one to `nice` (never raises one already
 * lower); returns how many it lowered.
 */
export function lowerBackgroundThreads(nice = BACKGROUND_NICE): number {
  if (process.platform !== 'linux') return 0;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let n = 0;
  for (const t of tids) {
    const tid = Number(t);
    if (tid === process.pid) continue;
    try {
      if (getPriority(tid) >= nice) continue;
      setPriority(tid, nice);
      n++;
    } catch {
      // The thread ended meanwhile, or the system refused: it keeps its priority.
    }
  }
  return n;
}
