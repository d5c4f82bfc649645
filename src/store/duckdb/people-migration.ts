/**
 * Migration 4: the people-facing API (issue #5, `core/ports/people-store.ts`, `audit-log.ts`).
 * Instants are ISO 8601 text (exactly as hashed in the audit chain). No PRIMARY KEY constraints:
 * DuckDB turns an UPDATE of an indexed table into delete + insert, which its unique indexes
 * can refuse inside one transaction; uniqueness is kept by the adapter (one writer process).
 */
import type { Migration } from './migrations.js';

export const PEOPLE_MIGRATION: Migration = {
  version: 4,
  name: 'people: users, API keys, sessions, one-time codes, cases, pairing requests, appeals, registrations, audit log',
  sql: `
    CREATE TABLE people_users (
      id VARCHAR NOT NULL,
      username VARCHAR NOT NULL,
      role VARCHAR NOT NULL,
      operator VARCHAR,
      organisation VARCHAR NOT NULL,
      password_hash VARCHAR NOT NULL,
      disabled BOOLEAN NOT NULL,
      created_at VARCHAR NOT NULL
    );
    -- API keys: scrypt hash of the secret; a reset revokes (revoked_at) and adds a new one.
    CREATE TABLE people_api_keys (
      id VARCHAR NOT NULL,
      user_id VARCHAR NOT NULL,
      key_hash VARCHAR NOT NULL,
      created_at VARCHAR NOT NULL,
      revoked_at VARCHAR
    );
    -- Sessions: SHA-256 of the random token; subject = user id or msisdn:<digits>.
    CREATE TABLE people_sessions (
      id VARCHAR NOT NULL,
      token_hash VARCHAR NOT NULL,
      csrf_token VARCHAR NOT NULL,
      role VARCHAR NOT NULL,
      subject VARCHAR NOT NULL,
      expires_at VARCHAR NOT NULL,
      created_at VARCHAR NOT NULL
    );
    -- One-time codes: SHA-256 of challenge id and code; attempts counted, single use.
    CREATE TABLE people_otps (
      id VARCHAR NOT NULL,
      msisdn VARCHAR NOT NULL,
      code_hash VARCHAR NOT NULL,
      expires_at VARCHAR NOT NULL,
      attempts INTEGER NOT NULL,
      used_at VARCHAR,
      created_at VARCHAR NOT NULL
    );
    -- Theft and loss cases; imeis: 14-digit keys joined by ','.
    CREATE TABLE theft_cases (
      case_number VARCHAR NOT NULL,
      msisdn VARCHAR NOT NULL,
      imeis VARCHAR NOT NULL,
      kind VARCHAR NOT NULL,
      police_report VARCHAR NOT NULL,
      incident_date VARCHAR NOT NULL,
      place VARCHAR NOT NULL,
      status VARCHAR NOT NULL,
      created_at VARCHAR NOT NULL,
      updated_at VARCHAR NOT NULL,
      decided_by VARCHAR,
      note VARCHAR NOT NULL
    );
    CREATE TABLE pairing_requests (
      id VARCHAR NOT NULL,
      msisdn VARCHAR NOT NULL,
      imei VARCHAR NOT NULL,
      imsi VARCHAR NOT NULL,
      reason VARCHAR NOT NULL,
      status VARCHAR NOT NULL,
      created_at VARCHAR NOT NULL,
      decided_at VARCHAR,
      decided_by VARCHAR,
      note VARCHAR NOT NULL
    );
    -- Appeals; evidence: JSON array of {name, text}.
    CREATE TABLE appeals (
      id VARCHAR NOT NULL,
      msisdn VARCHAR NOT NULL,
      imei VARCHAR NOT NULL,
      reason VARCHAR NOT NULL,
      evidence VARCHAR NOT NULL,
      status VARCHAR NOT NULL,
      outcome VARCHAR NOT NULL,
      created_at VARCHAR NOT NULL,
      decided_at VARCHAR,
      decided_by VARCHAR
    );
    -- Importers' registered stock (the registration list holds the IMEIs themselves).
    CREATE TABLE registrations (
      imei VARCHAR NOT NULL,
      importer_id VARCHAR NOT NULL,
      model VARCHAR NOT NULL,
      brand VARCHAR NOT NULL,
      device_type VARCHAR NOT NULL,
      import_permit VARCHAR NOT NULL,
      batch_id VARCHAR NOT NULL,
      created_at VARCHAR NOT NULL
    );
    -- The audit log, hash-chained: hash = SHA-256 of the canonical entry incl. prev_hash.
    CREATE TABLE audit_log (
      seq BIGINT NOT NULL,
      logged_at VARCHAR NOT NULL,
      actor VARCHAR NOT NULL,
      role VARCHAR NOT NULL,
      action VARCHAR NOT NULL,
      target VARCHAR NOT NULL,
      source VARCHAR NOT NULL,
      outcome VARCHAR NOT NULL,
      detail VARCHAR NOT NULL,
      prev_hash VARCHAR NOT NULL,
      hash VARCHAR NOT NULL
    );
  `,
};
