import { z } from 'zod';
import { entityNames, type EntityName } from '../model/index.js';
import type { AdapterDef } from '../sdk/adapter.js';
import { ConfigError, NotFoundError, SvodkaError } from '../sdk/errors.js';
import type { Logger } from '../log/logger.js';
import { jobId, type JobQueue, type RateLimiter } from '../queue/index.js';
import { adapterContext, type CountingContext } from './context.js';
import type { AccountStore, Store } from '../store/index.js';
import { dispatchOutbox } from './outbox.js';
import { enqueueEvents, processEvents } from './events.js';
import { reconcileAccount } from './reconcile.js';
import { registerOnecJobs } from '../onec/jobs.js';
import { guardAfterSync } from '../onec/guard.js';
import { syncEntity, type SyncCounts } from '../sync/sync-entity.js';
import type { Units } from './registry.js';

export const syncJob = z.object({
  account: z.string(),
  entity: z.enum(entityNames as [EntityName, ...EntityName[]]).optional(),
});
export type SyncJob = z.infer<typeof syncJob>;

/** Jobs about a whole account (the outbox run, the sync tick). */
const accountJob = z.object({ account: z.string() });

export interface JobDeps {
  store: Store;
  queue: JobQueue;
  log: Logger;
  units: Units;
  limiter: RateLimiter;
}

export function adapterFor(units: Units, kind: string): AdapterDef {
  const adapter = units.adapters.find((a) => a.id === kind);
  if (!adapter) throw new SvodkaError('adapter_missing', `no adapter for accounts of kind ${kind}`);
  return adapter;
}

export interface Connected {
  adapter: AdapterDef;
  store: AccountStore;
  ctx: CountingContext;
  log: Logger;
}

/** An active account with its adapter, parsed settings and rate-limited HTTP client; undefined when paused. */
export async function connect(deps: JobDeps, accountId: string, signal: AbortSignal): Promise<Connected | undefined> {
  const account = await deps.store.accounts.get(accountId);
  if (!account) throw new NotFoundError(`account ${accountId} does not exist`);
  const log = deps.log.child({ account: account.id, adapter: account.kind });
  if (account.status !== 'active') {
    log.warn({ status: account.status, reason: account.statusReason }, 'account not active: work skipped');
    return undefined;
  }
  const adapter = adapterFor(deps.units, account.kind);
  const config = adapter.config.safeParse(account.settings);
  if (!config.success) throw new ConfigError(`account ${account.id}: settings do not fit ${adapter.id}: ${config.error.message}`);
  const store = deps.store.forAccount(account.id);
  const ctx = adapterContext({ adapter, store, config: config.data, limiter: deps.limiter, log, signal });
  return { adapter, store, ctx, log };
}

export interface SyncResult {
  entities: Partial<Record<EntityName, SyncCounts>>;
  /** HTTP requests sent to the source for this sync, retries included. */
  requests: number;
}

/** Syncs every entity the account's adapter maps (or the one named), in the adapter's order. */
export async function runSync(
  deps: JobDeps,
  job: SyncJob,
  signal: AbortSignal,
  onPage?: (entity: EntityName, c: SyncCounts) => void,
): Promise<SyncResult> {
  const c = await connect(deps, job.account, signal);
  if (!c) return { entities: {}, requests: 0 };
  const wanted = job.entity ? [job.entity] : (Object.keys(c.adapter.entities) as EntityName[]);
  const entities: Partial<Record<EntityName, SyncCounts>> = {};
  for (const entity of wanted) {
    entities[entity] = await syncEntity({
      store: c.store,
      adapter: c.adapter,
      entity,
      ctx: { ...c.ctx, log: c.log.child({ entity }) },
      ...(onPage ? { onPage: (n: SyncCounts) => onPage(entity, n) } : {}),
    });
  }
  return { entities, requests: c.ctx.requests };
}

/**
 * One sync per account at a time: every sync of an account (scheduled, manual, webhook-driven) is added
 * under the same id, so a second one is a no-op while the first waits or runs.
 */
export function enqueueSync(queue: JobQueue, account: string): Promise<{ id: string }> {
  return queue.add('sync', { account }, { id: jobId('sync', account), replaceFailed: true });
}

export function registerJobs(deps: JobDeps, signal: AbortSignal): void {
  deps.queue.handle('sync', async (job) => {
    const data = syncJob.parse(job.data);
    try {
      await runSync({ ...deps, log: deps.log.child({ job: job.id }) }, data, signal);
    } catch (e) {
      // The CRM blocked the integration: stop the account with the reason, rather than hammer it.
      if (e instanceof SvodkaError && e.code === 'account_blocked') await deps.store.accounts.setStatus(data.account, 'blocked', e.message);
      throw e;
    }
    await guardAfterSync(deps, data.account);
  });
  deps.queue.handle('outbox', async (job) => {
    await dispatchOutbox(deps, accountJob.parse(job.data).account, signal);
  });
  deps.queue.handle('sync-tick', async (job) => {
    const { account } = accountJob.parse(job.data);
    await enqueueSync(deps.queue, account);
    // Events that arrived while an events job was finishing are picked up here at the latest.
    await enqueueEvents(deps.queue, account);
  });
  registerOnecJobs(deps);
  deps.queue.handle('reconcile', async (job) => {
    await reconcileAccount({ ...deps, log: deps.log.child({ job: job.id }) }, accountJob.parse(job.data).account, signal);
  });
  deps.queue.handle('events', async (job) => {
    await processEvents({ ...deps, log: deps.log.child({ job: job.id }) }, accountJob.parse(job.data).account, signal);
  });
}

/** Periodic incremental sync of every active account; once per account however many workers call this. */
export async function scheduleAccounts(deps: JobDeps, everyMs: number): Promise<number> {
  let n = 0;
  for (const a of await deps.store.accounts.list()) {
    if (a.status !== 'active' || !deps.units.adapters.some((ad) => ad.id === a.kind)) continue;
    await deps.queue.every(jobId('sync-every', a.id), everyMs, 'sync-tick', { account: a.id });
    // Write-backs deferred by a retryable failure are picked up again here.
    await deps.queue.every(jobId('outbox-every', a.id), 60_000, 'outbox', { account: a.id });
    // Deletions no event reported (Bitrix24 never redelivers a lost one) are found by listing ids.
    await deps.queue.every(jobId('reconcile-every', a.id), 6 * 3600_000, 'reconcile', { account: a.id });
    n += 1;
  }
  return n;
}
