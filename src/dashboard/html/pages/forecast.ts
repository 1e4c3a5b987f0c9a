import type { ForecastPage } from '../../data/forecast.js';
import { num, percent, roubles, when } from '../format.js';
import { html, jsonBlock, type Safe } from '../html.js';
import { runLine, type PageCtx } from '../layout.js';
import { text as t } from '../texts.js';

interface Summary {
  quarter: string;
  plan: string | null;
  won: string;
  pipeline: number;
  fromNewLeads: number;
  expected: number;
  range: { low: number; high: number; confidence: number };
  gap: number;
  attainment: number | null;
  capacity?: { activeManagers: number; dealsPerManagerPerQuarter: number; winRate: number; averageCheck: number; dealsToCloseGap: number; dealsTeamCanClose: number; managersMissing: number };
}

const card = (label: string, value: string, field: string) => html`<div class="card"><div class="muted">${label}</div><div class="v" data-field="${field}">${value}</div></div>`;

export function forecastBody(c: PageCtx, d: ForecastPage): Safe {
  const l = c.lang;
  const s = d.summary as Summary | null;
  if (!s) return runLine(c, null, (i) => when(i, l));
  const cap = s.capacity;
  return html`${runLine(c, d.run, (i) => when(i, l))}
<section id="summary"><h2>${t('quarter', l)} ${s.quarter}</h2><div class="cards">
${card(t('plan', l), s.plan === null ? '—' : roubles(Number(s.plan), l), 'plan')}${card(t('expected', l), roubles(s.expected, l), 'expected')}
${card(`${t('range', l)} (${Math.round(s.range.confidence * 100)}%)`, `${roubles(s.range.low, l)} … ${roubles(s.range.high, l)}`, 'range')}
${card(t('wonSoFar', l), roubles(Number(s.won), l), 'won')}${card(t('pipeline', l), roubles(s.pipeline, l), 'pipeline')}
${card(t('fromNewLeads', l), roubles(s.fromNewLeads, l), 'fromNewLeads')}${card(t('gap', l), roubles(s.gap, l), 'gap')}</div>
<div class="chart"><canvas data-chart="forecast"></canvas></div>
${jsonBlock('forecast-data', { labels: [t('wonSoFar', l), t('pipeline', l), t('fromNewLeads', l)], values: [Number(s.won), s.pipeline, s.fromNewLeads], plan: s.plan === null ? null : Number(s.plan), planLabel: t('plan', l), low: s.range.low, high: s.range.high })}</section>
<section id="channels"><h2>${t('gap', l)}: ${t('leadsToCloseGap', l)}</h2><table><thead><tr><th>${t('channel', l)}</th><th class="n">${t('leads', l)}</th><th class="n">${t('conversion', l)}</th><th class="n">${t('expected', l)}</th><th class="n">${t('leadsToCloseGap', l)}</th></tr></thead><tbody>
${d.channels.map((r) => html`<tr data-row="${r.id}"><td>${r.id}</td><td class="n">${num(r.count, l, 0)}</td><td class="n">${percent(r.probability, l)}</td><td class="n" data-field="expected">${roubles(r.expected, l)}</td><td class="n" data-field="leadsToCloseGap">${num(r.leadsToCloseGap, l, 0)}</td></tr>`)}
</tbody></table></section>
<section id="stages"><h2>${t('stage', l)}</h2><table><thead><tr><th>${t('stage', l)}</th><th class="n">${t('deals', l)}</th><th class="n">${t('probability', l)}</th><th class="n">${t('expected', l)}</th></tr></thead><tbody>
${d.stages.map((r) => html`<tr data-row="${r.id}"><td>${d.stageNames[r.id] ?? r.id}</td><td class="n">${num(r.count, l, 0)}</td><td class="n">${percent(r.probability, l)}</td><td class="n" data-field="expected">${roubles(r.expected, l)}</td></tr>`)}
</tbody></table></section>
${cap ? html`<section id="capacity"><h2>${t('capacity', l)}</h2><div class="cards">
${card(t('activeManagers', l), num(cap.activeManagers, l, 0), 'activeManagers')}${card(t('dealsToCloseGap', l), num(cap.dealsToCloseGap, l, 0), 'dealsToCloseGap')}
${card(t('dealsTeamCanClose', l), num(cap.dealsTeamCanClose, l, 0), 'dealsTeamCanClose')}${card(t('managersMissing', l), num(cap.managersMissing, l, 0), 'managersMissing')}</div></section>` : ''}`;
}
