import { HelperProcess } from './helper-process.js';
import { Amo } from '../../adapters/amocrm/client.js';
import { tokenAccount } from '../../adapters/amocrm/connect.js';
import { amocrmAdapter } from '../../adapters/amocrm/index.js';
import { createLogger } from '../../src/log/logger.js';
import type { EntityName } from '../../src/model/index.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { connectAccount } from '../../src/runtime/connect-account.js';
import { adapterContext } from '../../src/runtime/context.js';
import { runSync, type JobDeps } from '../../src/runtime/jobs.js';
import { startAmocrmSandbox, type AmocrmSandboxOptions, type Stats, type TokenPair } from '../../src/sandbox/amocrm/index.js';
import type { AdapterDef } from '../../src/sdk/index.js';
import { Store } from '../../src/store/index.js';
import { type Rate } from './bitrix24-sync.js';
import { freshDatabase } from './db.js';
import { RssPeak, envInt, log, mib, perSec, recording } from './measure.js';

const PER_SECOND = 7;
const LIST_PAGE = 250;
const EVENTS_PAGE = 100;
const entities = ['users', 'deals', 'contacts', 'stage_changes'] as const satisfies readonly EntityName[];
const lists: readonly EntityName[] = ['deals', 'contacts'];
const adapter = amocrmAdapter as unknown as AdapterDef;

// ---- The sandbox account in a process of its own: its CPU and its ~0.5 GB of data are not the client's.

interface Ready {
  type: 'ready';
  baseUrl: string;
  longLivedToken: string;
  accountId: number;
  oauth: { clientId: string; clientSecret: string; redirectUri: string };
  rows: Record<string, number>;
}
type HostMessage = Ready | { type: 'stats'; stats: Stats; peakRssMiB: number } | { type: 'issued'; tokens: TokenPair } | { type: 'expired' };

/** run.ts --helper amo-sandbox: serves a sandbox account with the options in BENCH_AMO_SANDBOX until told to close. */
export async function amoSandboxHost(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('the amoCRM sandbox host runs under amocrm-sync only');
  const rss = new RssPeak();
  const sb = await startAmocrmSandbox(JSON.parse(process.env.BENCH_AMO_SANDBOX ?? '{}') as AmocrmSandboxOptions);
  const d = sb.data;
  const rows = {
    users: d.users.rows.length,
    inactiveUsers: d.users.rows.filter((u) => !u.isActive).length,
    deals: d.leads.rows.filter((l) => !l.isDeleted).length,
    contacts: d.contacts.rows.filter((c) => !c.isDeleted).length,
    events: d.events.rows.length,
    stage_changes: d.events.rows.filter((e) => e.type === 'lead_status_changed').length,
  };
  const { clientId, clientSecret, redirectUri } = sb.oauth;
  send({ type: 'ready', baseUrl: sb.baseUrl, longLivedToken: sb.longLivedToken, accountId: sb.accountId, oauth: { clientId, clientSecret, redirectUri }, rows } satisfies HostMessage);
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stats') send({ type: 'stats', stats: sb.stats(), peakRssMiB: mib(rss.sample()) } satisfies HostMessage);
    if (m.type === 'issue') send({ type: 'issued', tokens: sb.oauth.issue() } satisfies HostMessage);
    if (m.type === 'expire') {
      sb.expireTokens();
      send({ type: 'expired' } satisfies HostMessage);
    }
    if (m.type === 'close') void sb.close().then(() => process.exit(0));
  });
}

type SandboxProcess = HelperProcess<HostMessage>;
const startSandbox = (options: AmocrmSandboxOptions): Promise<SandboxProcess> =>
  HelperProcess.start<HostMessage>('amo-sandbox', { BENCH_AMO_SANDBOX: JSON.stringify(options) });

// ---- Measurements.


