const WINDOW_MS = 600_000;
const BASKET_MS = 60_000;

/**
 * Per-method execution time over the last 10 minutes, in one-minute baskets (limits.html): a method whose
 * sum already exceeds the limit is refused until the oldest basket leaves the window.
 */
export class OperatingTime {
  private baskets = new Map<string, { start: number; sum: number }[]>();
  constructor(private readonly limitS: number) {}

  private live(key: string, now: number) {
    const list = (this.baskets.get(key) ?? []).filter((b) => b.start + WINDOW_MS > now);
    this.baskets.set(key, list);
    return list;
  }

  blocked(key: string, now = Date.now()): boolean {
    return this.state(key, now).operating > this.limitS;
  }

  add(key: string, seconds: number, now = Date.now()): void {
    const list = this.live(key, now);
    const lastB = list.at(-1);
    if (lastB && lastB.start + BASKET_MS > now) lastB.sum += seconds;
    else list.push({ start: now, sum: seconds });
  }

  state(key: string, now = Date.now()): { operating: number; resetAt: number } {
    const list = this.live(key, now);
    const operating = list.reduce((s, b) => s + b.sum, 0);
    const oldest = list[0];
    return { operating, resetAt: Math.floor(((oldest?.start ?? now) + WINDOW_MS) / 1000) };
  }
}
