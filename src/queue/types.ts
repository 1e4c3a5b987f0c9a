/** Every job carries its account: nothing crosses accounts, and logs say whose work it is. */
export interface JobData {
  account: string;
  [key: string]: unknown;
}

export interface Job<D extends JobData = JobData> {
  id: string;
  name: string;
  data: D;
  /** 1 on the first run. */
  attempt: number;
}

export type Handler<D extends JobData = JobData> = (job: Job<D>) => Promise<void>;

export interface RetryPolicy {
  /** Runs in all, the first included. */
  attempts: number;
  /** The first retry waits this long; each later one twice as long. */
  backoffMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 5, backoffMs: 1_000 };

export interface AddOptions {
  /** Deterministic id from jobId(): adding a job whose id is waiting, running or failed is a no-op. */
  id?: string;
  delayMs?: number;
  retry?: Partial<RetryPolicy>;
  /** A failed job of the same id (kept for inspection) is removed and this one added. */
  replaceFailed?: boolean;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface FailedJob {
  id: string;
  name: string;
  reason: string;
  attempts: number;
}

/** One queue, two drivers: BullMQ on Redis, or in process. Same retry and backoff semantics. */
export interface JobQueue {
  readonly kind: 'memory' | 'bullmq';
  handle<D extends JobData>(name: string, handler: Handler<D>): void;
  add<D extends JobData>(name: string, data: D, options?: AddOptions): Promise<{ id: string }>;
  /** Runs `name` every `everyMs`, once per scheduler id however many processes call this. */
  every<D extends JobData>(schedulerId: string, everyMs: number, name: string, data: D): Promise<void>;
  unschedule(schedulerId: string): Promise<void>;
  /** Starts taking jobs (the worker role). A queue that is never started only enqueues. */
  start(): Promise<void>;
  counts(): Promise<QueueCounts>;
  failed(limit?: number): Promise<FailedJob[]>;
  /** Throws when the backend does not answer. */
  ping(): Promise<void>;
  /** Stops taking jobs, lets running ones finish (up to timeoutMs), closes connections. */
  close(timeoutMs?: number): Promise<void>;
}

export function backoffDelay(policy: RetryPolicy, attemptsMade: number, retryAfterMs?: number): number {
  const exp = policy.backoffMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.max(exp, retryAfterMs ?? 0);
}
