/**
 * How long the S13 server held each request: from the read of its bytes off the socket to the
 * write of its answer, by outcome (checked, or shed with 3004 / 5012 under overload). The issue's
 * overload figure ("excess answered 3004 within 5 ms", domain.md §6) is this delay for `shed`;
 * what a client measures adds the time its request waited in the sockets before the server read
 * it, which on a saturated host is the client's own queue.
 *
 * Workers count into an `AnswerDelays` and send `take()` deltas to the primary, which sums them
 * (`add`) and prints them as the Prometheus histogram `ceir_s13_answer_delay_seconds`.
 */

/**
 * Upper bounds of the buckets, milliseconds (a last bucket, +Inf, holds the rest); finer around
 * the goals (p99 2 ms at 100,000 ECR/s, shed answers within 5 ms).
 */
export const ANSWER_DELAY_BUCKETS_MS = [
  0.1, 0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 25, 50, 100, 250, 1000,
] as const;

export const ANSWER_OUTCOMES = ['checked', 'shed'] as const;
export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];

const B = ANSWER_DELAY_BUCKETS_MS.length + 1;

/** Counts since the previous delta, per outcome: `buckets[o * B + b]` (not cumulative). */
export interface AnswerDelayDelta {
  readonly buckets: readonly number[];
  /** Seconds, per outcome. */
  readonly sums: readonly number[];
}

/** The bucket of a delay in milliseconds. */
export function answerDelayBucket(ms: number): number {
  let b = 0;
  while (b < ANSWER_DELAY_BUCKETS_MS.length && ms > ANSWER_DELAY_BUCKETS_MS[b]!) b++;
  return b;
}

export class AnswerDelays {
  private buckets = new Float64Array(ANSWER_OUTCOMES.length * B);
  private sums = new Float64Array(ANSWER_OUTCOMES.length);

  /** One answer written `ms` after its request was read. */
  record(shed: boolean, ms: number): void {
    const o = shed ? 1 : 0;
    this.buckets[o * B + answerDelayBucket(ms)]!++;
    this.sums[o]! += ms / 1000;
  }

  /** `n` answers of one outcome with the same delay (a burst written at once). */
  recordMany(shed: boolean, ms: number, n: number): void {
    if (n <= 0) return;
    const o = shed ? 1 : 0;
    this.buckets[o * B + answerDelayBucket(ms)]! += n;
    this.sums[o]! += (n * ms) / 1000;
  }

  /** The counts since the last `take`, and a reset. */
  take(): AnswerDelayDelta {
    const d = { buckets: [...this.buckets], sums: [...this.sums] };
    this.buckets.fill(0);
    this.sums.fill(0);
    return d;
  }

  /** Adds a worker's delta (in the primary). */
  add(d: AnswerDelayDelta): void {
    d.buckets.forEach((n, i) => (this.buckets[i]! += n));
    d.sums.forEach((s, o) => (this.sums[o]! += s));
  }

  /** The Prometheus text lines of the histogram (cumulative buckets, seconds). */
  lines(): string[] {
    const name = 'ceir_s13_answer_delay_seconds';
    const l = [
      `# HELP ${name} Time from reading an S13 request to writing its answer, by outcome (shed: 3004/5012 under overload).`,
      `# TYPE ${name} histogram`,
    ];
    ANSWER_OUTCOMES.forEach((outcome, o) => {
      let cum = 0;
      ANSWER_DELAY_BUCKETS_MS.forEach((le, b) => {
        cum += this.buckets[o * B + b]!;
        l.push(`${name}_bucket{outcome="${outcome}",le="${le / 1000}"} ${cum}`);
      });
      cum += this.buckets[o * B + B - 1]!;
      l.push(`${name}_bucket{outcome="${outcome}",le="+Inf"} ${cum}`);
      l.push(`${name}_sum{outcome="${outcome}"} ${this.sums[o]!}`);
      l.push(`${name}_count{outcome="${outcome}"} ${cum}`);
    });
    return l;
  }
}

/**
 * The cumulative bucket counts of one outcome in Prometheus text (as `lines` prints them), in
 * bucket order with +Inf last; all zeros when absent.
 */
export function answerDelaysFromMetrics(text: string, outcome: AnswerOutcome): number[] {
  const out = new Array<number>(B).fill(0);
  const re = new RegExp(
    `^ceir_s13_answer_delay_seconds_bucket\\{outcome="${outcome}",le="([^"]+)"\\} (\\S+)$`,
    'gm',
  );
  for (const m of text.matchAll(re)) {
    const le = m[1] === '+Inf' ? Infinity : Number(m[1]) * 1000;
    const b = le === Infinity ? B - 1 : ANSWER_DELAY_BUCKETS_MS.findIndex((x) => x === le);
    if (b >= 0) out[b] = Number(m[2]);
  }
  return out;
}

/**
 * The upper bound (ms) of the bucket holding quantile `q` of the answers counted between two
 * readings of `answerDelaysFromMetrics`; Infinity when it is the last bucket, NaN when none.
 */
export function answerDelayQuantileMs(before: number[], after: number[], q: number): number {
  const total = after[B - 1]! - before[B - 1]!;
  if (total <= 0) return NaN;
  const rank = Math.ceil(q * total);
  for (let b = 0; b < B; b++) {
    if (after[b]! - before[b]! >= rank) return b < B - 1 ? ANSWER_DELAY_BUCKETS_MS[b]! : Infinity;
  }
  return Infinity;
}
