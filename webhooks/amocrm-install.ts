import express, { type Router } from 'express';
import { z } from 'zod';
import { amocrmSettings } from '../adapters/amocrm/config.js';
import { amocrmAdapter } from '../adapters/amocrm/index.js';
import { exchangeCode, installQuery, refererOrigin, subscribe, uninstallSignature, type AmoApp } from '../adapters/amocrm/install.js';
import type { AmocrmSettings } from '../adapters/amocrm/config.js';
import type { Env } from '../src/config/env.js';
import { connectAccount } from '../src/runtime/connect-account.js';
import { connect, enqueueSync, type JobDeps } from '../src/runtime/jobs.js';
import { SvodkaError, ValidationError, type AdapterContext, type AdapterDef } from '../src/sdk/index.js';
import { sameToken } from './tokens.js';

type Deps = JobDeps & { env: Env; signal: AbortSignal };

export function amoApp(env: Env): AmoApp | undefined {
  if (!env.SVODKA_AMO_CLIENT_ID || !env.SVODKA_AMO_CLIENT_SECRET || !env.SVODKA_PUBLIC_URL) return undefined;
  return { clientId: env.SVODKA_AMO_CLIENT_ID, clientSecret: env.SVODKA_AMO_CLIENT_SECRET, publicUrl: env.SVODKA_PUBLIC_URL.replace(/\/$/, ''), allowPrivate: env.SVODKA_ALLOW_PRIVATE_PORTALS };
}

const page = (text: string) => `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Сводка</title></head><body><p>${text}</p></body></html>`;
const uninstallQuery = z.object({ account_id: z.string().regex(/^\d+$/), client_uuid: z.string().optional(), signature: z.string().regex(/^[0-9a-f]{64}$/i) });

/**
 * The amoCRM Marketplace side: the install redirect (code exchanged at the account the referer names, but
 * only on amoCRM's own domains; tokens sealed; webhooks subscribed with the account's secret in the URL;
 * a sync queued) and the uninstall hook (signed with the client secret: the account is stopped and its
 * tokens erased).
 */
export function amocrmInstall(deps: Deps): Router {
  const router = express.Router();
  const app = amoApp(deps.env);
  const need = (): AmoApp => {
    if (!app) throw new SvodkaError('app_not_configured', 'the amoCRM integration is not configured here: set SVODKA_PUBLIC_URL, SVODKA_AMO_CLIENT_ID and SVODKA_AMO_CLIENT_SECRET');
    return app;
  };

  router.get('/install', async (req, res, next) => {
    try {
      const a = need();
      const q = installQuery.safeParse(req.query);
      if (!q.success) throw new ValidationError('not an amoCRM install redirect', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
      const account = await exchangeCode(refererOrigin(q.data.referer, a.allowPrivate), q.data.code, a);
      const adapter = amocrmAdapter as unknown as AdapterDef;
      await connectAccount(deps, adapter, account, deps.signal);
      const c = await connect(deps, account.id, deps.signal);
      const secret = account.secrets.webhookSecret!;
      const amoId = c ? await subscribe(c.ctx as AdapterContext<AmocrmSettings>, `${a.publicUrl}/webhooks/amocrm/${account.id}/${secret}`) : undefined;
      if (amoId) {
        const acc = (await deps.store.accounts.get(account.id))!;
        await deps.store.accounts.save({ ...acc, settings: amocrmSettings.parse({ ...acc.settings, amoAccountId: amoId }) });
      }
      await enqueueSync(deps.queue, account.id);
      deps.log.info({ account: account.id }, 'amocrm integration installed');
      res.type('html').send(page('Сводка подключена, данные загружаются. / Svodka is connected; the data is loading.'));
    } catch (e) {
      next(e);
    }
  });

  router.get('/uninstall', async (req, res, next) => {
    try {
      const a = need();
      const q = uninstallQuery.safeParse(req.query);
      if (!q.success || !sameToken(q.data.signature.toLowerCase(), uninstallSignature(a, q.success ? q.data.account_id : ''))) {
        res.status(401).json({ error: { code: 'auth_failed', message: 'the uninstall hook is not signed with this integration’s secret' } });
        return;
      }
      for (const acc of await deps.store.accounts.list()) {
        if (acc.kind !== 'amocrm' || String(acc.settings.amoAccountId ?? '') !== q.data.account_id) continue;
        await deps.store.forAccount(acc.id).secrets.erase();
        await deps.store.accounts.setStatus(acc.id, 'paused', 'the integration was removed from the amoCRM account');
        deps.log.info({ account: acc.id }, 'amocrm integration removed');
      }
      res.json({ ok: true });
    } catch (e) {
      next(e);
    }
  });
  return router;
}

