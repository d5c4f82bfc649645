/** Loads the YAML config (file + defaults), validates it, reports every error at once, freezes it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ceirError, ok, type CeirError, type Result } from '../core/errors.js';
import { parseConditions } from '../core/rules/parse-conditions.js';
import { DEFAULT_CONDITIONS_RAW } from '../core/rules/default-conditions.js';
import type { Condition } from '../core/rules/condition.js';
import { ConfigSchema, type Config as RawConfig } from './schema.js';

/** The validated configuration, with its conditions parsed by core/rules. */
export type Config = RawConfig & { readonly parsedConditions: readonly Condition[] };

/** The demo config shipped with the project, used when no config file is given or found. */
export const DEMO_CONFIG_PATH = fileURLToPath(
  new URL('../../config/demo.ceir.yaml', import.meta.url),
);

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

export function parseConfig(text: string, file: string): Result<Config> {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    return ceirError('CEIR_ERR_CONFIG', `Cannot parse YAML: ${(e as Error).message}`, { file });
  }
  const r = ConfigSchema.safeParse(raw);
  const lines = r.success
    ? []
    : r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  // Conditions are validated by the domain's own parser; their errors join the others.
  const rawConditions = (raw as { conditions?: unknown } | null)?.conditions;
  const conditions = parseConditions(rawConditions ?? DEFAULT_CONDITIONS_RAW);
  if (conditions.kind !== 'ok')
    lines.push(...conditions.issues.map((i) => `  conditions: ${i.path}: ${i.message}`));
  if (!r.success || conditions.kind !== 'ok')
    return ceirError('CEIR_ERR_CONFIG', `Invalid configuration:\n${lines.join('\n')}`, { file });
  return ok(deepFreeze({ ...r.data, parsedConditions: conditions.value }));
}

export function loadConfig(file: string): Result<Config> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return ceirError('CEIR_ERR_CONFIG', `Cannot read config: ${(e as Error).message}`, { file });
  }
  return parseConfig(text, file);
}

export type ConfigError = CeirError;
