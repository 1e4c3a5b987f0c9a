import { createLogger } from '../../src/log/logger.js';
import { stalePage } from '../../src/dashboard/data/stale.js';
import { managersPage } from '../../src/dashboard/data/managers.js';
import { forecastPage } from '../../src/dashboard/data/forecast.js';
import { viewerOf } from '../../src/dashboard/viewer.js';
import { runPlugin } from '../../src/runtime/plugins.js';
import { Store } from '../../src/store/index.js';
import { plugins } from '../../plugins/index.js';
import { freshDatabase } from './db.js';
import { RssPeak, envInt, log, mib } from './measure.js';

export interface PluginsResult {
  deals: number;
  activities: number;
  managers: number;
  generateSeconds: number;
  runs: { plugin: string; seconds: number; results: number; writes: number; peakRssMiB: number }[];
  /** The dashboard's page data over the runs just made, median of 5 (older results have none). */
  pages?: { page: string; viewer: string; ms: number }[];
  peakRssMiB: number;
  problems: string[];
}

/**
 * A large account made in SQL (generate_series), so that making it takes a minute and not an hour:
 * managers in departments of 20 (the first user of each heads it; 2% dismissed), deals over two years (70% closed), leads, contacts, stage
 * history and activities (10% open, of those 5% overdue). Vacuumed and analysed afterwards, as autovacuum
 * would have done on a live database: the first reads of a fresh bulk load would otherwise pay for
 * setting hint bits on every page.
 */
export function generateSql(deals: number, activities: number, managers: number): string {
  const leads = Math.round(deals * 0.3);
  const contacts = Math.round(deals * 0.5);
  const depts = Math.max(1, Math.round(managers / 20));
  const gone = Math.round(managers * 0.02);
  const a = `'bench'`;
  return `
INSERT INTO departments (account_id, external_id, name, head_user_id, content_hash)
  SELECT ${a}, g::text, 'Отдел ' || g, g::text, 'x' FROM generate_series(1, ${depts}) g;
INSERT INTO users (account_id, external_id, name, active, department_ids, manager_id, content_hash)
  SELECT ${a}, g::text, 'Менеджер ' || g, g <= ${managers - gone}, ARRAY[(1 + (g - 1) % ${depts})::text],
         CASE WHEN g > ${depts} THEN (1 + (g - 1) % ${depts})::text END, 'x'
  FROM generate_series(1, ${managers}) g;
INSERT INTO stages (account_id, external_id, entity, pipeline_id, source_stage_id, name, semantics, sort, content_hash)
  SELECT ${a}, s, 'deal', '0', s, s, sem, ord, 'x' FROM (VALUES ('NEW', 'open', 1), ('PREP', 'open', 2), ('WORK', 'open', 3),
    ('FINAL', 'open', 4), ('WON', 'won', 5), ('LOSE', 'lost', 6)) v(s, sem, ord);
INSERT INTO contacts (account_id, external_id, name, phones, emails, responsible_id, created_at, updated_at, content_hash)
  SELECT ${a}, g::text, 'Контакт ' || g, ARRAY['+7 9' || lpad((g % 900000000)::text, 9, '0')], ARRAY[]::text[],
         (1 + g % ${managers})::text, now() - make_interval(days => g % 730), now(), 'x'
  FROM generate_series(1, ${contacts}) g;
INSERT INTO leads (account_id, external_id, title, stage_id, responsible_id, utm_source, created_at, updated_at, content_hash)
  SELECT ${a}, g::text, 'Лид ' || g, 'L', (1 + g % ${managers})::text, (ARRAY['yandex','vk','google','direct','avito'])[1 + g % 5],
         now() - make_interval(days => g % 730, hours => g % 24), now(), 'x'
  FROM generate_series(1, ${leads}) g;
INSERT INTO deals (account_id, external_id, title, pipeline_id, stage_id, amount, currency, responsible_id, contact_id, lead_id,
                   utm_source, created_at, closed_at, close_date, updated_at, content_hash)
  SELECT ${a}, g::text, 'Сделка ' || g, '0', st, (10000 + g % 90000)::numeric + (g % 100) / 100.0, 'RUB', (1 + g % ${managers})::text,
         CASE WHEN g % 5 > 0 THEN (1 + g % ${contacts})::text END, CASE WHEN g % 10 < 3 THEN (1 + g % ${leads})::text END,
         (ARRAY['yandex','vk','google','direct','avito'])[1 + g % 5], created,
         CASE WHEN st IN ('WON', 'LOSE') THEN created + make_interval(days => 5 + g % 60) END, created + interval '45 days', now(), 'x'
  FROM (SELECT g, now() - make_interval(days => 1 + g % 730, hours => g % 24) AS created,
               (ARRAY['WON','WON','WON','LOSE','LOSE','LOSE','LOSE','NEW','WORK','FINAL'])[1 + g % 10] AS st
        FROM generate_series(1, ${deals}) g) x;
INSERT INTO stage_changes (account_id, external_id, entity, owner_id, to_stage_id, at, content_hash)
  SELECT ${a}, d.external_id || '-' || k, 'deal', d.external_id, (ARRAY['NEW','WORK'])[k], d.created_at + make_interval(days => (k - 1) * (3 + d.external_id::int % 20)), 'x'
  FROM deals d, generate_series(1, 2) k WHERE d.account_id = ${a};
INSERT INTO activities (account_id, external_id, kind, owner_type, owner_id, responsible_id, deadline, completed, completed_at,
                        duration_seconds, created_at, updated_at, content_hash)
  SELECT ${a}, g::text, (ARRAY['call','call','email','meeting','task','message'])[1 + g % 6]::text, 'deal', d::text, (1 + d % ${managers})::text,
         CASE WHEN open THEN now() + make_interval(days => CASE WHEN g % 200 = 0 THEN -3 ELSE 5 END) ELSE at + interval '1 day' END,
         NOT open, CASE WHEN NOT open THEN at END, CASE WHEN g % 6 < 2 THEN 10 + g % 300 END, at, now(), 'x'
  FROM (SELECT g, 1 + g % ${deals} AS d, g % 10 = 0 AS open, now() - make_interval(days => g % 700, mins => g % 1440) AS at
        FROM generate_series(1, ${activities}) g) x;
`;
}

