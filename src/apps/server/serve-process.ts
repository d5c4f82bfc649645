/**
 * `ceir serve --json` as a child process, for tests and benchmarks: started with the given
 * options, ready once it has printed its JSON line (every listener bound), and stopped with
 * SIGTERM (SIGKILL after 15 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CEIR_BIN = fileURLToPath(new URL('../../../bin/ceir.js', import.meta.url));

export interface ServePorts {
  readonly s13: number;
  readonly n5g: number;
  readonly http: number;
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly ports: ServePorts;
  /** What the process wrote to stderr so far (empty when stderr is inherited). */
  log(): string;
  /** Resolves with the first stderr text after this call matching `re` (rejects after timeout). */
  waitLog(re: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM (SIGKILL after 15 s); resolves with the exit code (null when killed by a signal). */
  stop(): Promise<number | null>;
}

export interface ServeProcessOptions {
  /** Let the child write to this process's stderr instead of collecting it. */
  readonly inheritStderr?: boolean;
  /** Give up when not ready this long after the start (default: wait for the exit). */
  readonly timeoutMs?: number;
  /** Name in errors (default `ceir serve`). */
  readonly name?: string;
  /** Told of the child at once, before it is ready (to kill it when the caller gives up). */
  readonly onSpawn?: (child: ChildProcess) => void;
}

/** Starts `ceir serve --json <args>` and resolves once it listens. */
export async function startServeProcess(
  args: readonly string[],
  o: ServeProcessOptions = {},
): Promise<ServeProcess> {
  const name = o.name ?? 'ceir serve';
  const child = spawn(process.execPath, [CEIR_BIN, 'serve', '--json', ...args], {
    stdio: ['ignore', 'pipe', o.inheritStderr ? 'inherit' : 'pipe'],
  });
  o.onSpawn?.(child);
  let out = '';
  let err = '';
  const watchers = new Set<() => void>();
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of watchers) w();
  });
  const ports = await new Promise<ServePorts>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        resolve((JSON.parse(out) as { ports: ServePorts }).ports);
      } catch {
        // Not complete yet.
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}: ${err}`)));
    if (o.timeoutMs !== undefined) {
      const t = setTimeout(
        () => reject(new Error(`${name} did not start in ${o.timeoutMs} ms: ${err}`)),
        o.timeoutMs,
      );
      t.unref();
    }
  });
  const stop = () =>
    new Promise<number | null>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res(child.exitCode);
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', (code) => {
        clearTimeout(t);
        res(code);
      });
      child.kill('SIGTERM');
    });
  const waitLog = (re: RegExp, timeoutMs = 30_000) => {
    const from = err.length;
    return new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => {
        watchers.delete(w);
        reject(new Error(`${name}: no log line ${re} in ${timeoutMs} ms: ${err}`));
      }, timeoutMs);
      const w = (): void => {
        const m = re.exec(err.slice(from));
        if (!m) return;
        clearTimeout(t);
        watchers.delete(w);
        resolve(m[0]);
      };
      watchers.add(w);
      w();
    });
  };
  return { child, ports, log: () => err, waitLog, stop };
}
