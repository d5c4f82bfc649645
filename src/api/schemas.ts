/** JSON Schemas shared by routes (the components of the OpenAPI document). */
import { ROLES, STAFF_ROLES } from '../core/ports/people-store.js';
import type { Schema } from './route-def.js';

export const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
export const nullableStr: Schema = { type: ['string', 'null'] };
export const int: Schema = { type: 'integer', minimum: 0 };
export const arr = (items: Schema, extra: Schema = {}): Schema => ({
  type: 'array',
  items,
  ...extra,
});
export const obj = (
  properties: Record<string, Schema>,
  required: string[] = Object.keys(properties),
): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
export const date = str({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const imei15 = str({ pattern: '^[0-9]{15}$' });
export const imei14 = str({ pattern: '^[0-9]{14}$' });
export const msisdn = str({ pattern: '^[0-9]{5,15}$' });
export const imsi = str({ pattern: '^[0-9]{6,15}$' });
export const role = str({ enum: [...ROLES] });
export const staffRole = str({ enum: [...STAFF_ROLES] });

export const ErrorSchema = obj({
  error: obj(
    {
      code: str({ pattern: '^CEIR_ERR_[A-Z_]+$' }),
      message: str(),
      at: { type: 'object' },
      rule: str(),
      details: { type: 'array' },
    },
    ['code', 'message'],
  ),
});

export const DeviceSchema = {
  type: ['object', 'null'],
  properties: { brand: str(), model: str(), manufacturer: str(), device_type: str() },
  required: ['brand', 'model', 'manufacturer', 'device_type'],
  additionalProperties: false,
};

export const CheckSchema: Schema = {
  oneOf: [
    obj({
      input: str(),
      valid: { const: true },
      imei: imei15,
      status: str({ enum: ['allowed', 'pending', 'blocked', 'unknown'] }),
      status_text: str(),
      block_date: { type: ['string', 'null'] },
      reasons: arr(str()),
      device: DeviceSchema,
      attestation: { enum: ['hardware-attested', null] },
    }),
    obj(
      {
        input: str(),
        valid: { const: false },
        problem: str({ enum: ['check_digit', 'length', 'characters'] }),
        message: str(),
        suggestion: imei15,
      },
      ['input', 'valid', 'problem', 'message'],
    ),
  ],
};

export const SessionSchema = obj({
  token: str(),
  csrf_token: str(),
  role,
  subject: str(),
  expires_at: str(),
});

export const CaseSchema = obj(
  {
    case_number: str({ pattern: '^TC-\\d{4}-\\d{6}$' }),
    kind: str({ enum: ['stolen', 'lost'] }),
    imeis: arr(imei15, { minItems: 1, maxItems: 2 }),
    police_report: str(),
    incident_date: date,
    place: str(),
    status: str({ enum: ['reported', 'confirmed', 'rejected', 'recovered'] }),
    created_at: str(),
    updated_at: str(),
    note: str(),
    msisdn,
  },
  [
    'case_number',
    'kind',
    'imeis',
    'police_report',
    'incident_date',
    'place',
    'status',
    'created_at',
    'updated_at',
    'note',
  ],
);

export const PairingSchema = obj({
  id: str(),
  imei: imei15,
  imsi,
  msisdn,
  reason: str(),
  status: str({ enum: ['pending', 'approved', 'rejected'] }),
  created_at: str(),
  decided_at: nullableStr,
  note: str(),
});

export const AppealSchema = obj({
  id: str(),
  imei: imei15,
  msisdn,
  reason: str(),
  evidence: arr(obj({ name: str(), text: str() })),
  status: str({ enum: ['open', 'upheld', 'dismissed'] }),
  outcome: str(),
  created_at: str(),
  decided_at: nullableStr,
});

export const UserSchema = obj({
  id: str(),
  username: str(),
  role: staffRole,
  operator: nullableStr,
  organisation: str(),
  disabled: { type: 'boolean' },
  created_at: str(),
});

export const ImportSchema = obj(
  {
    id: str(),
    source: str(),
    file: str(),
    sha256: str(),
    mode: str(),
    operator: str(),
    period_start: str(),
    period_end: str(),
    rows: int,
    accepted: int,
    gates: arr({ type: 'object' }),
    started_at: str(),
    finished_at: str(),
  },
  [
    'id',
    'source',
    'file',
    'sha256',
    'mode',
    'rows',
    'accepted',
    'gates',
    'started_at',
    'finished_at',
  ],
);

export const AuditEntrySchema = obj({
  seq: int,
  at: str(),
  actor: str(),
  role: str(),
  action: str(),
  target: str(),
  source: str(),
  outcome: str(),
  detail: { type: 'object' },
  prev_hash: str(),
  hash: str(),
});

export const OkSchema = obj({ ok: { const: true } });
