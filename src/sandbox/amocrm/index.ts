import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { defaultCertDir, serverCert } from '../bitrix24/cert.js';
import { Rng } from '../bitrix24/rng.js';
import type { Ctx } from './context.js';
import { generateData } from './data/generate.js';
import { applyLeadPatch, checkLeadPatch, deleteLead } from './lead-changes.js';
import { RateLimits } from './limits.js';
import { OAuthServer, type TokenPair } from './oauth.js';
import { createHandler, type Stats } from './server.js';
import type { AmocrmData } from './types.js';
import { WebhookSender } from './webhooks.js';

export type * from './types.js';
export type { TokenPair } from './oauth.js';
export type { Stats } from './server.js';
export type { Delivery } from './webhooks.js';
export { generateData, type DataOptions } from './data/generate.js';

export interface AmocrmSandboxOptions {
  seed?: number;
  /** All users, active and not (default 8). */
  users?: number;
  /** How many of `users` have left (rights.is_active false), default 2. */
  inactiveUsers?: number;
  pipelines?: number;
  leads?: number;
  contacts?: number;
  companies?: number;
  tasks?: number;
  notes?: number;
  /** A floor for the events list; history alone gives about four per lead. */
  events?: number;
  catalogElements?: number;
  /** Requests per second per integration (sliding one-second window), default 7. */
  perSecond?: number;
  /** Consecutive 429s that block the account with a 403 HTML page (default 20; 0 = never). */
  blockAfter429?: number;
  blockSeconds?: number;
  tokenLifetimeS?: number;
  /** is_api_filter_enabled; without it filter[...] on leads/contacts/companies is ignored. Default true. */
  apiFilter?: boolean;
  /** End of generated history, epoch ms (default: start of today, Moscow time). Fix it for identical data across days. */
  anchor?: number;
  port?: number;
  /** Where the shared sandbox CA lives (the bitrix24 sandbox's; tests/global-setup.ts trusts it). */
  certDir?: string;
}

export interface AmocrmSandbox {
  /** https://127.0.0.1:PORT, standing for https://<subdomain>.amocrm.ru. */
  baseUrl: string;
  subdomain: string;
  accountId: number;
  /** The CA that signed the server certificate (trusted in tests through NODE_EXTRA_CA_CERTS). */
  caPath: string;
  oauth: { clientId: string; clientSecret: string; redirectUri: string; issueCode(): string; issue(): TokenPair };
  longLivedToken: string;
  data: AmocrmData;
  stats(): Stats;
  resetStats(): void;
  updateLead(id: number, patch: Record<string, unknown>): void;
  deleteLead(id: number): void;
  expireTokens(): void;
  /** Waits for webhook deliveries in flight. */
  settleWebhooks(): Promise<void>;
  close(): Promise<void>;
}

const MSK_MS = 3 * 3600_000;

export async function startAmocrmSandbox(o: AmocrmSandboxOptions = {}): Promise<AmocrmSandbox> {
  const seed = o.seed ?? 1;
  const leads = o.leads ?? 300;
  const anchorMs = o.anchor ?? Math.floor((Date.now() + MSK_MS) / 86_400_000) * 86_400_000 - MSK_MS;
  const data = generateData({
    seed,
    users: o.users ?? 8,
    inactiveUsers: o.inactiveUsers ?? 2,
    pipelines: o.pipelines ?? 2,
    leads,
    contacts: o.contacts ?? 200,
    companies: o.companies ?? 60,
    tasks: o.tasks ?? Math.round(leads * 0.8),
    notes: o.notes ?? leads,
    events: o.events ?? 0,
    catalogElements: o.catalogElements ?? 40,
    anchor: Math.floor(anchorMs / 1000),
  });
  // Identity strings derive from the seed, so a restarted sandbox is the same account.
  const ids = new Rng(seed ^ 0x2545f491);
  const hex = (n: number) => ids.hex(n);
  const clientId = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const privateClientId = `${hex(8)}-${hex(4)}-4${hex(3)}-b${hex(3)}-${hex(12)}`;
  const clientSecret = ids.hex(64);
  const redirectUri = 'https://svodka.example/oauth/amocrm/callback';
  const tls = await serverCert(o.certDir ?? defaultCertDir());

  const stats: Stats = { requests: 0, byPath: {}, refreshes: 0, limited: 0, blocked: 0 };
  const holder: { handle?: ReturnType<typeof createHandler> } = {};
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => void holder.handle?.(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const oauth = new OAuthServer({ clientId, clientSecret, redirectUri, lifetimeS: o.tokenLifetimeS ?? 86_400, accountId: data.accountId, domain: new URL(baseUrl).host });
  const hooks = new WebhookSender(data, baseUrl);
  const ctx: Ctx = { data, base: baseUrl, apiFilter: o.apiFilter ?? true, rng: new Rng(seed ^ 0x68e31da4), hooks };
  const limits = new RateLimits({ perSecond: o.perSecond ?? 7, blockAfter: o.blockAfter429 ?? 20, blockSeconds: o.blockSeconds ?? 60 });
  holder.handle = createHandler({ ctx, oauth, limits, stats });
  const longLivedToken = oauth.longLived(data.currentUserId, privateClientId);

  const leadOf = (id: number) => {
    const l = data.leads.get(id);
    if (!l || l.isDeleted) throw new Error(`amocrm sandbox: no lead ${id}`);
    return l;
  };

  return {
    baseUrl,
    subdomain: data.subdomain,
    accountId: data.accountId,
    caPath: tls.caPath,
    oauth: { clientId, clientSecret, redirectUri, issueCode: () => oauth.issueCode(), issue: () => oauth.issue(data.currentUserId) },
    longLivedToken,
    data,
    stats: () => ({ ...stats, byPath: { ...stats.byPath } }),
    resetStats: () => {
      stats.requests = 0;
      stats.byPath = {};
      stats.limited = 0;
      stats.blocked = 0;
      stats.refreshes = 0;
      oauth.refreshes = 0;
    },
    // A person in the account makes the change: the admin, unless the patch names `updated_by`.
    updateLead: (id, patch) => {
      const lead = leadOf(id);
      const problems = checkLeadPatch(ctx, lead, patch);
      if (problems.length) throw new Error(`amocrm sandbox: bad lead patch: ${problems.map((p) => `${p.path} ${p.detail}`).join('; ')}`);
      applyLeadPatch(ctx, lead, patch, typeof patch.updated_by === 'number' ? patch.updated_by : data.currentUserId);
    },
    deleteLead: (id) => deleteLead(ctx, leadOf(id), data.currentUserId),
    expireTokens: () => oauth.expireAll(),
    settleWebhooks: () => hooks.settle(),
    close: async () => {
      await hooks.settle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