/** The most requests the client let go within any 1000 ms: amoCRM refuses the 8th. */
function busiestSecond(sent: readonly number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < sent.length; i++) {
    while ((sent[j] as number) <= (sent[i] as number) - 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

const rate = (items: number, ms: number): Rate => ({ items, seconds: Math.round(ms) / 1000, itemsPerSec: perSec(items, ms) });
const round2 = (n: number): number => Math.round(n * 100) / 100;

interface Mark {
  at: number;
  items: number;
}

export interface AmoEntityFigures extends Rate {
  /** Counted by runSync / by the sandbox. */
  requests: number;
  sandboxRequests: number;
  expected: number;
  /** From the first page stored to the last: the entity's setup requests (account, custom fields) and the first page's wait left out. */
  steady: Rate;
  error?: string;
}

interface Ratio {
  boundItemsPerSec: number;
  overall: Rate;
  steady: Rate;
  ratioToBound: number;
  steadyRatioToBound: number;
}

export interface AmocrmSyncResult {
  benchmark: 'amocrm-sync';
  store: 'postgres';
  /** The sizes asked for (events is a floor: the account holds `rows.events`). */
  requested: { leads: number; contacts: number; events: number; users: number; inactiveUsers: number };
  sandbox: { perSecond: number; blockAfter429: number; rows: Record<string, number>; peakRssMiB: number; process: string };
  /** What the adapter asks of the shared limiter: requests/s, spaced evenly. */
  clientRate: number;
  entities: Partial<Record<EntityName, AmoEntityFigures>>;
  total: Rate & { requests: number; sandboxRequests: number; limited: number; blocked: number; busiestSecond: number };
  lists: Ratio;
  events: Ratio;
  refreshCheck: { concurrent: number; refreshes: number; answersOk: number; error?: string };
  targets: { ratioToBound: number; blocked: number; refreshes: number; met: boolean };
  peakRssMiB: number;
  problems: string[];
  notes: string[];
}

function ratio(figures: AmoEntityFigures[], perPage: number): Ratio {
  const bound = PER_SECOND * perPage;
  const sum = (f: (e: AmoEntityFigures) => Rate) => figures.reduce((a, e) => ({ items: a.items + f(e).items, ms: a.ms + f(e).seconds * 1000 }), { items: 0, ms: 0 });
  const o = sum((e) => e);
  const s = sum((e) => e.steady);
  const overall = rate(o.items, o.ms);
  const steady = rate(s.items, s.ms);
  return { boundItemsPerSec: bound, overall, steady, ratioToBound: round2(overall.itemsPerSec / bound), steadyRatioToBound: round2(steady.itemsPerSec / bound) };
}

/** An OAuth account whose token the sandbox has just expired; 20 requests see it at once: one refresh must serve them all. */
async function refreshCheck(store: Store, sandbox: SandboxProcess, signal: AbortSignal): Promise<AmocrmSyncResult['refreshCheck']> {
  const concurrent = 20;
  const { baseUrl, oauth, accountId } = sandbox.ready;
  const t = (await sandbox.ask('issue', 'issued')).tokens;
  await store.accounts.save({ id: 'amo-oauth', kind: 'amocrm', name: 'oauth', settings: { baseUrl } });
  const acc = store.forAccount('amo-oauth');
  await acc.secrets.write({ kind: 'oauth', accessToken: t.access_token, refreshToken: t.refresh_token, expires: Math.floor(Date.now() / 1000) + 3600, ...oauth });
  const config = amocrmAdapter.config.parse({ baseUrl });
  const ctx = adapterContext({ adapter, store: acc, config, limiter: createRateLimiter(), log: createLogger('silent'), signal });
  await sandbox.ask('expire', 'expired');
  const before = (await sandbox.ask('stats', 'stats')).stats.refreshes;
  const amo = new Amo(ctx as unknown as ConstructorParameters<typeof Amo>[0]);
  try {
    const answers = await Promise.all(Array.from({ length: concurrent }, () => amo.request<{ id: number }>('GET', '/api/v4/account')));
    const refreshes = (await sandbox.ask('stats', 'stats')).stats.refreshes - before;
    return { concurrent, refreshes, answersOk: answers.filter((a) => a.data.id === accountId).length };
  } catch (e) {
    const refreshes = (await sandbox.ask('stats', 'stats')).stats.refreshes - before;
    return { concurrent, refreshes, answersOk: 0, error: (e as Error).message };
  }
}

export async function amocrmSyncBench(): Promise<AmocrmSyncResult> {
  const rss = new RssPeak();
  const options: AmocrmSandboxOptions = {
    seed: 1,
    leads: envInt('BENCH_AMO_LEADS', 100_000),
    contacts: envInt('BENCH_AMO_CONTACTS', 50_000),
    events: envInt('BENCH_AMO_EVENTS', 300_000),
    users: envInt('BENCH_AMO_USERS', 100),
    inactiveUsers: envInt('BENCH_AMO_INACTIVE', 10),
    perSecond: PER_SECOND,
    blockAfter429: 20,
    anchor: Date.parse('2026-11-01T00:00:00Z'),
  };
  const problems: string[] = [];
  const notes: string[] = [];
  const db = await freshDatabase();
  const sandbox = await startSandbox(options);
  const rows = sandbox.ready.rows;
  log(`  sandbox up: ${JSON.stringify(rows)}`);
  try {
    const store = await Store.open({ databaseUrl: db.url });
    const sent: number[] = [];
    const deps: JobDeps = { store, queue: new MemoryQueue(), log: createLogger('warn'), units: { adapters: [adapter], plugins: [] }, limiter: recording(createRateLimiter(), sent) };
    const signal = new AbortController().signal;
    const figures: Partial<Record<EntityName, AmoEntityFigures>> = {};
    const start = await sandbox.ask('stats', 'stats');
    let inactiveStored = 0;
    let check: AmocrmSyncResult['refreshCheck'];
    try {
      const account = (await connectAccount(deps, adapter, tokenAccount(sandbox.ready.baseUrl, sandbox.ready.longLivedToken), signal)).id;
      for (const entity of entities) {
        const e0 = performance.now();
        const s0 = (await sandbox.ask('stats', 'stats')).stats.requests;
        const expected = rows[entity] ?? 0;
        const marks: Mark[] = [];
        const sentBefore = sent.length;
        const onPage = (_e: EntityName, c: { inserted: number; updated: number; unchanged: number }) => {
          marks.push({ at: performance.now(), items: c.inserted + c.updated + c.unchanged });
          rss.sample();
          if (marks.length % 100 === 0) log(`  ${entity} ${marks.at(-1)?.items}/${expected}  ${perSec(marks.at(-1)?.items ?? 0, performance.now() - e0)} items/s, ${sent.length - sentBefore} requests`);
        };
        let items = 0;
        let requests = 0;
        let error: string | undefined;
        try {
          const r = await runSync(deps, { account, entity }, signal, onPage);
          const c = r.entities[entity];
          items = c ? c.inserted + c.updated + c.unchanged : 0;
          requests = r.requests;
        } catch (e) {
          // runSync's count is lost with the throw; the limiter saw every request all the same.
          items = marks.at(-1)?.items ?? 0;
          requests = sent.length - sentBefore;
          const err = e as Error & { code?: string; retryable?: boolean };
          error = `${err.message} (code ${err.code ?? '?'}, retryable ${String(err.retryable ?? false)})`;
          problems.push(`${entity}: sync failed after ${items}/${expected} items: ${error}`);
        }
        const ms = performance.now() - e0;
        const first = marks[0];
        const last = marks.at(-1);
        const steady = first && last && last !== first ? rate(last.items - first.items, last.at - first.at) : rate(0, 0);
        const sandboxRequests = (await sandbox.ask('stats', 'stats')).stats.requests - s0;
        figures[entity] = { ...rate(items, ms), requests, sandboxRequests, expected, steady, ...(error ? { error } : {}) };
        if (!error && items !== expected) problems.push(`${entity}: expected ${expected} items, synced ${items}`);
        if (requests !== sandboxRequests) problems.push(`${entity}: runSync counted ${requests} requests, the sandbox ${sandboxRequests}`);
        log(`  ${entity}: ${items} items, ${requests} requests, ${figures[entity]?.seconds} s, steady ${steady.itemsPerSec} items/s`);
      }
      inactiveStored = (await store.forAccount(account).list('users')).filter((u) => !u.active).length;
      check = await refreshCheck(store, sandbox, signal);
      log(`  refresh check: ${check.refreshes} refreshes for ${check.concurrent} concurrent requests${check.error ? `, error ${check.error}` : ''}`);
    } finally {
      await deps.queue.close(100);
      await store.close();
    }
    const end = await sandbox.ask('stats', 'stats');
    const all = Object.values(figures);
    const totalItems = all.reduce((s, f) => s + f.items, 0);
    const total = {
      ...rate(totalItems, all.reduce((s, f) => s + f.seconds * 1000, 0)),
      requests: all.reduce((s, f) => s + f.requests, 0),
      sandboxRequests: all.reduce((s, f) => s + f.sandboxRequests, 0),
      limited: end.stats.limited - start.stats.limited,
      blocked: end.stats.blocked - start.stats.blocked,
      busiestSecond: busiestSecond(sent),
    };
    const listRatio = ratio(lists.flatMap((e) => figures[e] ?? []), LIST_PAGE);
    const eventRatio = ratio(figures.stage_changes ? [figures.stage_changes] : [], EVENTS_PAGE);
    const target = 0.85;
    if (!listRatio.steady.items) problems.push('no list page after the first: too few items to measure the steady rate');
    else if (listRatio.steadyRatioToBound < target) problems.push(`target missed: lists steady ${listRatio.steady.itemsPerSec} items/s is ${listRatio.steadyRatioToBound} of the ${listRatio.boundItemsPerSec} items/s bound (target ${target})`);
    if (eventRatio.steady.items && eventRatio.steadyRatioToBound < target) problems.push(`target missed: events steady ${eventRatio.steady.itemsPerSec} items/s is ${eventRatio.steadyRatioToBound} of the ${eventRatio.boundItemsPerSec} items/s bound (target ${target})`);
    if (total.blocked) problems.push(`target missed: ${total.blocked} requests answered 403 (account blocked)`);
    if (check.refreshes !== 1) problems.push(`target missed: ${check.refreshes} token refreshes for one expiry under ${check.concurrent} concurrent requests (target 1)`);
    if (check.answersOk !== check.concurrent) problems.push(`refresh check: ${check.answersOk}/${check.concurrent} requests answered with the account${check.error ? `: ${check.error}` : ''}`);
    if (inactiveStored !== rows.inactiveUsers) problems.push(`users: ${inactiveStored} inactive stored, the sandbox has ${rows.inactiveUsers}`);
    if (total.limited) notes.push(`${total.limited} requests were refused with 429 and retried; the busiest second the client sent ${total.busiestSecond} requests`);
    const clientRate = adapter.rateLimit?.({ perSecond: PER_SECOND })?.perSecond ?? PER_SECOND;
    notes.push(
      `bounds: ${PER_SECOND} requests/s × ${LIST_PAGE} items a page for leads and contacts (${listRatio.boundItemsPerSec} items/s), × ${EVENTS_PAGE} for events (${eventRatio.boundItemsPerSec} items/s). The adapter spaces requests at ${round2(clientRate)}/s on purpose (amoCRM counts requests in any one second and blocks the account after repeated 429s), so ${round2(clientRate / PER_SECOND)} of a bound is the most it can reach`,
      'overall: an entity\'s items over its runSync time, setup requests (account, custom fields) included; steady: from its first page stored to its last; the lists\' figures add the items and the seconds of leads and contacts',
      `stage_changes: only lead_status_changed events (filter[type]) are read and mapped; the account holds ${rows.events} events of all types`,
      'refresh check: an OAuth account (token issued by the sandbox, stored as valid for an hour), the sandbox then expires every OAuth token, 20 concurrent GET /api/v4/account through one Amo client; refreshes counted by the sandbox',
    );
    return {
      benchmark: 'amocrm-sync',
      store: 'postgres',
      requested: { leads: options.leads ?? 0, contacts: options.contacts ?? 0, events: options.events ?? 0, users: options.users ?? 0, inactiveUsers: options.inactiveUsers ?? 0 },
      sandbox: { perSecond: PER_SECOND, blockAfter429: options.blockAfter429 ?? 20, rows, peakRssMiB: end.peakRssMiB, process: 'separate process on loopback HTTPS' },
      clientRate: round2(clientRate),
      entities: figures,
      total,
      lists: listRatio,
      events: eventRatio,
      refreshCheck: check,
      targets: { ratioToBound: target, blocked: 0, refreshes: 1, met: !problems.length },
      peakRssMiB: mib(rss.stop()),
      problems,
      notes,
    };
  } finally {
    rss.stop();
    await sandbox.close();
    await db.drop();
  }
}
