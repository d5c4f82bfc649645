/** The adapters of the pipeline's own ports for the store the CLI opened (DuckDB today). */
import type { PipelineStore } from '../../core/ports/pipeline-store.js';
import type { RetentionStore } from '../../core/ports/retention-store.js';
import type { Store } from '../../core/ports/store.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { DuckDbPipelineStore } from '../../store/duckdb/pipeline.js';
import { DuckDbRetentionStore } from '../../store/duckdb/retention.js';

function duck(store: Store): DuckDbStore {
  if (!(store instanceof DuckDbStore))
    throw new Error('The pipeline records are implemented for the DuckDB store only');
  return store;
}

export function pipelineStoreOf(store: Store): PipelineStore {
  return new DuckDbPipelineStore(duck(store).db);
}

export function retentionStoreOf(store: Store): RetentionStore {
  return new DuckDbRetentionStore(duck(store).db);
}
