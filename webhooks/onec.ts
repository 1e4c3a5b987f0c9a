import { createHmac } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { onecCredentials, onecSettings } from '../adapters/onec/config.js';
import { accountId } from '../src/model/index.js';
import { jobId } from '../src/queue/index.js';
import type { Runtime } from '../src/runtime/runtime.js';
import { sameToken } from './tokens.js';
import { applyPush, pushBody } from '../src/onec/push.js';
import { enqueueCrmPush } from '../src/onec/crm-push.js';
import { ValidationError } from '../src/sdk/errors.js';

/** 1C sends files in chunks of at most this many bytes (init tells it). */
export const fileLimit = 8 * 1024 * 1024;
const cookieName = 'svodka_1c';

const query = z.object({
  type: z.enum(['catalog', 'sale', 'get_catalog']),
  mode: z.enum(['checkauth', 'init', 'file', 'import', 'deactivate', 'complete', 'query', 'success']),
  filename: z.string().max(500).optional(),
  sessid: z.string().max(100).optional(),
});

/** A file name as 1C sends it (import0_1.xml, import_files/ab/x.jpg, offers___<GUID>.xml): relative, no "..". */
const fileName = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[\w\-./а-яё ]+$/i, 'a file name')
  .refine((v) => !v.split(/[\\/]/).includes('..') && !v.startsWith('/'), 'a relative file name');

/** Plain text, first line success | progress | failure, HTTP 200: what 1C reads. */
function reply(res: Response, lines: string[]): void {
  res.status(200).type('text/plain; charset=utf-8').send(`${lines.join('\n')}\n`);
}

function basicAuth(req: Request): { login: string; password: string } | undefined {
  const h = req.headers.authorization ?? '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(h);
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? undefined : { login: text.slice(0, i), password: text.slice(i + 1) };
}

function cookieOf(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === cookieName && v) return v;
  }
  return undefined;
}

export function importJobId(account: string, session: string, file: string): string {
  const tag = Buffer.from(file).toString('base64url').slice(0, 60);
  return jobId('onec-import', account, session.slice(0, 16), tag);
}

/**
 * The 1C "exchange with site" protocol at /webhooks/onec/<account>/exchange, answering as the 1C-Bitrix
 * reference server does. Sessions, uploads and import states live in Postgres, so any server process
 * can answer any request; imports run in jobs while 1C polls with mode=import.
 */
export function onecExchange(rt: Pick<Runtime, 'store' | 'queue' | 'log'>): Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: fileLimit + 1024 * 1024 });

  router.all('/:account/exchange', raw, async (req, res, next) => {
    try {
      const q = query.safeParse(req.query);
      if (!q.success) return reply(res, ['failure', 'неизвестный запрос / unknown request']);
      const account = accountId.safeParse(req.params.account);
      const acc = account.success ? await rt.store.accounts.get(account.data) : undefined;
      const settings = acc?.kind === 'onec' ? onecSettings.safeParse(acc.settings) : undefined;
      if (!acc || !settings?.success || acc.status !== 'active') {
        return reply(res, ['failure', 'нет такого обмена / no such exchange']);
      }
      const store = rt.store.forAccount(acc.id);
      const { mode, type } = q.data;

      if (mode === 'checkauth') {
        const given = basicAuth(req);
        const stored = onecCredentials.safeParse((await store.secrets.read())?.value);
        const ok = !!given && stored.success && sameToken(given.login, settings.data.login) && sameToken(given.password, stored.data.password);
        if (!ok) {
          rt.log.warn({ account: acc.id }, '1c checkauth refused');
          return reply(res, ['failure', 'неверный логин или пароль / wrong login or password']);
        }
        const session = await store.onec.open();
        res.setHeader('set-cookie', `${cookieName}=${session}; Path=/; HttpOnly`);
        return reply(res, ['success', cookieName, session, `sessid=${session}`, `timestamp=${Math.floor(Date.now() / 1000)}`]);
      }

      const session = cookieOf(req);
      if (!session || !/^[0-9a-f]{48}$/.test(session) || !(await store.onec.valid(session))) {
        return reply(res, ['failure', 'сессия не открыта или истекла: нужна авторизация / no open session: authorize first']);
      }

      if (type !== 'catalog') {
        // Orders are not exchanged: 1C is told there is nothing, and what it sends is acknowledged.
        if (mode === 'init') return reply(res, ['zip=no', `file_limit=${fileLimit}`, `sessid=${session}`]);
        if (mode === 'query') {
          res.status(200).type('application/xml; charset=utf-8');
          res.send(`<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация ВерсияСхемы="2.08" ДатаФормирования="${new Date().toISOString().slice(0, 19)}"/>\n`);
          return;
        }
        return reply(res, ['success']);
      }

      switch (mode) {
        case 'init':
          await store.onec.reset(session);
          return reply(res, ['zip=yes', `file_limit=${fileLimit}`, `sessid=${session}`, 'version=3.1']);
        case 'file': {
          const name = fileName.safeParse(q.data.filename);
          if (!name.success) return reply(res, ['failure', 'неверное имя файла / bad file name']);
          const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
          if (!body.length) return reply(res, ['failure', `пустой файл ${name.data} / empty upload`]);
          await store.onec.append(session, name.data, body);
          return reply(res, ['success']);
        }
        case 'import': {
          const name = fileName.safeParse(q.data.filename);
          if (!name.success) return reply(res, ['failure', 'неверное имя файла / bad file name']);
          // Pictures and other non-XML files are only stored by a site; there is nothing to apply.
          if (!/\.xml$/i.test(name.data)) return reply(res, ['success']);
          if (await store.onec.track(session, name.data)) {
            await rt.queue.add('onec-import', { account: acc.id, session, file: name.data }, { id: importJobId(acc.id, session, name.data) });
            return reply(res, ['progress', `файл ${name.data} принят, идёт загрузка / accepted, importing`]);
          }
          const st = await store.onec.state(session, name.data);
          if (st?.status === 'success') return reply(res, ['success', `загружено / imported: ${JSON.stringify(st.summary)}`]);
          if (st?.status === 'failure') return reply(res, ['failure', st.message ?? 'ошибка загрузки / import failed']);
          return reply(res, ['progress', `файл ${name.data} загружается / importing`]);
        }
        case 'deactivate':
          return reply(res, ['success']);
        case 'complete':
          await store.onec.close(session);
          return reply(res, ['success']);
        default:
          return reply(res, ['failure', 'неизвестный режим / unknown mode']);
      }
    } catch (e) {
      next(e);
    }
  });
  return router;
}

