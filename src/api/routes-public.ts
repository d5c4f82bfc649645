/** Routes anyone may call: the public IMEI check. */
import { json } from './http-types.js';
import { publicCheckBody } from './public-check.js';
import type { RouteDef } from './route-def.js';
import { CheckSchema, arr, obj, str } from './schemas.js';

export const PUBLIC_ROUTES: readonly RouteDef[] = [
  {
    id: 'publicCheck',
    method: 'GET',
    path: '/api/v1/public/check',
    tag: 'public',
    summary:
      'Check one IMEI, or both IMEIs of a dual-SIM device: status in plain words, brand and model, reasons',
    roles: ['public'],
    audited: false,
    query: {
      properties: { imei: str({ maxLength: 40 }), imei2: str({ maxLength: 40 }) },
      required: ['imei'],
    },
    responses: {
      200: {
        description: 'One result per IMEI given',
        schema: obj({
          checks: arr(CheckSchema, { minItems: 1, maxItems: 2 }),
          data_version: str(),
        }),
      },
    },
    handler: async ({ query, deps }) => {
      return json(200, publicCheckBody(deps.check(), query.imei!, query.imei2));
    },
  },
];
