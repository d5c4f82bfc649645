/** The files of a generated dataset, with their sources, in the order they must be imported. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceKind } from '../../core/ports/store.js';

/** Which source a generated file is, by its name: the TAC database and lists before dumps. */
const ORDER: readonly [RegExp, SourceKind][] = [
  [/^gsma_tac/, 'gsma_tac'],
  [/^stolen_list/, 'stolen'],
  [/^registration_list/, 'registration'],
  [/^pairing_list/, 'pairing'],
  [/^golden_list/, 'golden'],
  [/^barred_tac_list/, 'barred_tac'],
  [/^barred_list/, 'barred'],
  [/^monitoring_list/, 'monitoring'],
  [/_\d{8}_\d{8}\.csv(\.gz|\.zip)?$/, 'operator'],
];

export function datasetFiles(dir: string): { source: SourceKind; file: string }[] {
  const names = readdirSync(dir).sort();
  const out: { source: SourceKind; file: string }[] = [];
  const taken = new Set<string>();
  for (const [re, source] of ORDER)
    for (const n of names)
      if (re.test(n) && !taken.has(n)) {
        taken.add(n);
        out.push({ source, file: join(dir, n) });
      }
  return out;
}
