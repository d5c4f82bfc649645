/** The configuration reference as committed: formatted by the project's prettier settings. */
import { format, resolveConfig } from 'prettier';
import { configReference } from './config-reference.js';

export async function formattedConfigReference(docPath: string): Promise<string> {
  const options = (await resolveConfig(docPath)) ?? {};
  return format(`${configReference()}\n`, { ...options, filepath: docPath });
}
