/**
 * A condition evaluated by the pure evaluators (the oracle of the SQL forms): its dimensions
 * intersected, inverted ones replaced by their complement within the SEEN IMEIs, and the
 * safety ratio of domain.md section 4.
 */
import type { Condition, DimensionSpec } from './condition.js';
import { type ClassificationData, seenImeis } from './data-model.js';
import { evaluateDimension } from './dimensions/index.js';

/** What a condition matched as of a date. */
export interface ConditionOutcome {
  readonly label: string;
  readonly matched: ReadonlySet<string>;
  /** Distinct SEEN IMEIs (a triplet day on or before `asOf`): the ratio's denominator. */
  readonly seen: number;
  /** `matched.size / seen`, 0 when nothing was seen. */
  readonly matchingRatio: number;
  /** `matchingRatio > maxMatchingRatio` (equal passes): the run must refuse this condition. */
  readonly exceedsMaxRatio: boolean;
}

/**
 * The IMEIs one dimension contributes: its matches, or with `invert` the SEEN IMEIs it does not
 * match (so `dim ∪ invert(dim) = SEEN` and the two are disjoint).
 */
export function dimensionSet(
  spec: DimensionSpec,
  data: ClassificationData,
  asOf: string = data.asOf,
  seen: ReadonlySet<string> = seenImeis(data, asOf),
): Set<string> {
  const matched = evaluateDimension(spec, data, asOf);
  const out = new Set<string>();
  for (const imei of seen) if (matched.has(imei) !== spec.invert) out.add(imei);
  return out;
}

/**
 * Evaluate a condition as of `asOf`: the intersection of its dimensions' sets
 * (`dimensionSet`), and the matching ratio over the SEEN IMEIs. Stickiness, grace periods and
 * block dates are the classification state's business, not this function's.
 */
export function evaluateCondition(
  condition: Condition,
  data: ClassificationData,
  asOf: string = data.asOf,
): ConditionOutcome {
  const seen = seenImeis(data, asOf);
  let acc: Set<string> = new Set(seen);
  for (const spec of condition.dimensions) {
    const s = dimensionSet(spec, data, asOf, seen);
    acc = new Set([...acc].filter((imei) => s.has(imei)));
  }
  const matchingRatio = seen.size === 0 ? 0 : acc.size / seen.size;
  return {
    label: condition.label,
    matched: acc,
    seen: seen.size,
    matchingRatio,
    exceedsMaxRatio: matchingRatio > condition.maxMatchingRatio,
  };
}
