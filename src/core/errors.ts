/**
 * One catalogue of OpenCEIR error codes. Each code carries the HTTP status, Diameter result code
 * and CLI exit code it maps to, so every interface reports the same failure the same way.
 * Expected failures are values (`CeirError`), never thrown for bad input rows.
 */
export const ErrorCatalogue = {
  CEIR_ERR_USAGE: { http: 400, diameter: 5004, exit: 2, summary: 'Invalid command-line usage' },
  CEIR_ERR_CONFIG: { http: 500, diameter: 5012, exit: 3, summary: 'Invalid configuration' },
  CEIR_ERR_INPUT_FILE: { http: 400, diameter: 5004, exit: 4, summary: 'Input file unreadable' },
  CEIR_ERR_PARSE: { http: 400, diameter: 5004, exit: 5, summary: 'Input row cannot be parsed' },
  CEIR_ERR_GATE_FAILED: { http: 422, diameter: 5004, exit: 6, summary: 'A quality gate failed' },
  CEIR_ERR_DUPLICATE_KEY: {
    http: 422,
    diameter: 5004,
    exit: 6,
    summary: 'Two rows share a key with different data',
  },
  CEIR_ERR_LIST_SHRINK: {
    http: 422,
    diameter: 5004,
    exit: 6,
    summary: 'A full list is much smaller than the current one',
  },
  CEIR_ERR_DELTA_CONFLICT: {
    http: 422,
    diameter: 5004,
    exit: 6,
    summary: 'A delta row conflicts with the current list',
  },
  CEIR_ERR_RATIO_EXCEEDED: {
    http: 422,
    diameter: 5012,
    exit: 11,
    summary: 'A condition matched more than its maximum ratio of seen IMEIs',
  },
  CEIR_ERR_RULES_CHANGED: {
    http: 409,
    diameter: 5012,
    exit: 12,
    summary: 'Conditions or operators changed since the last classification',
  },
  CEIR_ERR_STORE: { http: 500, diameter: 5012, exit: 7, summary: 'Store failure' },
  CEIR_ERR_SCHEMA: { http: 500, diameter: 5012, exit: 8, summary: 'Store schema out of date' },
  CEIR_ERR_BUSY: { http: 503, diameter: 3004, exit: 9, summary: 'Another job holds the store' },
  CEIR_ERR_NOT_FOUND: { http: 404, diameter: 5422, exit: 10, summary: 'Not found' },
  CEIR_ERR_BAD_SIGNATURE: {
    http: 422,
    diameter: 5004,
    exit: 13,
    summary: 'A signed exchange batch does not verify',
  },
  CEIR_ERR_SEQUENCE_GAP: {
    http: 409,
    diameter: 5004,
    exit: 13,
    summary: 'An exchange batch does not continue the last applied sequence',
  },
  CEIR_ERR_NOT_OWNER: {
    http: 403,
    diameter: 5004,
    exit: 13,
    summary: 'A record changes a record owned by another country',
  },
  CEIR_ERR_PEER_DOWN: { http: 502, diameter: 3002, exit: 14, summary: 'A peer did not answer' },
  CEIR_ERR_UNAUTHENTICATED: {
    http: 401,
    diameter: 5003,
    exit: 20,
    summary: 'No valid login, API key or one-time code',
  },
  CEIR_ERR_FORBIDDEN: {
    http: 403,
    diameter: 5003,
    exit: 21,
    summary: 'The role may not do this (or the CSRF token is missing)',
  },
  CEIR_ERR_RATE_LIMITED: { http: 429, diameter: 3004, exit: 22, summary: 'Too many requests' },
  CEIR_ERR_CONFLICT: {
    http: 409,
    diameter: 5012,
    exit: 23,
    summary: 'The record is not in a state that allows this',
  },
  CEIR_ERR_AUDIT_BROKEN: {
    http: 500,
    diameter: 5012,
    exit: 24,
    summary: 'The audit log hash chain does not verify',
  },
  CEIR_ERR_ATTESTATION: {
    http: 422,
    diameter: 5004,
    exit: 15,
    summary: 'A key attestation is invalid or refused by the policy',
  },
  CEIR_ERR_CHALLENGE: {
    http: 409,
    diameter: 5004,
    exit: 15,
    summary: 'An attestation challenge is unknown, used or expired',
  },
  CEIR_ERR_INTERNAL: { http: 500, diameter: 5012, exit: 70, summary: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ErrorCatalogue;

/** Where in an input a problem was found: file, 1-based line, field name. */
export interface InputLocation {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
}

/** An expected failure, as a value. `rule` names the gate or check that refused the input. */
export interface CeirError {
  readonly kind: 'error';
  readonly code: ErrorCode;
  readonly message: string;
  readonly at?: InputLocation;
  readonly rule?: string;
}

export function ceirError(
  code: ErrorCode,
  message: string,
  at?: InputLocation,
  rule?: string,
): CeirError {
  return { kind: 'error', code, message, ...(at ? { at } : {}), ...(rule ? { rule } : {}) };
}

/** The message with its location, in the form `file:line field "x": message [rule]`. */
export function formatError(e: CeirError): string {
  const where = e.at
    ? `${e.at.file}${e.at.line !== undefined ? `:${e.at.line}` : ''}${e.at.field ? ` field "${e.at.field}"` : ''}: `
    : '';
  return `${e.code}: ${where}${e.message}${e.rule ? ` [rule ${e.rule}]` : ''}`;
}

/** Thrown only to carry a CeirError through layers that cannot return it (e.g. stream callbacks). */
export class CeirFailure extends Error {
  constructor(readonly error: CeirError) {
    super(formatError(error));
    this.name = 'CeirFailure';
  }
}

export type Result<T, E = CeirError> = { kind: 'ok'; value: T } | E;

export function ok<T>(value: T): { kind: 'ok'; value: T } {
  return { kind: 'ok', value };
}
