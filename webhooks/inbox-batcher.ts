import { receiveMany, type Received } from '../src/store/inbox.js';
import type { Sql } from '../src/store/index.js';

interface Waiting extends Received {
  done: (duplicate: boolean) => void;
  fail: (e: unknown) => void;
}

/**
 * Group commit for webhooks: events arriving within a couple of milliseconds are stored by one insert,
 * so a burst costs one commit (one fsync) instead of one per event. Each caller still learns whether its
 * own event was new, and is answered only once it is stored.
 */
export class InboxBatcher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly maxWaitMs = 2,
    private readonly maxItems = 200,
  ) {}

  receive(r: Received): Promise<{ duplicate: boolean }> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...r, done: (duplicate) => resolve({ duplicate }), fail: reject });
      if (this.waiting.length >= this.maxItems) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (!batch.length) return;
    receiveMany(this.sql, batch).then(
      (dup) => batch.forEach((w, i) => w.done(dup[i]!)),
      (e: unknown) => batch.forEach((w) => w.fail(e)),
    );
  }
}
