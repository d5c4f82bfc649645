/**
 * A token bucket for flood bounds (as nghttp2 bounds stream resets, CVE-2023-44487): `burst`
 * events at once, refilled at `perSecond`. `take()` is false once the bucket is empty.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    if (this.tokens >= 1) {
      this.tokens--;
      return true;
    }
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perSecond) / 1000);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}
