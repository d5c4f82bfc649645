/**
 * Operators: download their lists (the latest signed delivery: manifest, Ed25519 signature,
 * public key, and the zip files of their own notification and exception lists and the national
 * black list, full and delta), upload network dumps through the same import path and quality
 * gates as `ceir import operator`, and see their import history with gate results.
 */
import { CeirFailure, ceirError } from '../core/errors.js';
import { json } from './http-types.js';
import { notFound } from './list-deltas.js';
import { importJson } from './presenters.js';
import type { RouteContext, RouteDef } from './route-def.js';
import { ImportSchema, arr, int, nullableStr, obj, str } from './schemas.js';

function operatorOf(c: RouteContext): string {
  const op = c.principal.operator;
  if (!op)
    throw new CeirFailure(
      ceirError('CEIR_ERR_FORBIDDEN', 'This operator account is not bound to an operator id'),
    );
  return op;
}

const ListFile = obj({
  name: str(),
  kind: str(),
  form: str(),
  operator: nullableStr,
  rows: int,
  sha256: str({ pattern: '^[0-9a-f]{64}$' }),
  bytes: int,
});

export const OPERATOR_ROUTES: readonly RouteDef[] = [
  {
    id: 'operatorLists',
    method: 'GET',
    path: '/api/v1/operator/lists',
    tag: 'operator',
    summary:
      'The latest signed list delivery for the caller’s operator: manifest, signature, public key, files',
    roles: ['operator'],
    responses: {
      200: {
        description: 'Delivery',
        schema: obj({
          operator: str(),
          run: int,
          as_of: str(),
          manifest: str(),
          signature: str(),
          public_key_pem: str(),
          files: arr(ListFile),
        }),
      },
    },
    handler: async (c) => {
      const op = operatorOf(c);
      const d = await c.deps.services.operatorLists(op);
      if (!d) throw notFound('No lists were generated yet');
      return json(200, {
        operator: op,
        run: d.run,
        as_of: d.asOf,
        manifest: d.manifest,
        signature: d.signature,
        public_key_pem: d.publicKeyPem,
        files: d.files,
      });
    },
  },
  {
    id: 'operatorListFile',
    method: 'GET',
    path: '/api/v1/operator/lists/files/{name}',
    tag: 'operator',
    summary: 'One list file (zip) of the latest delivery: the caller’s own lists or the black list',
    roles: ['operator'],
    personalData: true,
    responses: {
      200: {
        description: 'The zip file',
        contentType: 'application/zip',
        schema: { type: 'string', format: 'binary' },
      },
    },
    handler: async (c) => {
      const op = operatorOf(c);
      const name = c.params.name!;
      const bytes = await c.deps.services.operatorListFile(op, name);
      if (!bytes) throw notFound(`No list file ${name} for ${op}`);
      c.audit = { target: name, detail: { bytes: bytes.length } };
      return {
        status: 200,
        headers: {
          'content-type': 'application/zip',
          'content-disposition': `attachment; filename="${name}"`,
        },
        body: bytes,
        raw: true,
      };
    },
  },
  {
    id: 'uploadDump',
    method: 'POST',
    path: '/api/v1/operator/dumps',
    tag: 'operator',
    summary:
      'Upload a network dump (CSV, gzip or zip): the same import path and quality gates as the CLI',
    roles: ['operator'],
    query: {
      properties: {
        file_name: str({ pattern: '^[A-Za-z0-9._-]{1,120}$' }),
        period: str({ pattern: '^[0-9]{8}:[0-9]{8}$' }),
      },
      required: ['file_name'],
    },
    body: { type: 'binary' },
    responses: {
      200: {
        description: 'Imported, already imported, or rejected by a gate (nothing changed)',
        schema: obj(
          {
            outcome: str({ enum: ['imported', 'duplicate', 'rejected'] }),
            import: ImportSchema,
            error: obj({ code: str(), message: str() }, ['code', 'message']),
            gates: arr({ type: 'object' }),
            rows: int,
          },
          ['outcome'],
        ),
      },
    },
    handler: async (c) => {
      const op = operatorOf(c);
      const r = await c.deps.services.uploadDump(
        op,
        c.body as Uint8Array,
        c.query.file_name!,
        c.query.period,
      );
      c.audit = { target: c.query.file_name!, detail: { outcome: r.kind, operator: op } };
      if (r.kind === 'imported')
        return json(200, { outcome: r.kind, import: importJson(r.record) });
      if (r.kind === 'duplicate')
        return json(200, { outcome: r.kind, import: importJson(r.previous) });
      return json(200, {
        outcome: r.kind,
        error: { code: r.error.code, message: r.error.message },
        gates: r.gates,
        rows: r.rows,
      });
    },
  },
  {
    id: 'operatorImports',
    method: 'GET',
    path: '/api/v1/operator/imports',
    tag: 'operator',
    summary: 'The caller’s dump imports, latest first, with gate results',
    roles: ['operator'],
    responses: { 200: { description: 'Imports', schema: obj({ imports: arr(ImportSchema) }) } },
    handler: async (c) => {
      const list = await c.deps.services.imports(operatorOf(c), 200);
      return json(200, { imports: list.map(importJson) });
    },
  },
];
