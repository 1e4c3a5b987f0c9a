import express, { type Router } from 'express';
import { accountId } from '../src/model/index.js';
import { parseEvent } from '../adapters/bitrix24/events.js';
import type { EventChange } from '../src/runtime/events.js';
import { eventsSoon } from './events-soon.js';
import type { Runtime } from '../src/runtime/runtime.js';
import { sameToken, TokenCache } from './tokens.js';
import { InboxBatcher } from './inbox-batcher.js';

/**
 * Bitrix24 event handlers: POST /webhooks/bitrix24/events/<account>, form-encoded as the portal sends
 * them. The event's application token is checked against the account's stored one in constant time;
 * a good event is stored in the inbox (a replay is stored once), its work is queued, and the portal gets
 * 200 at once. Bitrix24 never redelivers, so everything after the inbox happens in jobs.
 */
export function bitrix24Events(rt: Pick<Runtime, 'store' | 'queue' | 'log'>): Router {
  const router = express.Router();
  const inbox = new InboxBatcher(rt.store.db);
  const tokens = new TokenCache(async (account) => {
    const a = await rt.store.accounts.get(account);
    if (!a || a.kind !== 'bitrix24' || a.status !== 'active') return undefined;
    const s = (await rt.store.forAccount(account).secrets.read())?.value as { applicationToken?: string } | undefined;
    return s?.applicationToken;
  });
  const enqueueSoon = eventsSoon(rt);
  router.post('/events/:account', express.urlencoded({ extended: true, limit: '64kb', parameterLimit: 200 }), async (req, res, next) => {
    try {
      const account = accountId.safeParse(req.params.account);
      const parsed = parseEvent(req.body);
      if (!parsed.ok) {
        res.status(400).json({ error: { code: 'validation_failed', message: `not a Bitrix24 event: ${parsed.issues.slice(0, 3).join('; ')}` } });
        return;
      }
      // Unknown account and wrong token get the same answer: nothing tells a forger which one it was.
      if (!account.success || !sameToken(parsed.event.token, await tokens.get(account.data))) {
        rt.log.warn({ account: req.params.account, event: parsed.event.name }, 'bitrix24 event refused: bad application token');
        res.status(401).json({ error: { code: 'auth_failed', message: 'the event is not signed with this account’s application token' } });
        return;
      }
      const e = parsed.event;
      if (!e.change) {
        res.json({ ok: true, ignored: e.name });
        return;
      }
      const payload: EventChange = { ...e.change, event: e.name };
      const r = await inbox.receive({ account: account.data, source: 'bitrix24', dedupeKey: e.dedupeKey, payload });
      if (!r.duplicate) enqueueSoon(account.data);
      res.json({ ok: true, duplicate: r.duplicate });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
