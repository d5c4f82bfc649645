/**
 * The OpenAPI 3.1 document of the API, made from the route definitions (so it cannot drift from
 * what the server does): paths, parameters, request bodies, responses with their JSON Schemas,
 * the roles allowed on each operation (`x-roles`) and the error responses every route may give.
 */
import type { RouteDef, Schema } from './route-def.js';
import { ErrorSchema } from './schemas.js';

const ERRORS: Record<number, string> = {
  400: 'Invalid request (CEIR_ERR_USAGE, CEIR_ERR_PARSE)',
  401: 'No valid login (CEIR_ERR_UNAUTHENTICATED)',
  403: 'Role not allowed, or CSRF token missing (CEIR_ERR_FORBIDDEN)',
  404: 'Not found (CEIR_ERR_NOT_FOUND)',
  409: 'Conflicting state (CEIR_ERR_CONFLICT)',
  422: 'Refused by a validation or quality gate',
  429: 'Rate limited (CEIR_ERR_RATE_LIMITED)',
  500: 'Internal or store failure',
  503: 'The store is busy (CEIR_ERR_BUSY)',
};

export function openApiDocument(routes: readonly RouteDef[], version: string): Schema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params: unknown[] = [];
    for (const m of r.path.matchAll(/\{(\w+)\}/g))
      params.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    for (const [name, schema] of Object.entries(r.query?.properties ?? {}))
      params.push({
        name,
        in: 'query',
        required: r.query?.required?.includes(name) ?? false,
        schema,
      });
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(r.responses))
      responses[status] = {
        description: spec.description,
        content: { [spec.contentType ?? 'application/json']: { schema: spec.schema ?? {} } },
      };
    for (const [status, description] of Object.entries(ERRORS))
      responses[status] ??= {
        description,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    const op: Record<string, unknown> = {
      operationId: r.id,
      tags: [r.tag],
      summary: r.summary,
      'x-roles': r.roles,
      ...(r.personalData ? { 'x-personal-data': true } : {}),
      parameters: params,
      responses,
      security: r.roles.includes('public')
        ? [{}, { session: [] }, { bearer: [] }]
        : [{ session: [] }, { bearer: [] }],
    };
    if (r.body)
      op.requestBody = {
        required: true,
        content:
          r.body.type === 'json'
            ? { 'application/json': { schema: r.body.schema } }
            : r.body.type === 'csv'
              ? { 'text/csv': { schema: { type: 'string' } } }
              : { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OpenCEIR people API',
      version,
      description:
        'Public IMEI check, theft reporting and recovery, pairing, appeals, importer registration, police trace, operator lists and dumps, regulator console. See docs/api.md.',
    },
    paths,
    components: {
      schemas: { Error: ErrorSchema },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'ceir_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
