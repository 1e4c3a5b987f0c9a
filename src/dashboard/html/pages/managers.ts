import type { ManagersPage } from '../../data/managers.js';
import { money, num, when } from '../format.js';
import { html, jsonBlock, type Safe } from '../html.js';
import { link, runLine, type PageCtx } from '../layout.js';
import { text as t } from '../texts.js';

export function managersBody(c: PageCtx, d: ManagersPage): Safe {
  const l = c.lang;
  return html`${runLine(c, d.run, (i) => when(i, l))}
<p>${t('period', l)}: ${d.periods.map((p) => (p === d.period ? html`<b>${p}</b> ` : html`<a href="${link(c, 'managers', { period: p })}">${p}</a> `))}</p>
<section id="rating"><h2>${t('rating', l)}${d.period ? ` · ${d.period}` : ''}</h2><table><thead><tr><th class="n">${t('rank', l)}</th><th>${t('manager', l)}</th><th class="n">${t('score', l)}</th><th class="n">${t('revenue', l)}</th><th>${t('contributions', l)}</th></tr></thead><tbody>
${d.rating.map(
  (r) => html`<tr data-row="${r.userId}"><td class="n" data-field="rank">${r.rank ?? '—'}</td><td>${r.name}</td><td class="n" data-field="score">${num(r.score, l, 1)}</td>
<td class="n" data-field="revenue">${money(r.revenue, l)}</td><td class="muted">${r.note ? r.note[l] : r.contributions.filter((x) => x.points > 0).sort((a, b) => b.points - a.points).map((x) => `${x.kpi} ${num(x.points, l, 1)}`).join(' · ')}</td></tr>`,
)}</tbody></table></section>
<section id="trend"><h2>${t('trend', l)}</h2><div class="chart"><canvas data-chart="trend"></canvas></div>
${jsonBlock('trend-data', { labels: d.periods, series: d.trend.slice(0, 20).map((x) => ({ label: x.name, values: x.scores })) })}</section>`;
}
