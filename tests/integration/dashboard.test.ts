import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../src/demo/index.js';
import type { AdsPage } from '../../src/dashboard/data/ads.js';
import type { ManagersPage } from '../../src/dashboard/data/managers.js';
import type { StalePage } from '../../src/dashboard/data/stale.js';
import type { OnecPage } from '../../src/dashboard/data/onec.js';
import { signAmoToken } from '../../src/dashboard/jwt.js';
import { api, linkOf, openDemo, signIn } from '../helpers/dashboard.js';
import { openBrowser, shot, type Browser } from '../helpers/browser.js';
import { money, num } from '../../src/dashboard/html/format.js';

/**
 * The dashboard over the `npm start` demo: sandbox Bitrix24 and amoCRM synced, 1C applied, every plugin
 * run. Who may see what, how a frame signs in, and that bad or edited auth gets nothing.
 */
describe('dashboard on the demo', () => {
  let demo: Demo;
  const s: Record<'admin' | 'head' | 'manager' | 'amo', string> = { admin: '', head: '', manager: '', amo: '' };
  const userOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { user: string; role: string };

  beforeAll(async () => {
    demo = await openDemo();
    s.admin = await signIn(linkOf(demo, 'Bitrix24, admin'));
    s.head = await signIn(linkOf(demo, 'Bitrix24, head of department'));
    s.manager = await signIn(linkOf(demo, 'Bitrix24, manager'));
    s.amo = await signIn(linkOf(demo, 'amoCRM, admin'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });
  let browser: Browser | undefined;

  it('got ready with every step done, and every page opens for the admin', async () => {
    expect(demo.steps.map((x) => x.step)).toEqual(['sandboxes started', 'accounts connected', 'synced', 'ad spend imported', 'plugins run', '1C exchange applied', 'dashboard served']);
    for (const page of ['ads', 'managers', 'stale', 'forecast', 'onec', 'sync']) {
      const r = await fetch(`${demo.url}/app/${page}?s=${s.admin}`);
      expect(r.status, page).toBe(200);
      expect(r.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${demo.sandboxes.bitrix24.origin}`);
      expect(await r.text()).toContain(`data-page="${page}"`);
    }
  });

  it('answers 401 without a session, with a forged one, and with one whose payload was edited', async () => {
    expect((await fetch(`${demo.url}/app/ads`)).status).toBe(401);
    expect((await fetch(`${demo.url}/app/ads?s=abc.def`)).status).toBe(401);
    const [payload, sig] = s.manager.split('.') as [string, string];
    const edited = Buffer.from(JSON.stringify({ ...userOf(s.manager), role: 'admin' })).toString('base64url');
    expect(edited).not.toBe(payload);
    const r = await fetch(`${demo.url}/app/api/stale?s=${edited}.${sig}`);
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: { code: 'dashboard_unauthorized' } });
    // A sign-in link is not a session, nor the other way round.
    const link = new URL(linkOf(demo, 'Bitrix24, admin')).searchParams.get('t')!;
    expect((await fetch(`${demo.url}/app/ads?s=${link}`)).status).toBe(401);
    expect((await fetch(`${demo.url}/app/signin?t=${s.admin}`, { redirect: 'manual' })).status).toBe(401);
  });

  it('shows a manager their own records only, whatever the URL asks for', async () => {
    const me = userOf(s.manager).user;
    const stale = await api<StalePage>(demo, 'stale', s.manager, '&owner=1&users=1,2,3');
    expect(stale.status).toBe(200);
    expect(stale.body.findings.every((f) => f.ownerId === me)).toBe(true);
    const all = await api<StalePage>(demo, 'stale', s.admin);
    expect(all.body.total).toBeGreaterThan(stale.body.total);
    const ads = await api<AdsPage>(demo, 'ads', s.manager);
    expect(ads.body.channels).toBeNull();
    expect(ads.body.managers.every((m) => m.manager === me)).toBe(true);
    const kpi = await api<ManagersPage>(demo, 'managers', s.manager);
    expect(kpi.body.rating.every((r) => r.userId === me)).toBe(true);
    expect((await api(demo, 'forecast', s.manager)).status).toBe(403);
    expect((await api(demo, 'sync', s.manager)).status).toBe(403);
    expect((await fetch(`${demo.url}/app/sync?s=${s.manager}`)).status).toBe(403);
  });

  it('shows a head their departments: more than one manager, fewer than everyone', async () => {
    const head = await api<ManagersPage>(demo, 'managers', s.head);
    const admin = await api<ManagersPage>(demo, 'managers', s.admin);
    const team = new Set(head.body.trend.map((x) => x.userId));
    expect(team.size).toBeGreaterThan(1);
    expect(team.size).toBeLessThan(new Set(admin.body.trend.map((x) => x.userId)).size);
    const stale = await api<StalePage>(demo, 'stale', s.head);
    expect(stale.body.findings.every((f) => f.ownerId !== null && team.has(f.ownerId))).toBe(true);
    // Company-wide figures are an admin's: the head gets their people's rows, not every channel's.
    const ads = await api<AdsPage>(demo, 'ads', s.head);
    expect(ads.body.channels).toBeNull();
    expect(ads.body.managers.length).toBeGreaterThan(0);
    expect(ads.body.managers.every((m) => m.manager !== null && team.has(m.manager))).toBe(true);
    expect((await api(demo, 'forecast', s.head)).status).toBe(403);
    expect((await api(demo, 'sync', s.head)).status).toBe(403);
  });

  it('switches the attribution model, and refuses an unknown one', async () => {
    const last = await api<AdsPage>(demo, 'ads', s.admin, '&model=last_touch');
    const first = await api<AdsPage>(demo, 'ads', s.admin, '&model=first_touch');
    expect(first.body.model).toBe('first_touch');
    const byModel = Object.fromEntries(first.body.comparison!.map((m) => [m.model, m.revenue]));
    expect(first.body.totals!.revenue).toBe(byModel.first_touch);
    expect(last.body.totals!.revenue).toBe(byModel.last_touch);
    expect(first.body.channels!.some((c) => c.spend !== '0.00' && c.romi !== null)).toBe(true);
    // The demo holds out a tenth of the contacts: the uplift card has its groups and interval.
    expect(last.body.uplift).toMatchObject({ share: 0.1, groups: { control: { n: expect.any(Number) } } });
    expect((await api(demo, 'ads', s.admin, '&model=magic')).status).toBe(400);
  });

  it('signs a Bitrix24 placement in by asking the portal, and refuses an AUTH_ID the portal does not know', async () => {
    const b24 = demo.sandboxes.bitrix24;
    const me = Number(userOf(s.manager).user);
    const post = (auth: string) =>
      fetch(`${demo.url}/app/bitrix24/${demo.accounts.bitrix24}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ AUTH_ID: auth, DOMAIN: 'x', LANG: 'en' }) });
    const ok = await post(b24.oauth.issue(me).access_token);
    expect(ok.status).toBe(303);
    const session = new URL(ok.headers.get('location')!, demo.url).searchParams.get('s')!;
    expect(userOf(session)).toMatchObject({ user: String(me), role: 'manager' });
    expect((await post('0123456789abcdef0123456789abcdef')).status).toBe(401);
    // An installed app's placement names its portal by member_id; one no account has gets the 401 page.
    const unknown = await fetch(`${demo.url}/app/bitrix24`, { method: 'POST', body: new URLSearchParams({ AUTH_ID: 'x'.repeat(32), member_id: 'f'.repeat(32) }) });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('401');
  });

  it('signs the amoCRM widget in by its one-time token, and refuses one signed with another secret or for another account', async () => {
    const amo = demo.sandboxes.amocrm;
    const user = amo.data.users.rows.find((u) => u.isActive)!;
    const claims = { iss: amo.baseUrl, aud: 'https://svodka.example', exp: Math.floor(Date.now() / 1000) + 60, account_id: amo.accountId, user_id: user.id };
    // The widget's call names no account: the token's issuer does, and the account's secret then checks it.
    const post = (token: string) => fetch(`${demo.url}/app/amocrm/session?page=managers`, { method: 'POST', headers: { 'x-auth-token': token } });
    const token = signAmoToken({ ...claims, jti: 'c0ffee00-0000-4000-8000-000000000001' }, amo.oauth.clientSecret);
    const ok = await post(token);
    expect(ok.status).toBe(200);
    // One-time: the same token again is refused.
    expect((await post(token)).status).toBe(401);
    const { url } = (await ok.json()) as { url: string };
    expect(url).toMatch(/^\/app\/managers\?s=/);
    expect((await fetch(`${demo.url}${url}`)).status).toBe(200);
    expect((await post(signAmoToken({ ...claims, iss: 'https://other.amocrm.ru' }, amo.oauth.clientSecret))).status).toBe(401);
    expect((await post(signAmoToken(claims, 'another-secret-of-64-characters'))).status).toBe(401);
    expect((await post(signAmoToken({ ...claims, account_id: amo.accountId + 1 }, amo.oauth.clientSecret))).status).toBe(401);
    expect((await post(signAmoToken({ ...claims, exp: 1_000_000 }, amo.oauth.clientSecret))).status).toBe(401);
  });

  it('keeps accounts apart: the amoCRM admin sees amoCRM figures, not the portal’s', async () => {
    const b = await api<StalePage>(demo, 'stale', s.admin);
    const a = await api<StalePage>(demo, 'stale', s.amo);
    expect(a.body.run!.id).not.toBe(b.body.run!.id);
    const onec = await api<OnecPage>(demo, 'onec', s.amo);
    expect(onec.body.sources).toEqual([]);
  });

  it('lists the 1C exchange: files applied, prices changed, items out of stock and unmatched', async () => {
    const r = await api<OnecPage>(demo, 'onec', s.admin);
    // Sent through the exchange protocol, as 1C does: both files applied.
    expect(r.body.lastExchange.map((x) => `${x.file} ${x.status}`).sort()).toEqual(['import.xml success', 'offers.xml success']);
    expect(r.body.priceChanges.length).toBeGreaterThan(0);
    expect(r.body.unmatched.map((x) => x.article).sort()).toEqual(['ONEC-ONLY-1', 'ONEC-ONLY-2']);
    expect(r.body.outOfStock.length).toBeGreaterThan(0);
  });

  it('opens every page in Chromium, draws the charts, and shows the API’s figures', async () => {
    browser = await openBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (const p of ['ads', 'managers', 'stale', 'forecast', 'onec', 'sync']) {
      await page.goto(`${demo.url}/app/${p}?s=${s.admin}`);
      expect(await page.getAttribute('body', 'data-page')).toBe(p);
      await shot(page, p);
    }
    const ads = (await api<AdsPage>(demo, 'ads', s.admin)).body;
    await page.goto(`${demo.url}/app/ads?s=${s.admin}`);
    await page.waitForSelector('canvas[data-chart="funnel"][data-drawn="1"]');
    const shown = await page.$$eval('#channels tr[data-row]', (rows) =>
      rows.map((r) => [r.getAttribute('data-row'), r.querySelector('[data-field="revenue"]')!.textContent, r.querySelector('[data-field="spend"]')!.textContent]),
    );
    expect(shown).toEqual(ads.channels!.map((c) => [`${c.channel}|${c.campaign}`, money(c.revenue, 'ru'), money(c.spend, 'ru')]));
    expect(await page.textContent('#totals [data-field="revenue"]')).toBe(money(ads.totals!.revenue, 'ru'));
    const kpi = (await api<ManagersPage>(demo, 'managers', s.admin)).body;
    await page.goto(`${demo.url}/app/managers?s=${s.admin}`);
    await page.waitForSelector('canvas[data-chart="trend"][data-drawn="1"]');
    const scores = await page.$$eval('#rating tr[data-row]', (rows) => rows.map((r) => [r.getAttribute('data-row'), r.querySelector('[data-field="score"]')!.textContent]));
    expect(scores).toEqual(kpi.rating.map((r) => [r.userId, num(r.score, 'ru', 1)]));
    await page.close();
  }, 60_000);

  it('switches the attribution model in the page', async () => {
    browser ??= await openBrowser();
    const page = await browser.newPage();
    await page.goto(`${demo.url}/app/ads?s=${s.admin}`);
    await Promise.all([page.waitForURL(/model=first_touch/), page.selectOption('#model', 'first_touch')]);
    const first = (await api<AdsPage>(demo, 'ads', s.admin, '&model=first_touch')).body;
    expect(await page.textContent('#totals [data-field="revenue"]')).toBe(money(first.totals!.revenue, 'ru'));
    await shot(page, 'ads-first-touch');
    await page.close();
  }, 60_000);

  it('previews a reassignment, applies it from the page, and undoes it', async () => {
    browser ??= await openBrowser();
    const deals = demo.sandboxes.bitrix24.data.deals;
    const page = await browser.newPage();
    await page.goto(`${demo.url}/app/stale?s=${s.admin}`);
    const preview = (await api<StalePage>(demo, 'stale', s.admin)).body;
    const move = preview.moves.find((m) => m.entity === 'deal')!;
    expect(Number(await page.textContent('#moves [data-field="moves"]'))).toBe(preview.movesTotal);
    expect(deals.get(Number(move.id))!.assignedById).toBe(Number(move.from));
    // A manager's page offers no button, and a posted form is refused.
    const refused = await fetch(`${demo.url}/app/stale/apply`, { method: 'POST', body: new URLSearchParams({ s: s.manager, run: preview.run!.id }) });
    expect(refused.status).toBe(403);
    // The writes go to the outbox and the worker sends them; the page shows the progress.
    const settled = async (state: string) => {
      await page.waitForSelector(`[data-state="${state}"]`);
      for (let i = 0; i < 60 && (await page.getAttribute('#progress', 'data-pending')) !== '0'; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        await page.reload();
      }
      expect(await page.getAttribute('#progress', 'data-pending')).toBe('0');
    };
    await Promise.all([page.waitForURL(/\/app\/stale\?/), page.click('#apply')]);
    await settled('applied');
    const applied = (await api<StalePage>(demo, 'stale', s.admin)).body.progress!;
    expect(applied).toMatchObject({ pending: 0, failed: 0 });
    // Every move, and a hand-over task and a comment per group.
    expect(applied.done).toBeGreaterThan(preview.movesTotal);
    expect(Number(await page.textContent('#progress [data-field="done"]'))).toBe(applied.done);
    expect(deals.get(Number(move.id))!.assignedById).toBe(Number(move.to));
    await shot(page, 'stale-applied');
    await Promise.all([page.waitForURL(/\/app\/stale\?/), page.click('#undo')]);
    await settled('undone');
    expect(Number(await page.textContent('#progress [data-field="done"]'))).toBe(preview.movesTotal);
    expect(deals.get(Number(move.id))!.assignedById).toBe(Number(move.from));
    await page.close();
  }, 90_000);
});
