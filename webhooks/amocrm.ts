import express, { type Router } from 'express';
import { parseWebhook } from '../adapters/amocrm/events.js';
import { amoCredentials } from '../adapters/amocrm/config.js';
import { accountId } from '../src/model/index.js';
import type { EventChange } from '../src/runtime/events.js';
import { eventsSoon } from './events-soon.js';
import type { Runtime } from '../src/runtime/runtime.js';
import { InboxBatcher } from './inbox-batcher.js';
import { sameToken, TokenCache } from './tokens.js';

/**
 * amoCRM webhooks: POST /webhooks/amocrm/<account>/<secret>, form-encoded and unsigned, so the per-account
 * secret in the URL is what authenticates them (constant-time compare). Each change is stored once in the
 * inbox and re-read through the API by the events job; the answer comes at once (amoCRM wants 2xx within 2 s).
 */
export function amocrmWebhooks(rt: Pick<Runtime, 'store' | 'queue' | 'log'>): Router {
  const router = express.Router();
  const inbox = new InboxBatcher(rt.store.db);
  const secrets = new TokenCache(async (account) => {
    const a = await rt.store.accounts.get(account);
    if (!a || a.kind !== 'amocrm' || a.status !== 'active') return undefined;
    const c = amoCredentials.safeParse((await rt.store.forAccount(account).secrets.read())?.value);
    return c.success ? c.data.webhookSecret : undefined;
  });
  const enqueueSoon = eventsSoon(rt);
  router.post('/:account/:secret', express.urlencoded({ extended: true, limit: '256kb', parameterLimit: 2000 }), async (req, res, next) => {
    try {
      const account = accountId.safeParse(req.params.account);
      if (!account.success || !sameToken(String(req.params.secret), await secrets.get(account.data))) {
        res.status(401).json({ error: { code: 'auth_failed', message: 'unknown webhook address' } });
        return;
      }
      const parsed = parseWebhook(req.body);
      if (!parsed.ok) {
        res.status(400).json({ error: { code: 'validation_failed', message: `not an amoCRM webhook: ${parsed.issue}` } });
        return;
      }
      let fresh = 0;
      for (const c of parsed.changes) {
        const payload: EventChange = { entity: c.entity, id: c.id, deleted: c.deleted, event: c.dedupeKey };
        const r = await inbox.receive({ account: account.data, source: 'amocrm', dedupeKey: c.dedupeKey, payload });
        if (!r.duplicate) fresh += 1;
      }
      if (fresh) enqueueSoon(account.data);
      res.json({ ok: true, changes: parsed.changes.length, new: fresh });
    } catch (e) {
      next(e);
    }
  });
  return router;
}
