import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Runtime } from '../runtime/runtime.js';
import { stageApply, stageUndo } from '../runtime/plugins.js';
import { enqueueOutbox } from '../runtime/outbox.js';
import { clientScript } from './client.js';
import { adsPage, adsQuery } from './data/ads.js';
import { forecastPage } from './data/forecast.js';
import { managersPage, managersQuery } from './data/managers.js';
import { onecPage } from './data/onec.js';
import { stalePage, staleQuery } from './data/stale.js';
import { syncPage } from './data/sync.js';
import { accountByAmoIssuer, accountByMemberId, amoAccountByOrigin, amocrmSession, bitrix24Session, FrameAuthError, frameOrigin, framePage } from './frames.js';
import { html, type Safe } from './html/html.js';
import { allowed, layout, pages, type PageCtx, type PageId } from './html/layout.js';
import { adsBody } from './html/pages/ads.js';
import { forecastBody } from './html/pages/forecast.js';
import { managersBody } from './html/pages/managers.js';
import { onecBody } from './html/pages/onec.js';
import { staleBody } from './html/pages/stale.js';
import { syncBody } from './html/pages/sync.js';
import { text, type TextKey } from './html/texts.js';
import { lang as langSchema, openSession, SESSION_HOURS, signSession, type Lang, type Session } from './session.js';
import { isActiveUser, roleOf, viewerOf, type Viewer } from './viewer.js';

// chart.js exports no path to its UMD build: it sits next to its CommonJS entry (dist/chart.cjs).
const chartJs = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

interface Page {
  data(rt: Runtime, v: Viewer, query: Record<string, unknown>): Promise<unknown>;
  body(c: PageCtx, d: unknown): Safe;
}
const page = <D>(data: (rt: Runtime, v: Viewer, q: Record<string, unknown>) => Promise<D>, body: (c: PageCtx, d: D) => Safe): Page => ({
  data,
  body: (c, d) => body(c, d as D),
});

const parse = <S extends z.ZodType>(schema: S, q: Record<string, unknown>): z.output<S> => {
  const r = schema.safeParse(q);
  if (!r.success) throw new BadQuery(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
};
class BadQuery extends Error {}

const registry: Record<PageId, Page> = {
  ads: page((rt, v, q) => adsPage(rt.store, v, parse(adsQuery, q)), adsBody),
  managers: page((rt, v, q) => managersPage(rt.store, v, parse(managersQuery, q)), managersBody),
  stale: page((rt, v, q) => stalePage(rt.store, v, parse(staleQuery, q)), staleBody),
  forecast: page((rt, v) => forecastPage(rt.store, v), forecastBody),
  onec: page((rt, v) => onecPage(rt.store, v), onecBody),
  sync: page((rt, v) => syncPage(rt.store, v), syncBody),
};

/** Only these query keys reach a page's parser; `s` (the session) and `lang` are the dashboard's own. */
const pageQuery = (req: Request): Record<string, unknown> =>
  Object.fromEntries(Object.entries(req.query).filter(([k, v]) => k !== 's' && k !== 'lang' && typeof v === 'string' && v !== ''));

async function security(rt: Runtime, res: Response, account: string | undefined): Promise<void> {
  const origin = account ? await frameOrigin(rt.store, account) : undefined;
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'self'${origin ? ` ${origin}` : ''}`,
  );
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
}

function unauthorized(res: Response, lang: Lang = 'ru'): void {
  const other: Lang = lang === 'ru' ? 'en' : 'ru';
  res.status(401).type('html').send(
    html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>401</title></head><body><h1>401</h1><p>${text('signIn401', lang)}</p><p>${text('signIn401', other)}</p></body></html>`.text,
  );
}

const accountParam = (req: Request): string | undefined => (typeof req.params.account === 'string' ? req.params.account : undefined);

