/**
 * The inbox folder (docs/operations.md "Inbox"): which files are there, what each is (by its
 * name), and which are complete. A file is complete when a `<name>.done` marker is beside it, or
 * when its size and modification time have not changed for `stable_seconds` (its mtime is that
 * old and two stats a moment apart agree). Names starting with `.` or ending in `.part`, `.tmp`
 * or `.done` are never taken: upload under such a name and rename, or drop the marker last.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_KINDS, type SourceKind } from '../../core/ports/store.js';
import { parseDumpName, ymdToIso } from '../../ingest/operator-dump/dump-name.js';

export interface InboxFile {
  readonly name: string;
  readonly path: string;
  /** Undefined when the name follows no convention (the file is refused with a report). */
  readonly source: SourceKind | undefined;
  readonly mode: 'full' | 'delta';
  readonly operator: string | null;
  /** Data day of an operator dump: the last day of its period. */
  readonly day: string | null;
  /** Path of the `.done` marker, when there is one. */
  readonly marker: string | null;
}

const LIST_NAME = new RegExp(
  `^(${SOURCE_KINDS.filter((s) => s !== 'operator')
    .sort((a, b) => b.length - a.length)
    .join('|')})(?:_db|_list)?(_delta)?(?:[_.-].*)?\\.(?:csv|txt)(?:\\.gz|\\.zip)?$`,
  'i',
);

/** What a file is, from its name: a list (`stolen_list*.csv`, `*_delta*`) or a dump. */
export function describe(dir: string, name: string): InboxFile {
  const path = join(dir, name);
  const marker = existsSync(`${path}.done`) ? `${path}.done` : null;
  const base = { name, path, marker };
  const list = LIST_NAME.exec(name);
  if (list)
    return {
      ...base,
      source: list[1]!.toLowerCase() as SourceKind,
      mode: list[2] ? 'delta' : 'full',
      operator: null,
      day: null,
    };
  const dump = parseDumpName(name);
  if (dump)
    return {
      ...base,
      source: 'operator',
      mode: 'full',
      operator: dump.operator,
      day: ymdToIso(dump.end),
    };
  return { ...base, source: undefined, mode: 'full', operator: null, day: null };
}

const IGNORED = /^\.|\.(part|tmp|done)$/i;

/** Import order: the TAC database and lists before dumps; dumps by day, operator, name. */
function order(f: InboxFile): string {
  const s = f.source ? SOURCE_KINDS.indexOf(f.source) : 99;
  const rank = f.source === 'operator' ? 50 : s;
  return `${String(rank).padStart(2, '0')} ${f.day ?? ''} ${f.operator ?? ''} ${f.name}`;
}

/** The complete files of the inbox, in import order, and the names still being written. */
export function scanInbox(
  dir: string,
  nowMs: number,
  stableSeconds: number,
): { ready: InboxFile[]; waiting: string[] } {
  if (!existsSync(dir)) return { ready: [], waiting: [] };
  const ready: InboxFile[] = [];
  const waiting: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isFile() || IGNORED.test(e.name)) continue;
    const f = describe(dir, e.name);
    if (f.marker || stableSeconds === 0) {
      ready.push(f);
      continue;
    }
    const a = statSync(f.path);
    const stable = nowMs - a.mtimeMs >= stableSeconds * 1000;
    const b = stable ? statSync(f.path) : a;
    if (stable && a.size === b.size && a.mtimeMs === b.mtimeMs) ready.push(f);
    else waiting.push(e.name);
  }
  return { ready: ready.sort((x, y) => order(x).localeCompare(order(y))), waiting };
}
