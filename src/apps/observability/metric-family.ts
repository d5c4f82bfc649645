/**
 * A Prometheus metric family kept in memory and written as text (HELP, TYPE, one line per label
 * set), for the figures `ceir serve` appends to its /metrics.
 */
export type Labels = Readonly<Record<string, string>>;

/** Labels as Prometheus renders them, sorted by name: `a="1",b="2"`. */
export const labelKey = (l: Labels): string =>
  Object.entries(l)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)
    .join(',');

/** One metric family: its help and type, and a value per label set (Prometheus text format). */
export class MetricFamily {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly type: 'counter' | 'gauge',
    readonly help: string,
  ) {}
  add(l: Labels, v: number): void {
    const k = labelKey(l);
    this.values.set(k, (this.values.get(k) ?? 0) + v);
  }
  set(l: Labels, v: number): void {
    this.values.set(labelKey(l), v);
  }
  get(l: Labels): number | undefined {
    return this.values.get(labelKey(l));
  }
  clear(): void {
    this.values.clear();
  }
  text(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const [k, v] of [...this.values].sort(([a], [b]) => a.localeCompare(b)))
      out.push(`${this.name}${k ? `{${k}}` : ''} ${v}`);
    return out;
  }
}