export function mountDashboard(app: Express, rt: Runtime): void {
  const mac = (purpose: string, data: string) => rt.store.mac(purpose, data);
  // GET: the session in the URL (or a bearer header); POST: only in the form body, never the URL.
  const sessionOf = async (req: Request): Promise<Session | undefined> => {
    const bearer = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const given = req.method === 'POST' ? (req.body as { s?: unknown } | undefined)?.s : (bearer ?? req.query.s);
    const s = openSession(mac, given);
    // A user dismissed or deactivated since signing in loses the session at once.
    if (s?.user && !(await isActiveUser(rt.store.db, s.account, s.user))) return undefined;
    return s;
  };
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  app.get('/app/static/chart.umd.min.js', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(chartJs);
  });
  app.get('/app/static/dashboard.js', (_req, res) => {
    res.type('application/javascript').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(clientScript);
  });

  // Entry points: a Bitrix24 placement posts its auth; the amoCRM widget sends its one-time token; a sign-in link.
  // An installed app's placements post here (the portal found by member_id); a webhook-connected portal's
  // placement handler names the account in the path.
  const b24Frame = async (req: Request, res: Response, next: (e: unknown) => void) => {
    try {
      const body = { LANG: req.query.LANG, ...(req.body as object) };
      const account = accountParam(req) ?? (await accountByMemberId(rt.store, body));
      const s = await bitrix24Session(rt.store, account, body, rt.env.SVODKA_ALLOW_PRIVATE_PORTALS);
      res.redirect(303, `/app/${framePage.parse(req.query.page)}?s=${encodeURIComponent(signSession(mac, s))}`);
    } catch (e) {
      if (!(e instanceof FrameAuthError)) return next(e);
      rt.log.warn({ reason: e.message }, 'dashboard frame refused');
      // The 401 page shows inside the portal's frame (it holds no data).
      await security(rt, res, accountParam(req));
      unauthorized(res);
    }
  };
  app.post('/app/bitrix24', form, b24Frame);
  app.post('/app/bitrix24/:account', form, b24Frame);
  // The widget calls this with $authorizedAjax (X-Auth-Token) and opens the URL it answers.
  const amoCors = async (req: Request, res: Response, account: string | undefined) => {
    const origin = account ? await frameOrigin(rt.store, account) : undefined;
    if (origin && req.get('origin') === origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Headers', 'X-Auth-Token');
      res.setHeader('Access-Control-Allow-Methods', 'POST');
      res.setHeader('Vary', 'Origin');
    }
  };
  const amoSession = async (req: Request, res: Response, next: (e: unknown) => void) => {
    try {
      const token = req.get('x-auth-token');
      const account = accountParam(req) ?? (await accountByAmoIssuer(rt.store, token));
      await amoCors(req, res, account);
      const s = await amocrmSession(rt.store, rt.env, account, token, typeof req.query.lang === 'string' ? req.query.lang : undefined);
      res.json({ url: `/app/${framePage.parse(req.query.page)}?s=${encodeURIComponent(signSession(mac, s))}`, role: s.role });
    } catch (e) {
      if (!(e instanceof FrameAuthError)) return next(e);
      rt.log.warn({ reason: e.message }, 'dashboard token refused');
      res.status(401).json({ error: { code: e.code, message: 'not signed in' } });
    }
  };
  app.options(['/app/amocrm/session', '/app/amocrm/:account/session'], async (req, res) => {
    // A preflight carries no token: the origin must be a connected account's own address.
    await amoCors(req, res, await amoAccountByOrigin(rt.store, req.get('origin') ?? ''));
    res.status(204).end();
  });
  app.post('/app/amocrm/session', amoSession);
  app.post('/app/amocrm/:account/session', amoSession);
  app.get('/app/signin', async (req, res) => {
    const link = openSession(mac, req.query.t, Date.now(), 'dashboard-link');
    await security(rt, res, link?.account);
    if (!link) return unauthorized(res);
    // A user's role is read again from the model: a link outlives promotions and dismissals.
    if (link.user !== null && !(await isActiveUser(rt.store.db, link.account, link.user))) return unauthorized(res, link.lang);
    const role = link.user === null ? link.role : await roleOf(rt.store.db, link.account, link.user, false);
    const s: Session = { ...link, role, exp: Math.floor(Date.now() / 1000) + SESSION_HOURS * 3600 };
    res.redirect(303, `/app/ads?s=${encodeURIComponent(signSession(mac, s))}`);
  });

  app.post('/app/stale/:action', form, async (req, res, next) => {
    try {
      const s = await sessionOf(req);
      await security(rt, res, s?.account);
      if (!s) return unauthorized(res);
      const action = req.params.action;
      const run = (req.body as { run?: unknown }).run;
      if ((action !== 'apply' && action !== 'undo') || typeof run !== 'string') return res.status(400).type('text').send('bad request');
      if (s.role !== 'admin') return res.status(403).type('html').send(text('onlyAdmin', s.lang));
      // Only the run the page shows, the latest: an older plan is out of date.
      const latest = await rt.store.forAccount(s.account).pluginRuns.latestMeta('stale-data');
      if (!latest || latest.id !== run) return res.status(409).type('text').send(text('staleRun', s.lang));
      if (action === 'undo' && !latest.appliedAt) return res.status(409).type('text').send(text('notApplied', s.lang));
      // Staged in the outbox and sent by the worker: at a portal's 2 requests/s a large hand-over takes
      // longer than a request should; the page shows its progress.
      if (action === 'apply') await stageApply(rt, s.account, run);
      else await stageUndo(rt, s.account, run);
      await enqueueOutbox(rt.queue, s.account);
      res.redirect(303, `/app/stale?s=${encodeURIComponent(signSession(mac, s))}`);
    } catch (e) {
      next(e);
    }
  });

  for (const id of pages) {
    const serve = (api: boolean) => async (req: Request, res: Response, next: (e: unknown) => void) => {
      try {
        const s = await sessionOf(req);
        await security(rt, res, s?.account);
        if (!s) return api ? void res.status(401).json({ error: { code: 'dashboard_unauthorized', message: 'not signed in' } }) : unauthorized(res, langSchema.catch('ru').parse(req.query.lang));
        const viewer = await viewerOf(rt.store.db, s);
        const lang = langSchema.catch(s.lang).parse(req.query.lang ?? s.lang);
        if (!allowed[id].includes(viewer.role)) {
          return api
            ? void res.status(403).json({ error: { code: 'forbidden', message: text('forbidden', 'en') } })
            : void res.status(403).type('html').send(text('forbidden', lang));
        }
        let data: unknown;
        try {
          data = await registry[id].data(rt, viewer, pageQuery(req));
        } catch (e) {
          if (e instanceof BadQuery) return void res.status(400).json({ error: { code: 'bad_request', message: e.message } });
          throw e;
        }
        if (api) return void res.json(data);
        const token = signSession(mac, s);
        const c: PageCtx = { viewer, lang, token };
        res.type('html').send(layout(c, id, text(`nav.${id}` as TextKey, lang), registry[id].body(c, data)).text);
      } catch (e) {
        next(e);
      }
    };
    app.get(`/app/api/${id}`, serve(true));
    app.get(`/app/${id}`, serve(false));
  }
  app.get('/app', (req, res) => {
    const s = typeof req.query.s === 'string' ? req.query.s : '';
    res.redirect(303, `/app/ads?s=${encodeURIComponent(s)}`);
  });
}

