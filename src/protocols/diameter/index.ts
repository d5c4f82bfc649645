/** Diameter codec for the base protocol (RFC 6733) and S13 (3GPP TS 29.272). Re-exports only. */
export * from './address.js';
export * from './avp.js';
export * from './dictionary.js';
export * from './message.js';
export * from './framer.js';
export * from './out-buffer.js';
export * from './command-rules.js';
export * from './answer.js';
export * from './base.js';
export * from './s13-request-decoder.js';
export { InPlaceEcr } from './s13-request-in-place.js';
export * from './last-text.js';
export * from './s13.js';
export * from './pcap.js';
export * from './doic.js';
