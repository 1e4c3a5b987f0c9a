import { z } from 'zod';
import {
  AD_API_RATE_LIMITS,
  classifyVkAds,
  classifyYandexDirect,
  fetchVkAdsSpend,
  fetchYandexDirectSpend,
  spendRecords,
  type FetchDeps,
} from '../../../plugins/ad-analytics/spend/api/index.js';
import type { SpendImport } from '../../../plugins/ad-analytics/spend/index.js';
import { createRateLimiter } from '../../queue/index.js';
import { createHttpClient } from '../../runtime/http-client.js';
import { ValidationError } from '../../sdk/errors.js';
import { cliEnv, openStore, resolveAccount } from '../context.js';
import { emit } from '../output.js';

/** What commander hands over (all text); parsed by `fetchSpendArgs`. */
export interface FetchSpendOptions {
  platform?: string;
  tokenEnv?: string;
  clientLogin?: string;
  from?: string;
  to?: string;
  account?: string;
  sandbox?: boolean;
  currency?: string;
  vkLevel?: string;
}

const fetchSpendArgs = z
  .strictObject({
    platform: z.enum(['yandex_direct', 'vk_ads']),
    tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable, such as YANDEX_DIRECT_TOKEN'),
    clientLogin: z.string().min(1).max(255).optional(),
    from: z.iso.date('a day written YYYY-MM-DD'),
    to: z.iso.date('a day written YYYY-MM-DD'),
    account: z.string().min(1).optional(),
    sandbox: z.boolean().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as RUB').optional(),
    vkLevel: z.enum(['ad_plans', 'campaigns']).optional(),
  })
  .superRefine((o, ctx) => {
    if (o.from > o.to) ctx.addIssue({ code: 'custom', path: ['from'], message: `${o.from} is after --to ${o.to}` });
    const yandexOnly = { sandbox: o.sandbox, clientLogin: o.clientLogin };
    for (const [key, value] of Object.entries(yandexOnly)) {
      if (o.platform !== 'yandex_direct' && value !== undefined && value !== false) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'only for --platform yandex_direct' });
      }
    }
    if (o.platform !== 'vk_ads' && o.vkLevel !== undefined) ctx.addIssue({ code: 'custom', path: ['vkLevel'], message: 'only for --platform vk_ads' });
  });
export type FetchSpendArgs = z.output<typeof fetchSpendArgs> & { token: string };

/**
 * The options checked, and the token read from the environment variable they name: a token on the
 * command line would stay in the shell history and in every process listing.
 */
export function parseFetchSpendOptions(o: FetchSpendOptions, env: NodeJS.ProcessEnv = process.env): FetchSpendArgs {
  const r = fetchSpendArgs.safeParse(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
  if (!r.success) {
    throw new ValidationError('fetch spend', r.error.issues.map((i) => `--${kebab(String(i.path[0] ?? 'options'))}: ${i.message}`));
  }
  const token = env[r.data.tokenEnv]?.trim();
  if (!token) throw new ValidationError(`fetch spend: the environment variable ${r.data.tokenEnv} (--token-env) is not set or empty`);
  return { ...r.data, token };
}

/** Fetches the daily spend of the period from the platform's API. */
export function fetchSpend(a: FetchSpendArgs, deps: FetchDeps): Promise<SpendImport> {
  const common = { token: a.token, from: a.from, to: a.to, ...(a.currency ? { currency: a.currency } : {}) };
  if (a.platform === 'yandex_direct') {
    return fetchYandexDirectSpend({ ...common, sandbox: a.sandbox ?? false, ...(a.clientLogin ? { clientLogin: a.clientLogin } : {}) }, deps);
  }
  return fetchVkAdsSpend({ ...common, ...(a.vkLevel ? { level: a.vkLevel } : {}) }, deps);
}

/**
 * `svodka fetch spend --platform yandex_direct|vk_ads --token-env VAR --from DAY --to DAY`: the daily
 * spend of every campaign from the platform's API into the account's campaigns and daily spend, in one
 * transaction and under the same keys as `svodka import spend`: fetching the same days again changes
 * nothing, a later fetch replaces their figures.
 */
export async function fetchSpendCommand(o: FetchSpendOptions, json: boolean): Promise<void> {
  const a = parseFetchSpendOptions(o);
  const { env, log: root } = cliEnv();
  const log = root.child({ command: 'fetch spend', platform: a.platform });
  const store = await openStore(env);
  try {
    const account = await resolveAccount(store, a.account);
    let requests = 0;
    const limiter = createRateLimiter();
    const http = createHttpClient({
      account,
      // Counts what was sent: every request, retries included, passes the limiter once.
      limiter: {
        take: async (key, limit, signal) => {
          await limiter.take(key, limit, signal);
          requests += 1;
        },
      },
      limit: AD_API_RATE_LIMITS[a.platform],
      classify: a.platform === 'yandex_direct' ? classifyYandexDirect : classifyVkAds,
    });
    const report = await fetchSpend(a, { http, log });
    const records = spendRecords(report);
    const counts = await store.forAccount(account).together(async (w) => ({
      campaigns: await w.upsert('ad_campaigns', records.campaigns),
      spend: await w.upsert('ad_spend', records.spend),
    }));
    const out = {
      account,
      platform: a.platform,
      from: a.from,
      to: a.to,
      format: report.format,
      rows: report.rows.length,
      campaigns: counts.campaigns,
      spend: counts.spend,
      requests,
    };
    emit(json, out, () =>
      [
        `${a.platform} ${a.from}..${a.to}: ${out.rows} day(s) of ${report.campaigns.length} campaign(s) in ${requests} request(s)`,
        `spend: ${counts.spend.inserted} new, ${counts.spend.updated} changed, ${counts.spend.unchanged} unchanged`,
      ].join('\n'),
    );
  } finally {
    await store.close();
  }
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
