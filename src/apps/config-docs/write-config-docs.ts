/** `npm run docs:config`: writes docs/config.md from the config schema, formatted by prettier. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formattedConfigReference } from './formatted-reference.js';

const doc = fileURLToPath(new URL('../../../docs/config.md', import.meta.url));
writeFileSync(doc, await formattedConfigReference(doc));
process.stdout.write(`wrote ${doc}\n`);
