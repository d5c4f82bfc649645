/** Test data for the benchmarks: distinct 15-digit IMEIs of a demo dataset's operator dumps. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Up to `max` distinct IMEIs (15 digits) of the dumps in `<data>/demo-input`. */
export function demoImeis(data: string, max: number): string[] {
  const dir = join(data, 'demo-input');
  const seen = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => /^[a-z]+_\d{8}_\d{8}\.csv$/.test(n))) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    const col = lines[0]!.split(',').indexOf('imei');
    for (const l of lines.slice(1)) {
      const v = l.split(',')[col];
      if (v && /^\d{15}$/.test(v)) seen.add(v);
      if (seen.size >= max) return [...seen];
    }
  }
  return [...seen];
}
