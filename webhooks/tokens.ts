import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a presented token with the stored one in constant time (hashes make the lengths equal). */
export function sameToken(presented: string, stored: string | undefined): boolean {
  if (!stored) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(stored).digest();
  return timingSafeEqual(a, b);
}

/** Remembers each account's stored token briefly, so a burst of events opens the sealed secret once. */
export class TokenCache {
  private readonly cache = new Map<string, { token: string | undefined; at: number }>();

  constructor(
    private readonly load: (account: string) => Promise<string | undefined>,
    private readonly ttlMs = 30_000,
  ) {}

  async get(account: string): Promise<string | undefined> {
    const hit = this.cache.get(account);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.token;
    const token = await this.load(account);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(account, { token, at: Date.now() });
    return token;
  }

  forget(account: string): void {
    this.cache.delete(account);
  }
}
