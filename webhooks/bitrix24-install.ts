import express, { type Router } from 'express';
import { z } from 'zod';
import { bitrix24Adapter } from '../adapters/bitrix24/index.js';
import { bindApp, confirmGrant, oauthAccount, parseInstallEvent, parseInstallRequest, type AppIdentity } from '../adapters/bitrix24/install.js';
import { portalAccountId } from '../adapters/bitrix24/connect.js';
import { credentials } from '../adapters/bitrix24/config.js';
import type { Env } from '../src/config/env.js';
import { connectAccount } from '../src/runtime/connect-account.js';
import { connect, enqueueSync, type JobDeps } from '../src/runtime/jobs.js';
import type { AdapterDef, AdapterContext } from '../src/sdk/index.js';
import { SvodkaError, ValidationError } from '../src/sdk/index.js';
import type { Bitrix24Settings } from '../adapters/bitrix24/config.js';
import { sameToken } from './tokens.js';

type Deps = JobDeps & { env: Env; signal: AbortSignal };

export function appIdentity(env: Env): AppIdentity | undefined {
  if (!env.SVODKA_B24_CLIENT_ID || !env.SVODKA_B24_CLIENT_SECRET || !env.SVODKA_PUBLIC_URL) return undefined;
  return {
    clientId: env.SVODKA_B24_CLIENT_ID,
    clientSecret: env.SVODKA_B24_CLIENT_SECRET,
    publicUrl: env.SVODKA_PUBLIC_URL.replace(/\/$/, ''),
    allowPrivate: env.SVODKA_ALLOW_PRIVATE_PORTALS,
  };
}

const finishPage = `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Сводка</title>
<script src="https://api.bitrix24.com/api/v1/"></script></head>
<body><p>Сводка установлена, данные портала загружаются. / Svodka is installed; the portal's data is loading.</p>
<script>BX24.init(function () { BX24.installFinish(); });</script></body></html>`;

/** Installs (or re-installs) from a grant whose domain was confirmed; binds events and placements; queues a sync. */
async function install(deps: Deps, app: AppIdentity, grant: ReturnType<typeof parseInstallRequest>): Promise<string> {
  await confirmGrant(grant, app);
  const id = portalAccountId(grant.origin);
  const before = credentials.safeParse((await deps.store.forAccount(id).secrets.read().catch(() => undefined))?.value);
  const previous = before.success ? before.data.applicationToken : undefined;
  const adapter = bitrix24Adapter as unknown as AdapterDef;
  await connectAccount(deps, adapter, oauthAccount(grant, app, previous), deps.signal);
  const c = await connect(deps, id, deps.signal);
  if (c) await bindApp(c.ctx as AdapterContext<Bitrix24Settings>, id, app);
  await enqueueSync(deps.queue, id);
  return id;
}

const appEvent = z.object({
  event: z.string().transform((v) => v.toUpperCase()),
  data: z.record(z.string(), z.unknown()).optional(),
  auth: z.record(z.string(), z.unknown()),
});

/**
 * The Marketplace side: the install handler (the installer's POST, answered with a page that calls
 * BX24.installFinish) and the app's own events: ONAPPINSTALL (tokens and application_token; may come
 * before or after the installer), ONAPPUPDATE (bindings are erased: bind again), ONAPPUNINSTALL (stop the
 * account and erase its tokens; with data[CLEAN]=1 erase its data too).
 */
export function bitrix24Install(deps: Deps): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: true, limit: '64kb', parameterLimit: 200 });
  const app = appIdentity(deps.env);
  const need = (): AppIdentity => {
    if (!app) throw new SvodkaError('app_not_configured', 'the Bitrix24 app is not configured here: set SVODKA_PUBLIC_URL, SVODKA_B24_CLIENT_ID and SVODKA_B24_CLIENT_SECRET');
    return app;
  };

  router.post('/install', form, async (req, res, next) => {
    try {
      const a = need();
      const fields = { ...(req.query as Record<string, unknown>), ...(req.body as Record<string, unknown>) };
      const id = await install(deps, a, parseInstallRequest(fields, a.allowPrivate));
      deps.log.info({ account: id }, 'bitrix24 app installed');
      res.type('html').send(finishPage);
    } catch (e) {
      next(e);
    }
  });

  router.post('/app-events', form, async (req, res, next) => {
    try {
      const a = need();
      const ev = appEvent.safeParse(req.body);
      if (!ev.success) throw new ValidationError('not a Bitrix24 app event');
      const { event, auth, data } = ev.data;
      if (event === 'ONAPPINSTALL') {
        const id = await install(deps, a, parseInstallEvent(auth, a.allowPrivate));
        res.json({ ok: true, account: id });
        return;
      }
      // Every other app event must carry the token the account stored at install.
      const domain = typeof auth.domain === 'string' ? auth.domain : '';
      const id = portalAccountId(`https://${domain.replace(/^https?:\/\//, '')}`);
      const stored = credentials.safeParse((await deps.store.forAccount(id).secrets.read().catch(() => undefined))?.value);
      const token = typeof auth.application_token === 'string' ? auth.application_token : '';
      if (!stored.success || !sameToken(token, stored.data.applicationToken)) {
        res.status(401).json({ error: { code: 'auth_failed', message: 'the event is not signed with this account’s application token' } });
        return;
      }
      if (event === 'ONAPPUNINSTALL') {
        if (String(data?.CLEAN ?? '') === '1') await deps.store.deleteAccount(id);
        else {
          await deps.store.forAccount(id).secrets.erase();
          await deps.store.accounts.setStatus(id, 'paused', 'the app was uninstalled from the portal');
        }
        deps.log.info({ account: id, clean: data?.CLEAN }, 'bitrix24 app uninstalled');
      } else if (event === 'ONAPPUPDATE') {
        const c = await connect(deps, id, deps.signal);
        if (c) await bindApp(c.ctx as AdapterContext<Bitrix24Settings>, id, a);
      }
      res.json({ ok: true });
    } catch (e) {
      next(e);
    }
  });
  return router;
}
