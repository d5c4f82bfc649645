/**
 * RAT masks (`core/ids/rat.ts`) to radio generations in SQL, derived from `RAT_CODES` so that the
 * SQL and the oracle's `ratMaskGenerations` cannot drift apart.
 */
import { Generation, RAT_CODES } from '../../../core/ids/index.js';

/** The RAT-mask bits whose code belongs to a generation. */
export function ratBitsOf(generation: number): number {
  let bits = 0;
  RAT_CODES.forEach((r, i) => {
    if (r.generation === generation) bits |= 1 << i;
  });
  return bits;
}

/** SQL of the generation mask (2G=1 .. 5G=8) of a RAT-mask expression. */
export function generationsExpr(ratMask: string): string {
  return [Generation.G2, Generation.G3, Generation.G4, Generation.G5]
    .map((g) => `(CASE WHEN ${ratMask} & ${ratBitsOf(g)} <> 0 THEN ${g} ELSE 0 END)`)
    .join(' | ');
}
