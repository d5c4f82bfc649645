/**
 * Importers and manufacturers: register stock by bulk upload (IMEIs, model, device type, import
 * permit). Bad rows are reported one by one; warnings name IMEIs already seen on a network and
 * IMEIs registered by someone else (those are not registered again). The rows land on the
 * registration list through the list import path.
 */
import type { Registration } from '../core/ports/people-store.js';
import { json } from './http-types.js';
import { submitDelta } from './list-deltas.js';
import { imei15 } from './presenters.js';
import { parseRegistrationCsv } from './registration-upload.js';
import type { RouteDef } from './route-def.js';
import { arr, imei15 as imeiSchema, int, obj, str } from './schemas.js';
import { randomId } from './secrets.js';

const REG_COLUMNS = [
  'approved_imei',
  'make',
  'model',
  'status',
  'model_number',
  'brand_name',
  'device_type',
  'radio_interface',
  'device_id',
  'change_type',
  'import_permit',
  'importer',
];

const UploadResult = obj({
  accepted: { type: 'boolean' },
  batch_id: str(),
  rows: int,
  registered: int,
  errors: arr(obj({ line: int, field: str(), message: str() })),
  warnings: arr(
    obj({
      line: int,
      imei: imeiSchema,
      warning: str({ enum: ['seen_on_network', 'registered_by_other', 'already_registered'] }),
      message: str(),
    }),
  ),
});

export const IMPORTER_ROUTES: readonly RouteDef[] = [
  {
    id: 'registerStock',
    method: 'POST',
    path: '/api/v1/importer/registrations',
    tag: 'importer',
    summary:
      'Bulk upload of stock (CSV: imei,brand,model,device_type,import_permit): per-row errors and warnings',
    roles: ['importer'],
    body: { type: 'csv' },
    responses: {
      200: { description: 'What was registered, row errors, warnings', schema: UploadResult },
    },
    handler: async (c) => {
      const { rows, errors } = parseRegistrationCsv(c.body as string);
      const batchId = `RB-${randomId(6)}`;
      c.audit = {
        target: batchId,
        detail: { rows: rows.length + errors.length, errors: errors.length },
      };
      if (errors.length > 0)
        return json(200, {
          accepted: false,
          batch_id: batchId,
          rows: rows.length + errors.length,
          registered: 0,
          errors,
          warnings: [],
        });
      const me = c.principal.subject;
      const keys = rows.map((r) => r.key);
      const existing = await c.deps.store((p) => p.registrationsOf(keys));
      const byImei = new Map(existing.map((r) => [r.imei, r]));
      const seen = await c.deps.services.seenOnNetwork(keys);
      const warnings: Record<string, unknown>[] = [];
      const fresh = rows.filter((r) => {
        const prior = byImei.get(r.key);
        if (prior) {
          const other = prior.importerId !== me;
          warnings.push({
            line: r.line,
            imei: imei15(r.key),
            warning: other ? 'registered_by_other' : 'already_registered',
            message: other
              ? 'Registered by another importer: not registered again; contact the regulator'
              : 'Already in your registered stock',
          });
          return false;
        }
        if (seen.has(r.key))
          warnings.push({
            line: r.line,
            imei: imei15(r.key),
            warning: 'seen_on_network',
            message:
              'Already seen on a mobile network before this registration (a used or cloned IMEI?)',
          });
        return true;
      });
      // Another importer may hold an IMEI on the list without a record here (a file import).
      const listed: string[] = [];
      for (const r of fresh)
        if (await c.deps.services.onList('registration', r.key)) listed.push(r.key);
      const toAdd = fresh.filter((r) => !listed.includes(r.key));
      for (const r of fresh)
        if (listed.includes(r.key))
          warnings.push({
            line: r.line,
            imei: imei15(r.key),
            warning: 'registered_by_other',
            message: 'Already on the registration list: not registered again',
          });
      await submitDelta(
        c.deps,
        'registration',
        REG_COLUMNS,
        toAdd.map((r) => [
          r.key,
          r.brand,
          r.model,
          'whitelist',
          '',
          r.brand,
          r.deviceType,
          '',
          '',
          'add',
          r.importPermit,
          `${c.principal.username ?? me}/${batchId}`,
        ]),
      );
      const now = c.deps.now().toISOString();
      const regs: Registration[] = toAdd.map((r) => ({
        imei: r.key,
        importerId: me,
        model: r.model,
        brand: r.brand,
        deviceType: r.deviceType,
        importPermit: r.importPermit,
        batchId,
        createdAt: now,
      }));
      await c.deps.store((p) => p.addRegistrations(regs));
      c.audit.detail = { ...c.audit.detail, registered: regs.length, warnings: warnings.length };
      return json(200, {
        accepted: true,
        batch_id: batchId,
        rows: rows.length,
        registered: regs.length,
        errors: [],
        warnings,
      });
    },
  },
  {
    id: 'myStock',
    method: 'GET',
    path: '/api/v1/importer/registrations',
    tag: 'importer',
    summary: 'The caller’s registered stock (latest first)',
    roles: ['importer'],
    query: { properties: { limit: str({ pattern: '^[0-9]{1,5}$' }) } },
    responses: {
      200: {
        description: 'Registered IMEIs',
        schema: obj({
          registrations: arr(
            obj({
              imei: imeiSchema,
              brand: str(),
              model: str(),
              device_type: str(),
              import_permit: str(),
              batch_id: str(),
              created_at: str(),
            }),
          ),
        }),
      },
    },
    handler: async (c) => {
      const limit = Math.min(Number(c.query.limit ?? 1000), 10_000);
      const regs = await c.deps.store((p) => p.listRegistrations(c.principal.subject, limit));
      return json(200, {
        registrations: regs.map((r) => ({
          imei: imei15(r.imei),
          brand: r.brand,
          model: r.model,
          device_type: r.deviceType,
          import_permit: r.importPermit,
          batch_id: r.batchId,
          created_at: r.createdAt,
        })),
      });
    },
  },
];
