/** Identifiers of OpenCEIR's domain (3GPP TS 23.003, TS 29.571, TS 29.274 §8.17): re-exports. */
export * from './luhn.js';
export * from './imei.js';
export * from './tac.js';
export * from './imeisv.js';
export * from './digit-key.js';
export * from './imsi.js';
export * from './msisdn.js';
export * from './meid.js';
export * from './pei.js';
export * from './supi.js';
export * from './gpsi.js';
export * from './generation.js';
export * from './rat.js';
export * from './bands.js';
