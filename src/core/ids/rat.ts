/**
 * RAT codes of operator dumps (DIRBS format: a `|`-joined list such as `001|006`).
 * Codes 001-010 are the RAT Type values of 3GPP TS 29.274 §8.17 (1 UTRAN ... 10 NR); codes
 * 101-105 are DIRBS's own for non-3GPP accesses. Sets of codes are held as a bitmask:
 * 001..010 are bits 0..9, 101..105 bits 10..14.
 */
import { ceirError, ok, type Result } from '../errors.js';
import { Generation, type GenerationBit } from './generation.js';

/** One RAT code, its name and the generation it belongs to (null for WLAN, GAN, Virtual). */
export interface RatCode {
  readonly code: string;
  readonly name: string;
  readonly generation: GenerationBit | null;
}

const { G2, G3, G4, G5 } = Generation;

/** All RAT codes, in bit order (index = bit). */
export const RAT_CODES: readonly RatCode[] = Object.freeze(
  (
    [
      ['001', 'UTRAN', G3],
      ['002', 'GERAN', G2],
      ['003', 'WLAN', null],
      ['004', 'GAN', null],
      ['005', 'HSPA Evolution', G3],
      ['006', 'E-UTRAN', G4],
      ['007', 'Virtual', null],
      ['008', 'EUTRAN-NB-IoT', G4],
      ['009', 'LTE-M', G4],
      ['010', 'NR', G5],
      ['101', 'IEEE 802.16e', G4],
      ['102', '3GPP2 eHRPD', G3],
      ['103', '3GPP2 HRPD', G3],
      ['104', '3GPP2 1xRTT', G2],
      ['105', '3GPP2 UMB', G4],
    ] as const
  ).map(([code, name, generation]) => Object.freeze({ code, name, generation })),
);

const BIT_OF = new Map(RAT_CODES.map((r, i) => [r.code, i]));

/** The bit index of a RAT code (`001` -> 0, `010` -> 9, `101` -> 10, `105` -> 14), -1 if unknown. */
export function ratBit(code: string): number {
  return BIT_OF.get(code) ?? -1;
}

/**
 * Parse a `|`-joined RAT list (white space around codes ignored, repeats allowed) into a mask.
 * An empty field or an unknown code is an error naming it.
 */
export function parseRatList(field: string): Result<number> {
  if (field.trim() === '') return parseError(field, 'is empty');
  let mask = 0;
  for (const part of field.split('|')) {
    const bit = ratBit(part.trim());
    if (bit < 0) return parseError(field, `unknown RAT code "${part.trim()}"`);
    mask |= 1 << bit;
  }
  return ok(mask);
}

/** The codes of a mask, in bit order. Bits beyond 14 are ignored. */
export function ratMaskToCodes(mask: number): string[] {
  return RAT_CODES.filter((_, i) => mask & (1 << i)).map((r) => r.code);
}

/** The generation mask (see `Generation`) of a RAT mask. */
export function ratMaskGenerations(ratMask: number): number {
  let g = 0;
  RAT_CODES.forEach((r, i) => {
    if (ratMask & (1 << i) && r.generation !== null) g |= r.generation;
  });
  return g;
}

function parseError(raw: string, why: string): Result<never> {
  return ceirError('CEIR_ERR_PARSE', `Cannot parse RAT list "${raw}": ${why}`);
}
