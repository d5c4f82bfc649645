/**
 * Token buckets per client: each client's bucket holds up to `burst` tokens and refills at
 * `perSecond`; a request takes one token or is refused with the seconds until one is back.
 * Idle buckets are dropped (a full bucket is the same as no bucket).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sweepAt = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** 0 when allowed, else the seconds to wait. `now` in ms. */
  take(client: string, now: number): number {
    let b = this.buckets.get(client);
    if (!b) {
      b = { tokens: this.burst, at: now };
      this.buckets.set(client, b);
    } else {
      // A clock that steps back refills nothing (and does not drain the bucket).
      const elapsed = Math.max(0, now - b.at);
      b.tokens = Math.min(this.burst, b.tokens + (elapsed / 1000) * this.perSecond);
      b.at = Math.max(b.at, now);
    }
    if (now >= this.sweepAt) this.sweep(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.perSecond);
  }

  private sweep(now: number): void {
    const full = (this.burst / this.perSecond) * 1000;
    for (const [k, b] of this.buckets) if (now - b.at > full) this.buckets.delete(k);
    this.sweepAt = now + 10_000;
  }

  get size(): number {
    return this.buckets.size;
  }
}
