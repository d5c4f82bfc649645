/**
 * Checks requests and responses against the OpenAPI document (test oracle, ajv): finds the
 * operation by method and path, then validates the JSON request body against its requestBody
 * schema and the JSON response body against the schema of its status (`$ref`s to
 * `#/components/schemas/*` resolved).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { Router } from './router.js';
import type { Schema } from './route-def.js';

type Op = {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content: Record<string, { schema: Schema }> }>;
};

export interface Verdict {
  readonly ok: boolean;
  readonly errors: string[];
}

export class OpenApiValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly router = new Router<{ op: Op; path: string }>();
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Schema) {
    this.ajv.addSchema({ $id: 'openapi', ...doc });
    const paths = doc.paths as Record<string, Record<string, Op>>;
    for (const [path, ops] of Object.entries(paths))
      for (const [method, op] of Object.entries(ops))
        this.router.add(method.toUpperCase(), path, { op, path });
  }

  private find(method: string, path: string) {
    const m = this.router.find(method, path);
    return m && 'route' in m ? m.route : undefined;
  }

  private validator(schema: Schema, key: string): ValidateFunction {
    let v = this.cache.get(key);
    if (!v) {
      const text = JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/');
      v = this.ajv.compile(JSON.parse(text) as Schema);
      this.cache.set(key, v);
    }
    return v;
  }

  private check(schema: Schema | undefined, key: string, body: unknown): Verdict {
    if (!schema) return { ok: false, errors: [`${key}: not in the document`] };
    const v = this.validator(schema, key);
    return v(body)
      ? { ok: true, errors: [] }
      : { ok: false, errors: (v.errors ?? []).map((e) => `${key}${e.instancePath} ${e.message}`) };
  }

  /** `contentType` of the response; non-JSON bodies are checked for a declared content type only. */
  response(
    method: string,
    path: string,
    status: number,
    contentType: string,
    body: unknown,
  ): Verdict {
    const f = this.find(method, path);
    if (!f) return { ok: false, errors: [`${method} ${path}: no operation`] };
    const r = f.op.responses[String(status)];
    if (!r) return { ok: false, errors: [`${method} ${f.path}: status ${status} not documented`] };
    const ct = contentType.split(';')[0]!.trim();
    const c = r.content[ct];
    if (!c)
      return {
        ok: false,
        errors: [`${method} ${f.path} ${status}: content type ${ct} not documented`],
      };
    if (ct !== 'application/json') return { ok: true, errors: [] };
    return this.check(c.schema, `${method} ${f.path} ${status}`, body);
  }

  request(method: string, path: string, body: unknown): Verdict {
    const f = this.find(method, path);
    if (!f) return { ok: false, errors: [`${method} ${path}: no operation`] };
    const c = f.op.requestBody?.content['application/json'];
    if (!c) return { ok: true, errors: [] };
    return this.check(c.schema, `${method} ${f.path} request`, body);
  }
}
