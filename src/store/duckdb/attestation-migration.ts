/**
 * Migration 5: Android key attestations (docs/attestation.md). Challenges the CEIR issued
 * (single use, expiring) and every submission with its verdict, keyed for per-IMEI lookups.
 */
import type { Migration } from './migrations.js';

export const ATTESTATION_MIGRATION: Migration = {
  version: 5,
  name: 'attestation challenges and verdicts per IMEI',
  sql: `
    -- A challenge is usable once (used_at set atomically on use) until expires_at.
    CREATE TABLE attestation_challenges (
      challenge VARCHAR PRIMARY KEY,
      issued_at TIMESTAMP NOT NULL,
      expires_at TIMESTAMP NOT NULL,
      used_at TIMESTAMP
    );
    -- Every submitted attestation, whatever its verdict (attested | no_ids | weak | invalid).
    -- imei / second_imei: the attested IMEIs (tags 714 / 723) as 14-digit numbers (the triplets
    -- encoding), NULL when absent or not valid; claimed_imei: the IMEI the submitting client
    -- read from the modem (the one the network sees); claimed_imsi: 1<digits>.
    -- accepted: the policy's decision (weak is refused under the strict policy).
    CREATE TABLE attestations (
      id VARCHAR PRIMARY KEY,
      submitted_at TIMESTAMP NOT NULL,
      verdict VARCHAR NOT NULL,
      accepted BOOLEAN NOT NULL,
      reasons VARCHAR NOT NULL,
      imei BIGINT,
      second_imei BIGINT,
      meid VARCHAR,
      brand VARCHAR,
      device VARCHAR,
      product VARCHAR,
      serial VARCHAR,
      manufacturer VARCHAR,
      model VARCHAR,
      claimed_imei BIGINT,
      claimed_imsi BIGINT,
      client VARCHAR,
      report VARCHAR NOT NULL
    );
  `,
};
