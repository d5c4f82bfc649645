/**
 * Migration 8: regulator-saved rule versions (issues #5/#6). One row per condition-set version a
 * regulator saved through the API: who, when, why, and the amnesty settings (JSON) in force with
 * it. Versions seeded or accepted from the config file have no row here.
 */
import type { Migration } from './migrations.js';

export const RULE_VERSIONS_MIGRATION: Migration = {
  version: 8,
  name: 'regulator-saved rule versions (who, when, note, amnesty)',
  sql: `
    CREATE TABLE rule_saves (
      condition_set_version INTEGER NOT NULL,
      saved_by VARCHAR NOT NULL,
      saved_at VARCHAR NOT NULL,
      note VARCHAR NOT NULL,
      amnesty VARCHAR NOT NULL
    );
  `,
};
