/** A progress line for long jobs: rows, MB/s, ETA. Drawn on a terminal; periodic lines otherwise. */
import type { CliIo } from './cli-context.js';

export interface ProgressSample {
  readonly rows: number;
  readonly bytesRead: number;
  readonly fileBytes: number;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export class ProgressBar {
  private readonly t0 = performance.now();
  private last = 0;
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly quiet = false,
    private readonly everyMs = 200,
  ) {}

  update(p: ProgressSample): void {
    if (this.quiet) return;
    const now = performance.now();
    const interval = this.io.interactive ? this.everyMs : 10_000;
    if (now - this.last < interval) return;
    this.last = now;
    const secs = (now - this.t0) / 1000;
    const mbps = p.bytesRead / 1e6 / Math.max(secs, 1e-3);
    const frac = p.fileBytes > 0 ? p.bytesRead / p.fileBytes : 0;
    const eta = frac > 0.01 ? (secs / frac) * (1 - frac) : NaN;
    const width = 24;
    const fill = Math.min(width, Math.round(frac * width));
    const line = `${this.label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${formatCount(p.rows)} rows ${mbps.toFixed(1)} MB/s ETA ${Number.isFinite(eta) ? formatDuration(eta * 1000) : '?'}`;
    if (this.io.interactive) {
      process.stderr.write(`\r${line}\x1b[K`);
      this.drawn = true;
    } else this.io.err(line);
  }

  done(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
