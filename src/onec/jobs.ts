import { z } from 'zod';
import type { JobDeps } from '../runtime/jobs.js';
import { errorCode } from '../sdk/errors.js';
import { applyCml } from './apply.js';
import { uploadedFile } from './source.js';
import { enqueueCrmPush, pushToCrm } from './crm-push.js';
import { guardDeals } from './guard.js';

const importJob = z.object({ account: z.string(), session: z.string(), file: z.string() });

/** Reads a reason for 1C's user out of any failure, without stack or secrets. */
function reason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/\s+/g, ' ').slice(0, 500);
}

/**
 * The import of one uploaded file, while 1C polls mode=import: the state moves queued -> running ->
 * success (with what was applied) or failure (with the reason 1C shows). A failed file changes nothing.
 * Failures are final for this upload: 1C starts a new exchange to try again.
 */
export function registerOnecJobs(deps: JobDeps): void {
  deps.queue.handle('onec-crm-push', async (job) => {
    const { account } = z.object({ account: z.string() }).parse(job.data);
    const report = await pushToCrm(deps, account);
    const guard = await guardDeals(deps, account);
    deps.log.child({ account }).info({ report, guard }, '1c changes pushed to the CRM, deals checked');
  });
  deps.queue.handle('onec-import', async (job) => {
    const { account, session, file } = importJob.parse(job.data);
    const store = deps.store.forAccount(account);
    await store.onec.setState(session, file, 'running');
    const log = deps.log.child({ account, file });
    try {
      const source = await uploadedFile(store, session, file);
      try {
        const summary = await applyCml(store, source.bytes, file);
        await store.onec.setState(session, file, 'success', null, summary);
        log.info({ summary }, '1c file imported');
        if (summary.prices || summary.stockRows) await enqueueCrmPush(deps.queue, account);
      } finally {
        source.done();
      }
    } catch (e) {
      log.warn({ code: errorCode(e), reason: reason(e) }, '1c file refused');
      await store.onec.setState(session, file, 'failure', `${file}: ${reason(e)}`);
    }
  });
}
