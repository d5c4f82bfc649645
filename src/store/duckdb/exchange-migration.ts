/** Migration 6: the cross-border exchange (docs/exchange.md, `core/ports/exchange-store.ts`). */
import type { Migration } from './migrations.js';

export const EXCHANGE_MIGRATION: Migration = {
  version: 6,
  name: 'cross-border exchange: feed, foreign records with provenance, peers, owner notices',
  sql: `
    -- This CEIR's feed: every version of every exportable record, append-only, in sequence.
    -- imei: the 14-digit value (as in triplets). status: active | removed.
    CREATE TABLE exchange_feed (
      seq BIGINT NOT NULL,
      record_id VARCHAR NOT NULL,
      imei BIGINT NOT NULL,
      reason VARCHAR NOT NULL,
      reporting_date DATE,
      status VARCHAR NOT NULL,
      origin VARCHAR NOT NULL,
      published_at TIMESTAMP NOT NULL
    );
    -- Records received from peers: the last version of each (origin, record_id), with its
    -- provenance (peer, signing key, SHA-256 of the signed batch header, time of import).
    CREATE TABLE exchange_foreign (
      record_id VARCHAR NOT NULL,
      imei BIGINT NOT NULL,
      reason VARCHAR NOT NULL,
      reporting_date DATE,
      status VARCHAR NOT NULL,
      origin VARCHAR NOT NULL,
      seq BIGINT NOT NULL,
      peer VARCHAR NOT NULL,
      key_id VARCHAR NOT NULL,
      batch_sha256 VARCHAR NOT NULL,
      received_at TIMESTAMP NOT NULL
    );
    -- Configured peers and their import cursor. trust: block | greylist | inform.
    CREATE TABLE exchange_peers (
      peer VARCHAR PRIMARY KEY,
      country VARCHAR NOT NULL,
      trust VARCHAR NOT NULL,
      last_seq BIGINT NOT NULL,
      last_pull_at TIMESTAMP,
      last_error VARCHAR
    );
    -- Owner notices this CEIR sent (one per foreign record) and received (no subscriber data).
    CREATE TABLE exchange_notices_sent (
      record_id VARCHAR NOT NULL,
      imei BIGINT NOT NULL,
      peer VARCHAR NOT NULL,
      seen_on DATE NOT NULL,
      sent_at TIMESTAMP NOT NULL
    );
    CREATE TABLE exchange_notices_received (
      record_id VARCHAR NOT NULL,
      imei BIGINT NOT NULL,
      seen_in VARCHAR NOT NULL,
      seen_on DATE NOT NULL,
      from_peer VARCHAR NOT NULL,
      key_id VARCHAR NOT NULL,
      received_at TIMESTAMP NOT NULL
    );
  `,
};
