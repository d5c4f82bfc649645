/** Placeholder: replaced by the list-commit implementation. */
import { ceirError } from '../../core/errors.js';
import type { ListCommit, ListCommitOutcome } from '../../core/ports/store.js';
import type { DuckDb } from './duckdb-database.js';

export async function commitList(_db: DuckDb, c: ListCommit): Promise<ListCommitOutcome> {
  return ceirError('CEIR_ERR_INTERNAL', `list import of ${c.list} is not implemented yet`);
}
