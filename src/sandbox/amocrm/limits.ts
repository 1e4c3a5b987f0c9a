/**
 * "Не более 7 запросов в секунду" as a sliding one-second window per integration: a request is refused with 429
 * when `perSecond` requests were accepted in the last 1000 ms. After `blockAfter` 429s in a row the whole account
 * answers 403 for `blockSeconds` (docs: repeated violations block the account; duration undocumented).
 */
export class RateLimits {
  private windows = new Map<string, number[]>();
  private streak = 0;
  private blockedUntil = 0;

  constructor(private readonly o: { perSecond: number; blockAfter: number; blockSeconds: number }) {}

  blocked(now = Date.now()): boolean {
    return now < this.blockedUntil;
  }

  /** True when the request may pass; counts refusals toward the block. */
  take(key: string, now = Date.now()): boolean {
    const w = this.windows.get(key) ?? [];
    while (w.length && (w[0] as number) <= now - 1000) w.shift();
    this.windows.set(key, w);
    if (w.length >= this.o.perSecond) {
      this.streak++;
      if (this.o.blockAfter > 0 && this.streak >= this.o.blockAfter) {
        this.blockedUntil = now + this.o.blockSeconds * 1000;
        this.streak = 0;
      }
      return false;
    }
    this.streak = 0;
    w.push(now);
    return true;
  }
}

/** The block page: amoCRM's 403 body is not documented; an nginx-style HTML page is what a JSON parser must survive. */
export const BLOCK_HTML = '<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
