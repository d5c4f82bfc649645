// ESLint flat config: TypeScript rules plus the dependency direction of docs/architecture.md:
// apps -> {api, eir, ingest, store, attestation, exchange, protocols, config} -> core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const middle = [
  'api',
  'eir',
  'ingest',
  'store',
  'attestation',
  'exchange',
  'config',
  'web',
  'listgen',
];

/** Import patterns (relative, any depth) that reach into the named top-level src folders. */
function into(folders) {
  return folders.flatMap((f) => [`**/${f}/**`, `**/${f}`]).map((group) => group);
}

function layer(name, forbidden, message, extra = []) {
  return {
    files: [`src/${name}/**/*.ts`],
    ignores: extra.length ? ['src/**/*.test.ts'] : [],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: into(forbidden).map((g) => `../${g}`), message },
            { group: into(forbidden).map((g) => `../../${g}`), message },
            { group: into(forbidden).map((g) => `../../../${g}`), message },
            ...extra,
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  layer(
    'core',
    ['apps', 'protocols', ...middle],
    'core is pure: it imports nothing else from the project',
  ),
  layer(
    'core',
    ['apps', 'protocols', ...middle],
    'core is pure: it imports nothing else from the project',
    [{ group: ['node:*'], message: 'core does no I/O: no node:* imports' }],
  ),
  layer('protocols', ['apps', 'core', ...middle], 'protocols are pure codecs: no project imports'),
  ...middle.map((m) =>
    layer(
      m,
      ['apps', ...middle.filter((x) => x !== m)],
      `${m} may import core (ports) and protocols only; apps wire adapters together`,
    ),
  ),
);
