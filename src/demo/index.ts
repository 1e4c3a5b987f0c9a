import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { webhookAccount } from '../../adapters/bitrix24/connect.js';
import { bitrix24Adapter } from '../../adapters/bitrix24/index.js';
import { tokenAccount } from '../../adapters/amocrm/connect.js';
import { amocrmAdapter } from '../../adapters/amocrm/index.js';
import { onecCredentials, onecSettings } from '../../adapters/onec/config.js';
import type { Env } from '../config/env.js';
import { signInLink } from '../dashboard/link.js';
import { startServer, type RunningServer } from '../http/server.js';
import type { Logger } from '../log/logger.js';
import { onecAccount } from '../onec/accounts.js';
import { pushToCrm } from '../onec/crm-push.js';
import { guardDeals } from '../onec/guard.js';
import { connectAccount } from '../runtime/connect-account.js';
import { runSync } from '../runtime/jobs.js';
import { runPlugin } from '../runtime/plugins.js';
import { openRuntime, type Runtime } from '../runtime/runtime.js';
import type { AdapterDef } from '../sdk/index.js';
import { startAmocrmSandbox, type AmocrmSandbox } from '../sandbox/amocrm/index.js';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../sandbox/bitrix24/index.js';
import { exchangeAs1C } from './onec-exchange.js';
import { sampleExchange } from './onec-sample.js';
import { sampleSpend } from './spend-sample.js';
import { spendRecords } from '../../plugins/ad-analytics/spend/api/spend-records.js';

export interface Demo {
  url: string;
  accounts: { bitrix24: string; amocrm: string; onec: string };
  /** Sign-in links: the admin of each CRM, and a head and a manager of the Bitrix24 portal. */
  links: { label: string; url: string }[];
  steps: { step: string; seconds: number }[];
  /** The sandboxes themselves: tests open placements and widget tokens on them. */
  sandboxes: { bitrix24: Bitrix24Sandbox; amocrm: AmocrmSandbox };
  close(): Promise<void>;
}

const plugins = ['ad-analytics', 'stale-data', 'kpi', 'forecast'] as const;
/** The demo's control group: a tenth of the contacts of the last half-year held out (the uplift card). */
const holdout = { holdout: { enabled: true, share: 0.1, since: new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10) } };

/**
 * `npm start` with nothing connected: a Bitrix24 portal and an amoCRM account (the project's sandboxes,
 * with their real limits, on loopback) connected, synced, a 1C exchange applied, ad spend imported,
 * every plugin run, and the dashboard served. Lives in <SVODKA_DATA_DIR>/demo, rebuilt at every start.
 */
export async function startDemo(env: Env, log: Logger): Promise<Demo> {
  const steps: Demo['steps'] = [];
  let t = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    steps.push({ step: name, seconds: Math.round((now - t) / 100) / 10 });
    log.info({ step: name, seconds: steps.at(-1)!.seconds }, 'demo step done');
    t = now;
  };
  const dataDir = join(env.SVODKA_DATA_DIR, 'demo');
  rmSync(dataDir, { recursive: true, force: true });
  let b24: Bitrix24Sandbox | undefined;
  let amo: AmocrmSandbox | undefined;
  let rt: Runtime | undefined;
  let server: RunningServer | undefined;
  const close = async () => {
    if (server) await server.close();
    else await rt?.close();
    b24?.close();
    amo?.close();
  };
  try {
    [b24, amo] = await Promise.all([
      startBitrix24Sandbox({ seed: 7, managers: 12, dismissed: 2, departments: 3, deals: 1500, leads: 500, contacts: 900, companies: 200, activities: 4000, products: 60 }),
      startAmocrmSandbox({ seed: 7, leads: 600, contacts: 400, companies: 100 }),
    ]);
    const demoEnv: Env = { ...env, SVODKA_DATA_DIR: dataDir, SVODKA_AMO_CLIENT_SECRET: amo.oauth.clientSecret, SVODKA_SYNC_EVERY_S: Math.max(env.SVODKA_SYNC_EVERY_S, 600) };
    rt = await openRuntime(demoEnv, { log });
    step('sandboxes started');

    const b24Conn = webhookAccount(b24.webhookUrl);
    const amoConn = tokenAccount(amo.baseUrl, amo.longLivedToken);
    const [b, a] = await Promise.all([
      connectAccount(rt, bitrix24Adapter, b24Conn, rt.signal),
      connectAccount(rt, amocrmAdapter as unknown as AdapterDef, amoConn, rt.signal),
    ]);
    const amoAcc = (await rt.store.accounts.get(a.id))!;
    await rt.store.accounts.save({ ...amoAcc, settings: { ...amoAcc.settings, amoAccountId: amo.accountId } });
    step('accounts connected');
    await Promise.all([runSync(rt, { account: b.id }, rt.signal), runSync(rt, { account: a.id }, rt.signal)]);
    step('synced');

    await importSpend(rt, b.id);
    await importSpend(rt, a.id);
    step('ad spend imported');
    for (const account of [b.id, a.id]) {
      for (const p of plugins) await runPlugin(rt, p, account, { config: p === 'forecast' ? await forecastPlan(rt, account) : p === 'ad-analytics' ? holdout : {} });
    }
    step('plugins run');

    await rt.startWorker();
    server = await startServer(rt);
    const onec = await onec1C(rt, b.id, server.url);
    step('1C exchange applied');
    // A head of a department with people in it, and one of those people who heads nothing.
    const heads = await rt.store.db.query<{ head: string; member: string }>(
      `SELECT d.head_user_id AS head, u.external_id AS member
         FROM departments d
         JOIN users h ON h.account_id = d.account_id AND h.external_id = d.head_user_id AND h.active
         JOIN users u ON u.account_id = d.account_id AND u.active AND d.external_id = ANY(u.department_ids)
        WHERE d.account_id = $1 AND NOT EXISTS (SELECT 1 FROM departments x WHERE x.account_id = $1 AND x.head_user_id = u.external_id)
        ORDER BY d.external_id, u.external_id LIMIT 1`,
      [b.id],
    );
    const links: Demo['links'] = [
      { label: 'Bitrix24, admin', url: (await signInLink(rt.store, server.url, b.id)).url },
      { label: 'amoCRM, admin', url: (await signInLink(rt.store, server.url, a.id)).url },
    ];
    const h = heads.rows[0];
    if (h) links.push({ label: 'Bitrix24, head of department', url: (await signInLink(rt.store, server.url, b.id, { user: h.head })).url });
    if (h) links.push({ label: 'Bitrix24, manager', url: (await signInLink(rt.store, server.url, b.id, { user: h.member })).url });
    step('dashboard served');
    return { url: server.url, accounts: { bitrix24: b.id, amocrm: a.id, onec }, links, steps, sandboxes: { bitrix24: b24, amocrm: amo }, close };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}

