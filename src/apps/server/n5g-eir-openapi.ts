/**
 * Test oracle: validates an HTTP response of GetEquipmentStatus against the 3GPP OpenAPI files
 * (TS 29.511 and the TS 29.571 / TS 29.510 files it references by `$ref`), with ajv.
 *
 * Every YAML file of a release folder is loaded, OpenAPI 3.0 schema dialect is turned into JSON
 * Schema (`nullable`, `example`, `discriminator`, `readOnly`/`writeOnly`), and each file is
 * added to ajv under its own URI, so the cross-file `$ref`s resolve as relative URIs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const BASE = 'https://openceir.invalid/3gpp/';
const N5G_EIR_FILE = 'TS29511_N5g-eir_EquipmentIdentityCheck.yaml';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export interface SpecResponse {
  readonly status: number;
  /** The `content-type` header as sent (undefined when absent). */
  readonly contentType: string | undefined;
  readonly body: string;
}

export interface SpecVerdict {
  readonly ok: boolean;
  /** The response key used: the status code or `default`. */
  readonly matched: string;
  readonly errors: string[];
}

export interface OperationSpec {
  readonly release: string;
  /** Validate one response of GET /equipment-status. */
  validate(r: SpecResponse): SpecVerdict;
  /** Response keys the operation lists (e.g. '200', '400', ..., 'default'). */
  readonly responseKeys: readonly string[];
}

/** Load the OpenAPI files of one release folder (e.g. `.../specs/3gpp/Rel-17-min`). */
export function loadEquipmentStatusSpec(dir: string, release: string): OperationSpec {
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const docs = new Map<string, Obj>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    const doc = toJsonSchemaDialect(parse(readFileSync(join(dir, f), 'utf8')) as Json) as Obj;
    docs.set(f, doc);
    const id = `${BASE}${release}/${f}`;
    // Only `components` is a schema container; keep it under the file's URI.
    ajv.addSchema({ $id: id, components: doc['components'] ?? {} } as object);
  }
  const main = docs.get(N5G_EIR_FILE);
  if (!main) throw new Error(`${N5G_EIR_FILE} not found in ${dir}`);
  const op = (((main['paths'] as Obj)['/equipment-status'] as Obj)['get'] as Obj) ?? {};
  const responses = op['responses'] as Obj;
  const compiled = new Map<string, ValidateFunction>();

  /** Resolve a Response Object `$ref` (not a schema: resolved by hand), with its file. */
  function responseObject(key: string): { file: string; obj: Obj } | undefined {
    let r = responses[key] as Obj | undefined;
    let file = N5G_EIR_FILE;
    while (r && typeof r['$ref'] === 'string') {
      const [f, pointer] = (r['$ref'] as string).split('#');
      if (f) file = f;
      r = jsonPointer(docs.get(file), pointer ?? '') as Obj | undefined;
    }
    return r ? { file, obj: r } : undefined;
  }

  function validator(file: string, schema: Obj): ValidateFunction {
    const ref = schema['$ref'];
    const key = typeof ref === 'string' ? new URL(ref, `${BASE}${release}/${file}`).href : '';
    if (key === '') {
      return ajv.compile({ $id: `${BASE}${release}/inline-${compiled.size}.json`, ...schema });
    }
    let v = compiled.get(key);
    if (!v) {
      v = ajv.compile({ $ref: key });
      compiled.set(key, v);
    }
    return v;
  }

  return {
    release,
    responseKeys: Object.keys(responses),
    validate(res: SpecResponse): SpecVerdict {
      const status = String(res.status);
      const matched = status in responses ? status : 'default';
      const errors: string[] = [];
      const ro = responseObject(matched);
      if (!ro) return { ok: false, matched, errors: [`no response ${status} nor default`] };
      const content = ro.obj['content'] as Obj | undefined;
      if (content === undefined) {
        // No content defined: only an empty body is unquestionably conforming for a listed code;
        // under `default` (unexpected error) any body is allowed.
        if (matched !== 'default' && res.body.length > 0) {
          errors.push(`response ${matched} defines no content but a body was sent`);
        }
        return { ok: errors.length === 0, matched, errors };
      }
      const mediaType = (res.contentType ?? '').split(';')[0]?.trim() ?? '';
      const media = content[mediaType] as Obj | undefined;
      if (!media) {
        errors.push(
          `content-type ${res.contentType ?? '(none)'} not among ${Object.keys(content).join(', ')}`,
        );
        return { ok: false, matched, errors };
      }
      let body: unknown;
      try {
        body = JSON.parse(res.body);
      } catch {
        errors.push(`body is not JSON: ${res.body.slice(0, 80)}`);
        return { ok: false, matched, errors };
      }
      const v = validator(ro.file, media['schema'] as Obj);
      if (!v(body)) {
        for (const e of v.errors ?? []) errors.push(`${e.instancePath || '/'} ${e.message ?? ''}`);
      }
      return { ok: errors.length === 0, matched, errors };
    },
  };
}

function jsonPointer(doc: Json | undefined, pointer: string): Json | undefined {
  let cur: Json | undefined = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** OpenAPI 3.0 schema objects to JSON Schema: `nullable`, and annotations ajv does not know. */
function toJsonSchemaDialect(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchemaDialect);
  if (node === null || typeof node !== 'object') return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'example' || k === 'discriminator' || k === 'xml' || k === 'externalDocs') continue;
    out[k] = toJsonSchemaDialect(v);
  }
  if (out['nullable'] === true) {
    delete out['nullable'];
    if (typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...out['enum'], null];
    if (out['$ref'] !== undefined || out['anyOf'] !== undefined || out['oneOf'] !== undefined) {
      return { anyOf: [out, { type: 'null' }] };
    }
  } else if (out['nullable'] === false) {
    delete out['nullable'];
  }
  return out;
}
