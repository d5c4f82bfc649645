/** What an import returns: the three expected outcomes, as values. */
import type { CeirError } from '../core/errors.js';
import type { GateResult, ImportRecord } from '../core/ports/store.js';

export interface ImportProgress {
  readonly rows: number;
  readonly bytesRead: number;
  readonly fileBytes: number;
}

export type ImportOutcome =
  /** The file landed whole. `counts` are source-specific (accepted, added, removed, ...). */
  | {
      readonly kind: 'imported';
      readonly record: ImportRecord;
      readonly counts: Readonly<Record<string, number>>;
      readonly durationMs: number;
    }
  /** The same decompressed content (SHA-256) was imported before: nothing done. */
  | { readonly kind: 'duplicate'; readonly previous: ImportRecord; readonly durationMs: number }
  /** The file was refused whole; nothing changed. */
  | {
      readonly kind: 'rejected';
      readonly error: CeirError;
      readonly gates: readonly GateResult[];
      readonly rows: number;
      readonly durationMs: number;
    };
