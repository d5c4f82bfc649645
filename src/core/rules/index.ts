/** Classification rules (domain.md section 4): conditions as data and their pure oracle. */
export * from './dates.js';
export * from './condition.js';
export * from './parse-conditions.js';
export * from './condition-to-raw.js';
export * from './default-conditions.js';
export * from './data-model.js';
export * from './dimensions/index.js';
export * from './evaluate-condition.js';