export async function pluginsBench(): Promise<PluginsResult> {
  const deals = envInt('BENCH_PLUGIN_DEALS', 1_000_000);
  const activities = envInt('BENCH_PLUGIN_ACTIVITIES', 10_000_000);
  const managers = envInt('BENCH_PLUGIN_MANAGERS', 500);
  const db = await freshDatabase();
  const problems: string[] = [];
  const rss = new RssPeak();
  try {
    const store = await Store.open({ databaseUrl: db.url });
    try {
      await store.accounts.save({ id: 'bench', kind: 'bitrix24', name: 'Bench' });
      const t0 = performance.now();
      log(`  generating ${deals} deals, ${activities} activities, ${managers} managers in SQL...`);
      await store.db.exec(generateSql(deals, activities, managers));
      // VACUUM cannot share a multi-statement string (an implicit transaction).
      await store.db.exec('VACUUM ANALYZE');
      const generateSeconds = Math.round((performance.now() - t0) / 100) / 10;
      log(`  generated in ${generateSeconds} s`);
      const runs: PluginsResult['runs'] = [];
      const deps = { store, units: { adapters: [], plugins }, log: createLogger('silent') };
      // The plugins of the turnover, KPI and forecast issue; ad analytics has a benchmark of its own to come.
      for (const p of plugins.filter((x) => ['stale-data', 'kpi', 'forecast'].includes(x.id))) {
        global.gc?.();
        const peak = new RssPeak();
        const t1 = performance.now();
        const run = await runPlugin(deps, p.id, 'bench', {});
        const seconds = Math.round((performance.now() - t1) / 10) / 100;
        const peakRssMiB = mib(peak.stop());
        runs.push({ plugin: p.id, seconds, results: run.results.length, writes: run.writes.length, peakRssMiB });
        log(`  ${p.id}: ${seconds} s, ${run.results.length} results, ${run.writes.length} writes, peak RSS ${peakRssMiB} MiB`);
        if (seconds > 10) problems.push(`target missed: ${p.id} took ${seconds} s (target 10 s)`);
        if (peakRssMiB > 500) problems.push(`target missed: ${p.id} peaked at ${peakRssMiB} MiB (target 500 MiB)`);
      }
      const pages = await dashboardPages(store, problems);
      return { deals, activities, managers, generateSeconds, runs, pages, peakRssMiB: mib(rss.stop()), problems };
    } finally {
      await store.close();
    }
  } finally {
    await db.drop();
  }
}

/** Each page's data as the dashboard reads it, for the admin and for a head of department: target under 1 s. */
async function dashboardPages(store: Store, problems: string[]): Promise<NonNullable<PluginsResult['pages']>> {
  const head = (await store.db.query<{ h: string }>(`SELECT head_user_id AS h FROM departments WHERE account_id = 'bench' AND head_user_id IS NOT NULL ORDER BY external_id LIMIT 1`)).rows[0]?.h;
  const viewers = [
    { name: 'admin', v: await viewerOf(store.db, { account: 'bench', user: null, role: 'admin', lang: 'ru', exp: 2e9 }) },
    ...(head ? [{ name: 'head', v: await viewerOf(store.db, { account: 'bench', user: head, role: 'head', lang: 'ru', exp: 2e9 }) }] : []),
  ];
  const out: NonNullable<PluginsResult['pages']> = [];
  for (const { name, v } of viewers) {
    const pages: [string, () => Promise<unknown>][] = [
      ['stale, page 1', () => stalePage(store, v, { page: 1 })],
      ['stale, page 400', () => stalePage(store, v, { page: 400 })],
      ['stale, one rule', () => stalePage(store, v, { page: 1, rule: 'no_activity' })],
      ['managers', () => managersPage(store, v, {})],
      // The forecast is an admin's page.
      ...(name === 'admin' ? ([['forecast', () => forecastPage(store, v)]] as [string, () => Promise<unknown>][]) : []),
    ];
    for (const [page, load] of pages) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await load();
        times.push(performance.now() - t);
      }
      const ms = Math.round(times.sort((a, b) => a - b)[2]!);
      out.push({ page, viewer: name, ms });
      log(`  dashboard ${page} (${name}): ${ms} ms`);
      if (ms > 1000) problems.push(`target missed: dashboard ${page} (${name}) took ${ms} ms (target 1,000 ms)`);
    }
  }
  return out;
}