/**
 * The JSON endpoint for 1C HTTP services: POST /webhooks/onec/<account> with X-Svodka-Timestamp (unix
 * seconds, within 5 minutes) and X-Svodka-Signature (hex HMAC-SHA256 of "<timestamp>.<body>" with the
 * account's key). A replayed request (same signature) is applied once.
 */
export function onecJson(rt: Pick<Runtime, 'store' | 'queue' | 'log'>): Router {
  const router = express.Router();
  router.post('/:account', express.raw({ type: () => true, limit: '20mb' }), async (req, res, next) => {
    try {
      const account = accountId.safeParse(req.params.account);
      const acc = account.success ? await rt.store.accounts.get(account.data) : undefined;
      const store = acc?.kind === 'onec' && acc.status === 'active' ? rt.store.forAccount(acc.id) : undefined;
      const key = store ? onecCredentials.safeParse((await store.secrets.read())?.value) : undefined;
      const body = (req as { rawBody?: Buffer }).rawBody ?? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      const ts = String(req.headers['x-svodka-timestamp'] ?? '');
      const sig = String(req.headers['x-svodka-signature'] ?? '').replace(/^sha256=/, '');
      const fresh = /^\d{9,11}$/.test(ts) && Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
      const expected = key?.success && key.data.hmacKey ? createHmac('sha256', key.data.hmacKey).update(`${ts}.`).update(body).digest('hex') : undefined;
      if (!store || !fresh || !expected || !sameToken(sig, expected)) {
        res.status(401).json({ error: { code: 'auth_failed', message: 'подпись не подходит или устарела / bad or stale signature' } });
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new ValidationError('тело не JSON / the body is not JSON');
      }
      const data = pushBody.safeParse(parsed);
      if (!data.success) throw new ValidationError('неверные данные / invalid data', data.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
      const first = await store.inbox.receive('onec-json', expected, { prices: data.data.prices.length, stock: data.data.stock.length });
      if (first.duplicate) {
        res.json({ ok: true, duplicate: true });
        return;
      }
      try {
        const r = await applyPush(store, data.data);
        await store.inbox.processed(first.id);
        await enqueueCrmPush(rt.queue, store.account);
        res.json({ ok: true, ...r });
      } catch (e) {
        await store.inbox.failed(first.id, (e as Error).message);
        throw e;
      }
    } catch (e) {
      next(e);
    }
  });
  return router;
}
