/** A signed list directory for tests: full black list, notifications and exceptions of one operator, a delta. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateListKeyPair, type ListKeyPair } from './keys.js';
import {
  listFileName,
  listHeader,
  writeListFile,
  type ListFileKind,
  type ListForm,
} from './list-files.js';
import { manifestFile, writeSignedManifest, type ManifestFile } from './manifest.js';

export const FIXTURE_ROWS: Record<string, string[][]> = {
  'blacklist/full': [
    ['35000000000001', '20260131', 'stolen'],
    ['35000000000002', '20260115', 'not_registered|duplicate'],
  ],
  'notifications/full': [
    ['35000000000003', '001010000000001', '99900001', '20260215', 'duplicate'],
  ],
  'exceptions/full': [['35000000000004', '001010000000002', '99900002']],
  'blacklist/delta': [
    ['blocked', '35000000000002', '20260115', 'not_registered|duplicate'],
    ['unblocked', '35000000000009', '20260101', 'say "hi", then\nleave'],
  ],
};

export interface ListDirFixture {
  readonly dir: string;
  readonly keys: ListKeyPair;
  readonly files: ManifestFile[];
}

export async function makeListDir(
  keys: ListKeyPair = generateListKeyPair(),
): Promise<ListDirFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-lists-'));
  const files: ManifestFile[] = [];
  for (const [key, rows] of Object.entries(FIXTURE_ROWS)) {
    const [kind, form] = key.split('/') as [ListFileKind, ListForm];
    const name = listFileName('20260131', kind, form, kind === 'blacklist' ? undefined : 'alpha');
    const info = await writeListFile({ dir, name, header: listHeader(kind, form), rows });
    files.push(manifestFile(info));
  }
  writeSignedManifest(
    dir,
    {
      country: 'Testland',
      generated_at: '2026-01-31T03:00:00.000Z',
      as_of: '2026-01-31',
      run: 7,
      base_run: 6,
      files,
    },
    keys,
  );
  return { dir, keys, files };
}
