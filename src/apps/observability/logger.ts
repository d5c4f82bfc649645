/**
 * Structured JSON logs (pino): one JSON object per line with `time`, `level`, `msg`, and the id of
 * the job (`job_id`: a pipeline pass, a file import, a step) or request (`request_id`) it belongs
 * to, so one job's lines can be picked out of a busy log. Written to stderr by default (stdout is
 * the commands' own output).
 */
import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Where lines go (default stderr, synchronously so a crash loses none). */
  readonly destination?: DestinationStream;
  /** Fields on every line (e.g. `{ component: 'pipeline' }`). */
  readonly base?: Record<string, unknown>;
}

export function createLogger(o: LoggerOptions = {}): Logger {
  return pino(
    {
      level: o.level ?? 'info',
      base: { pid: process.pid, ...o.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    o.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** A new job id: short, unique enough to pick one job's lines out of a log. */
export function newJobId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A logger that writes nothing (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
