import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { LeakyBucket } from './bucket.js';
import { serverCert, ensureSandboxCa as ensureCa, defaultCertDir } from './cert.js';
import type { Ctx } from './context.js';
import { addItem, deleteItem, updateItem } from './crm-writes.js';
import { generateData } from './data/generate.js';
import type { SandboxData } from './data/types.js';
import { Events } from './events.js';
import { OAuthServer, type TokenAnswer } from './oauth.js';
import { OperatingTime } from './operating.js';
import { Rng } from './rng.js';
import { createHandler, type Stats } from './server.js';

export type { SandboxData } from './data/types.js';
export type * from './data/types.js';
export type { TokenAnswer } from './oauth.js';
export type { Stats } from './server.js';
export { generateData } from './data/generate.js';
export { ufCamel } from './methods/crm-item-fields.js';

export interface Bitrix24SandboxOptions {
  seed?: number;
  managers?: number;
  dismissed?: number;
  departments?: number;
  deals?: number;
  leads?: number;
  contacts?: number;
  companies?: number;
  activities?: number;
  products?: number;
  warehouses?: number;
  pipelines?: number;
  perSecond?: number;
  burst?: number;
  tokenLifetimeS?: number;
  operatingLimitS?: number;
  port?: number;
  certDir?: string;
  /** Where generated history ends, epoch ms (default: start of today, Moscow time). Fix it for byte-identical data across days. */
  anchor?: number;
}

export interface Bitrix24Sandbox {
  origin: string;
  webhookUrl: string;
  memberId: string;
  applicationToken: string;
  oauth: { clientId: string; clientSecret: string; issue(userId?: number): TokenAnswer };
  caPath: string;
  data: SandboxData;
  stats(): Stats;
  resetStats(): void;
  updateDeal(id: number, patch: Record<string, unknown>): void;
  deleteDeal(id: number): void;
  addDeal(fields?: Record<string, unknown>): number;
  dismissUser(id: number): void;
  expireTokens(): void;
  /** Waits until online event handlers in flight have been called. */
  settleEvents(): Promise<void>;
  /** Tasks and timeline comments apps created, as stored. */
  written: Ctx['written'];
  close(): Promise<void>;
}

/** Creates the sandbox CA once per directory; run it before starting processes that set NODE_EXTRA_CA_CERTS. */
export async function ensureSandboxCa(certDir?: string): Promise<{ caPath: string }> {
  const { caPath } = await ensureCa(certDir ?? defaultCertDir());
  return { caPath };
}

export async function startBitrix24Sandbox(o: Bitrix24SandboxOptions = {}): Promise<Bitrix24Sandbox> {
  const seed = o.seed ?? 1;
  const deals = o.deals ?? 500;
  const data = generateData({
    seed,
    managers: o.managers ?? 10,
    dismissed: o.dismissed ?? 2,
    departments: o.departments ?? 3,
    deals,
    leads: o.leads ?? 200,
    contacts: o.contacts ?? 300,
    companies: o.companies ?? 100,
    activities: o.activities ?? deals * 3,
    products: o.products ?? 50,
    warehouses: o.warehouses ?? 3,
    pipelines: o.pipelines ?? 2,
    ...(o.anchor === undefined ? {} : { anchor: o.anchor }),
  });
  // Identity strings derive from the seed, so a restarted sandbox is the same portal.
  const ids = new Rng(seed ^ 0x5bd1e995);
  const memberId = ids.hex(32);
  const applicationToken = ids.hex(32);
  const secret = ids.hex(16);
  const clientId = `local.${ids.hex(14)}.${ids.int(10_000_000, 99_999_999)}`;
  const clientSecret = ids.hex(46);
  const tls = await serverCert(o.certDir ?? defaultCertDir());

  const stats: Stats = { requests: 0, byMethod: {}, limited: 0, batchCommands: 0 };
  const holder: { ctx?: Ctx } = {};
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    void handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const oauth = new OAuthServer({ clientId, clientSecret, lifetimeS: o.tokenLifetimeS ?? 3600, memberId, origin });
  const domain = new URL(origin).host;
  const events = new Events({ domain, origin, memberId, applicationToken, issue: () => oauth.issue(1) });
  const ctx: Ctx = { data, origin, domain, memberId, applicationToken, events, oauth, placements: [], counters: { tasks: 0, comments: 0 }, written: { tasks: [], comments: [] } };
  holder.ctx = ctx;
  const handler = createHandler({
    ctx,
    bucket: new LeakyBucket(o.perSecond ?? 2, o.burst ?? 50),
    operating: new OperatingTime(o.operatingLimitS ?? 480),
    stats,
    webhook: { userId: 1, secret },
  });

  return {
    origin,
    webhookUrl: `${origin}/rest/1/${secret}`,
    memberId,
    applicationToken,
    oauth: { clientId, clientSecret, issue: (userId = 1) => oauth.issue(userId) },
    caPath: tls.caPath,
    data,
    stats: () => ({ ...stats, byMethod: { ...stats.byMethod } }),
    resetStats: () => {
      stats.requests = 0;
      stats.byMethod = {};
      stats.limited = 0;
      stats.batchCommands = 0;
    },
    // Portal users act as user 1 unless the patch names another assignee.
    updateDeal: (id, patch) => void updateItem(ctx, 2, id, patch, 1),
    deleteDeal: (id) => deleteItem(ctx, 2, id),
    addDeal: (fields = {}) => addItem(ctx, 2, fields, 1).id,
    dismissUser: (id) => {
      const u = data.users.get(id);
      if (!u) throw new Error(`bitrix24 sandbox: no user ${id}`);
      u.active = false;
      data.users.touch();
    },
    expireTokens: () => oauth.expireAll(),
    settleEvents: () => events.settle(),
    written: ctx.written,
    close: async () => {
      await events.settle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
