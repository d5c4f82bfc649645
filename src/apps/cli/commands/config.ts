/**
 * `ceir config check <file>`: validates a configuration file and prints every error at once
 * (file, key path, message), or the operators, conditions and sections it sets. Runs without a
 * working global configuration, so it can check the file that will become one.
 */
import { loadConfig } from '../../../config/loader.js';
import { ErrorCatalogue, formatError } from '../../../core/errors.js';
import type { CliIo } from '../cli-context.js';
import { UsageError } from '../usage-error.js';

export function runConfig(
  io: CliIo,
  sub: string | undefined,
  file: string | undefined,
  json: boolean,
): number {
  if (sub !== 'check' || !file) throw new UsageError('ceir config check <file>');
  const r = loadConfig(file);
  if (r.kind !== 'ok') {
    if (json) io.out(JSON.stringify(r, null, 2));
    io.err(`ceir: ${formatError(r)}`);
    return ErrorCatalogue[r.code].exit;
  }
  const c = r.value;
  if (json) io.out(JSON.stringify({ kind: 'ok', file, config: c }, null, 2));
  else
    io.out(
      `${file}: valid (${c.country.name}, ${c.operators.length} operators, ${c.parsedConditions.length} conditions)`,
    );
  return 0;
}
