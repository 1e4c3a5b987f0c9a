import { randomUUID } from 'node:crypto';
import { RateLimitedError, SvodkaError, isRetryable } from '../sdk/errors.js';
import {
  backoffDelay,
  defaultRetry,
  type AddOptions,
  type FailedJob,
  type Handler,
  type JobData,
  type JobQueue,
  type QueueCounts,
  type RetryPolicy,
} from './types.js';

interface Entry {
  id: string;
  name: string;
  data: JobData;
  retry: RetryPolicy;
  attemptsMade: number;
  state: 'delayed' | 'waiting' | 'active' | 'failed';
  timer?: NodeJS.Timeout;
  reason?: string;
}

const KEEP_FAILED = 1000;

/** The embedded queue: one process, no Redis. Completed jobs are forgotten; failed ones kept for inspection. */
export class MemoryQueue implements JobQueue {
  readonly kind = 'memory';
  private readonly handlers = new Map<string, Handler>();
  private readonly jobs = new Map<string, Entry>();
  /** A FIFO read from `head`: Array.shift() is O(n) and made a large backlog quadratic. */
  private waiting: Entry[] = [];
  private head = 0;
  private readonly schedulers = new Map<string, NodeJS.Timeout>();
  private readonly idle = new Set<() => void>();
  private active = 0;
  private running = false;
  private closed = false;

  constructor(private readonly concurrency = 4) {}

  handle<D extends JobData>(name: string, handler: Handler<D>): void {
    this.handlers.set(name, handler as Handler);
  }

  async add<D extends JobData>(name: string, data: D, options: AddOptions = {}): Promise<{ id: string }> {
    if (this.closed) throw new SvodkaError('queue_closed', 'the queue is closed');
    const id = options.id ?? randomUUID();
    const existing = this.jobs.get(id);
    if (existing?.state === 'failed' && options.replaceFailed) this.jobs.delete(id);
    else if (existing) return { id };
    const entry: Entry = { id, name, data, retry: { ...defaultRetry, ...options.retry }, attemptsMade: 0, state: 'waiting' };
    this.jobs.set(id, entry);
    this.schedule(entry, options.delayMs ?? 0);
    return { id };
  }

  async every<D extends JobData>(schedulerId: string, everyMs: number, name: string, data: D): Promise<void> {
    if (this.schedulers.has(schedulerId)) return;
    let last = '';
    // A run is skipped while the previous one still waits or runs; a failed run does not block the next.
    const fire = () => {
      const prev = this.jobs.get(last);
      if (prev && prev.state !== 'failed') return;
      last = `${schedulerId}.${Date.now()}`;
      void this.add(name, data, { id: last }).catch(() => undefined);
    };
    fire();
    const t = setInterval(fire, everyMs);
    t.unref();
    this.schedulers.set(schedulerId, t);
  }

  async unschedule(schedulerId: string): Promise<void> {
    clearInterval(this.schedulers.get(schedulerId));
    this.schedulers.delete(schedulerId);
  }

  async start(): Promise<void> {
    this.running = true;
    this.pump();
  }

  async counts(): Promise<QueueCounts> {
    const c: QueueCounts = { waiting: 0, active: 0, delayed: 0, failed: 0 };
    for (const j of this.jobs.values()) c[j.state] += 1;
    return c;
  }

  async failed(limit = 100): Promise<FailedJob[]> {
    return [...this.jobs.values()]
      .filter((j) => j.state === 'failed')
      .slice(-limit)
      .map((j) => ({ id: j.id, name: j.name, reason: j.reason ?? '', attempts: j.attemptsMade }));
  }

  async ping(): Promise<void> {
    if (this.closed) throw new SvodkaError('queue_closed', 'the queue is closed');
  }

  async close(timeoutMs = 15_000): Promise<void> {
    this.closed = true;
    this.running = false;
    for (const t of this.schedulers.values()) clearInterval(t);
    this.schedulers.clear();
    for (const j of this.jobs.values()) clearTimeout(j.timer);
    if (this.active === 0) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.idle.add(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private schedule(entry: Entry, delayMs: number): void {
    if (delayMs > 0) {
      entry.state = 'delayed';
      entry.timer = setTimeout(() => {
        entry.state = 'waiting';
        this.waiting.push(entry);
        this.pump();
      }, delayMs);
      entry.timer.unref();
    } else {
      entry.state = 'waiting';
      this.waiting.push(entry);
      this.pump();
    }
  }

  private pump(): void {
    while (this.running && this.active < this.concurrency && this.head < this.waiting.length) {
      const entry = this.waiting[this.head++]!;
      void this.run(entry);
    }
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }

  private async run(entry: Entry): Promise<void> {
    this.active += 1;
    entry.state = 'active';
    entry.attemptsMade += 1;
    try {
      const handler = this.handlers.get(entry.name);
      if (!handler) throw new SvodkaError('job_unknown', `no handler for job ${entry.name}`);
      await handler({ id: entry.id, name: entry.name, data: entry.data, attempt: entry.attemptsMade });
      this.jobs.delete(entry.id);
    } catch (e) {
      if (isRetryable(e) && entry.attemptsMade < entry.retry.attempts && !this.closed) {
        const after = e instanceof RateLimitedError ? e.retryAfterMs : undefined;
        this.schedule(entry, backoffDelay(entry.retry, entry.attemptsMade, after));
      } else {
        entry.state = 'failed';
        entry.reason = e instanceof Error ? e.message : String(e);
        this.trimFailed();
      }
    } finally {
      this.active -= 1;
      if (this.active === 0) for (const done of this.idle) done();
      this.pump();
    }
  }

  private trimFailed(): void {
    const failed = [...this.jobs.values()].filter((j) => j.state === 'failed');
    for (const j of failed.slice(0, Math.max(0, failed.length - KEEP_FAILED))) this.jobs.delete(j.id);
  }
}
