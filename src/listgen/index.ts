/** Operator list files: zip writer, CSV list files, signed manifest, keys, verification. */
export * from './csv.js';
export * from './keys.js';
export * from './list-files.js';
export * from './manifest.js';
export * from './verify-list-dir.js';
export * from './zip-reader.js';
export * from './zip-writer.js';
