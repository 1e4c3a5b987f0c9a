/** The portal's leaky bucket: each request adds one, the level drains at perSecond, above burst requests are refused. */
export class LeakyBucket {
  private level = 0;
  private last = Date.now();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  take(now = Date.now()): boolean {
    this.level = Math.max(0, this.level - ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.level + 1 > this.burst) return false;
    this.level += 1;
    return true;
  }
}