/**
 * The 1C side: a local 1C account pushing to the Bitrix24 portal, and one full exchange of its catalogue
 * through the exchange protocol, as 1C sends it. The push to the CRM and the deal check run here too, so
 * that the 1C page is complete when the dashboard opens (the worker's own push finds nothing left to send).
 */
async function onec1C(rt: Runtime, crm: string, serverUrl: string): Promise<string> {
  const { id } = await onecAccount(rt.store);
  const acc = (await rt.store.accounts.get(id))!;
  await rt.store.accounts.save({ ...acc, settings: onecSettings.parse({ ...acc.settings, crmAccount: crm, crmPriceType: 'Розничная' }) });
  const rows = await rt.store.db.query<{ article: string; name: string; price: string }>(
    `SELECT p.article, p.name, coalesce(max(pr.amount), 1000)::text AS price FROM products p
       LEFT JOIN prices pr ON pr.account_id = p.account_id AND pr.product_id = p.external_id AND pr.deleted_at IS NULL
      WHERE p.account_id = $1 AND p.deleted_at IS NULL AND p.article IS NOT NULL GROUP BY p.article, p.name ORDER BY p.article`,
    [crm],
  );
  const files = sampleExchange(rows.rows);
  const secret = onecCredentials.parse((await rt.store.forAccount(id).secrets.read())?.value);
  await exchangeAs1C(`${serverUrl}/webhooks/onec/${id}/exchange`, onecSettings.parse(acc.settings).login, secret.password, files);
  await pushToCrm(rt, id);
  await guardDeals(rt, id);
  return id;
}

async function importSpend(rt: Runtime, account: string): Promise<void> {
  const marks = await rt.store.db.query<{ source: string; campaign: string }>(
    `SELECT DISTINCT lower(utm_source) AS source, utm_campaign AS campaign FROM deals
      WHERE account_id = $1 AND deleted_at IS NULL AND utm_source IS NOT NULL AND utm_campaign IS NOT NULL ORDER BY 1, 2`,
    [account],
  );
  // The same records `svodka import spend` writes for a report file.
  const { campaigns, spend } = spendRecords(sampleSpend(marks.rows, new Date()));
  await rt.store.forAccount(account).together(async (w) => {
    await w.upsert('ad_campaigns', campaigns);
    await w.upsert('ad_spend', spend);
  });
}

/** A plan for the demo quarter: a fifth above what the account won in the last 90 days. */
async function forecastPlan(rt: Runtime, account: string): Promise<Record<string, unknown>> {
  const r = await rt.store.db.query<{ won: string | null }>(
    `SELECT sum(d.amount)::text AS won FROM deals d JOIN stages s ON s.account_id = d.account_id AND s.external_id = d.stage_id
      WHERE d.account_id = $1 AND d.deleted_at IS NULL AND s.semantics = 'won' AND d.closed_at > now() - interval '90 days'`,
    [account],
  );
  const won = Number(r.rows[0]?.won ?? 0);
  return won > 0 ? { plan: String(Math.round(won * 1.2)) } : {};
}
