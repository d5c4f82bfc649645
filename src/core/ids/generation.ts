/**
 * Radio generations as a bitmask, shared by RAT codes (`rat.ts`) and TAC band capabilities
 * (`bands.ts`): 2G = 1, 3G = 2, 4G = 4, 5G = 8.
 */
export const Generation = { G2: 1, G3: 2, G4: 4, G5: 8 } as const;

/** One generation bit. */
export type GenerationBit = (typeof Generation)[keyof typeof Generation];

/** The generation names of a mask, oldest first: `generationNames(5)` is `['2G', '4G']`. */
export function generationNames(mask: number): string[] {
  const names: string[] = [];
  if (mask & Generation.G2) names.push('2G');
  if (mask & Generation.G3) names.push('3G');
  if (mask & Generation.G4) names.push('4G');
  if (mask & Generation.G5) names.push('5G');
  return names;
}
