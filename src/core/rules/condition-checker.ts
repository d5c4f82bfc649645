/** The validation helpers of `parse-conditions.ts`: each problem recorded with its path. */

/** One problem of a conditions document. */
export interface ConditionIssue {
  readonly path: string;
  readonly message: string;
}

export type Raw = Record<string, unknown>;

/** Collects problems while reading raw values; each reader returns a fallback on a problem. */
export class Checker {
  readonly issues: ConditionIssue[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** A plain object with only the allowed keys (unknown ones reported), or undefined. */
  object(v: unknown, path: string, allowed: readonly string[]): Raw | undefined {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.add(path, `must be an object, got ${describe(v)}`);
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k))
        this.add(`${path}.${k}`, `unknown key (allowed: ${allowed.join(', ') || 'none'})`);
    }
    return v as Raw;
  }

  string(o: Raw, key: string, path: string): string {
    const v = o[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    this.add(
      `${path}.${key}`,
      v === undefined ? 'is required' : `must be a non-empty string, got ${describe(v)}`,
    );
    return '';
  }

  boolean(o: Raw, key: string, path: string, dflt: boolean): boolean {
    const v = o[key];
    if (v === undefined) return dflt;
    if (typeof v === 'boolean') return v;
    this.add(`${path}.${key}`, `must be true or false, got ${describe(v)}`);
    return dflt;
  }

  /** An integer >= min; `dflt` undefined makes it required. */
  integer(o: Raw, key: string, path: string, min: number, dflt?: number): number {
    const v = o[key];
    if (v === undefined) {
      if (dflt === undefined) this.add(`${path}.${key}`, 'is required');
      return dflt ?? min;
    }
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
    this.add(`${path}.${key}`, `must be an integer >= ${min}, got ${describe(v)}`);
    return dflt ?? min;
  }

  /** A finite number in (lo, hi] (`loOpen`) or [lo, hi]. */
  number(
    o: Raw,
    key: string,
    path: string,
    lo: number,
    hi: number,
    loOpen: boolean,
    dflt?: number,
  ): number {
    const v = o[key];
    if (v === undefined) {
      if (dflt === undefined) this.add(`${path}.${key}`, 'is required');
      return dflt ?? hi;
    }
    if (typeof v === 'number' && Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && v <= hi)
      return v;
    const range = `${loOpen ? '(' : '['}${lo}, ${hi === Infinity ? 'inf)' : `${hi}]`}`;
    this.add(`${path}.${key}`, `must be a number in ${range}, got ${describe(v)}`);
    return dflt ?? hi;
  }
}

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `"${v}"`;
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}
