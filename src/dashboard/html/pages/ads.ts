import { attributionModels, type AdsPage, type HoldoutSummary } from '../../data/ads.js';
import { money, num, percent, when } from '../format.js';
import { html, jsonBlock, type Safe } from '../html.js';
import { link, runLine, type PageCtx } from '../layout.js';
import { text as t, textOf } from '../texts.js';

function upliftCard(c: PageCtx, u: HoldoutSummary | null): Safe {
  const l = c.lang;
  if (!u) return html`<section id="uplift"><h2>${t('uplift', l)}</h2><p class="muted">${t('noUplift', l)}</p></section>`;
  const ci = u.confidenceInterval;
  return html`<section id="uplift"><h2>${t('uplift', l)}</h2><div class="cards">
<div class="card"><div class="muted">Δ</div><div class="v" data-field="absoluteLift">${percent(u.absoluteLift, l)}</div>
<div class="muted">${ci ? `${Math.round(ci.level * 100)}% CI: ${percent(ci.lower, l)} … ${percent(ci.upper, l)}` : '—'}</div></div>
<div class="card"><div class="muted">p</div><div class="v" data-field="pValue">${num(u.pValue, l, 4)}</div></div>
<div class="card"><div class="muted">MDE</div><div class="v">${percent(u.minimumDetectableEffect, l)}</div></div>
<div class="card"><div class="muted">${t('revenue', l)} (+)</div><div class="v" data-field="incrementalRevenue">${money(u.incrementalRevenue, l)}</div>
<div class="muted">iROAS ${num(u.incrementalRoas, l)}</div></div></div>
<p class="muted">control ${u.groups.control.conversions}/${u.groups.control.n} · test ${u.groups.treatment.conversions}/${u.groups.treatment.n}</p></section>`;
}

export function adsBody(c: PageCtx, d: AdsPage): Safe {
  const l = c.lang;
  const modelForm = html`<form method="get" action="/app/ads" id="model-form"><input type="hidden" name="s" value="${c.token}">
${c.lang !== c.viewer.lang ? html`<input type="hidden" name="lang" value="${c.lang}">` : ''}
<label>${t('model', l)} <select name="model" id="model">${attributionModels.map(
    (m) => html`<option value="${m}" ${m === d.model ? html`selected` : ''}>${textOf(`model.${m}`, l)}</option>`,
  )}</select></label> <button>${t('show', l)}</button></form>`;
  const channels = d.channels
    ? html`<section id="channels"><h2>${t('channel', l)} × ${t('campaign', l)}</h2>
<div class="cards" id="totals"><div class="card"><div class="muted">${t('spend', l)}</div><div class="v" data-field="spend">${money(d.totals!.spend, l)}</div></div>
<div class="card"><div class="muted">${t('revenue', l)}</div><div class="v" data-field="revenue">${money(d.totals!.revenue, l)}</div></div>
<div class="card"><div class="muted">${t('paidRomi', l)}</div><div class="v" data-field="romi">${percent(d.totals!.romi, l)}</div></div></div>
<table><thead><tr><th>${t('channel', l)}</th><th>${t('campaign', l)}</th><th class="n">${t('spend', l)}</th><th class="n">${t('leads', l)}</th><th class="n">${t('deals', l)}</th><th class="n">${t('won', l)}</th><th class="n">${t('revenue', l)}</th><th class="n">${t('cpl', l)}</th><th class="n">ROMI</th><th class="n">ROAS</th><th class="n">${t('drr', l)}</th></tr></thead><tbody>
${d.channels.map(
  (r) => html`<tr data-row="${r.channel}|${r.campaign}"><td>${r.channel}</td><td>${r.campaign}</td><td class="n" data-field="spend">${money(r.spend, l)}</td>
<td class="n" data-field="leads">${r.leads}</td><td class="n" data-field="deals">${r.deals}</td><td class="n" data-field="won">${num(r.won, l, 3)}</td>
<td class="n" data-field="revenue">${money(r.revenue, l)}</td><td class="n">${money(r.cpl, l)}</td><td class="n" data-field="romi">${percent(r.romi, l)}</td>
<td class="n">${num(r.roas, l)}</td><td class="n">${percent(r.drr, l)}</td></tr>`,
)}</tbody></table></section>
<section id="comparison"><h2>${t('comparison', l)}</h2><table><thead><tr><th>${t('model', l)}</th><th class="n">${t('won', l)}</th><th class="n">${t('revenue', l)}</th></tr></thead><tbody>
${d.comparison!.map((m) => html`<tr data-row="${m.model}" class="${m.model === d.model ? 'on' : ''}"><td>${textOf(`model.${m.model}`, l)}</td><td class="n">${num(m.won, l, 3)}</td><td class="n" data-field="revenue">${money(m.revenue, l)}</td></tr>`)}
</tbody></table></section>`
    : '';
  const funnel = d.funnel
    ? html`<section id="funnel"><h2>${t('funnel', l)}: ${d.funnel.channel} · ${d.funnel.pipelineName}</h2>
<p>${d.funnel.choices.map((f) => html`<a href="${link(c, 'ads', { model: d.model, channel: f.channel, pipeline: f.pipeline })}">${f.channel} · ${f.pipelineName}</a> `)}</p>
<div class="chart"><canvas data-chart="funnel"></canvas></div>${jsonBlock('funnel-data', { labels: d.funnel.stages.map((s) => s.name), values: d.funnel.stages.map((s) => s.reached), label: t('reached', l) })}
<table><thead><tr><th>${t('stage', l)}</th><th class="n">${t('reached', l)}</th><th class="n">${t('conversion', l)}</th></tr></thead><tbody>
${d.funnel.stages.map((s) => html`<tr data-row="${s.stage}"><td>${s.name}</td><td class="n" data-field="reached">${s.reached}</td><td class="n">${percent(s.conversion, l)}</td></tr>`)}
</tbody></table></section>`
    : '';
  const managers = html`<section id="managers"><h2>${t('manager', l)}</h2><table><thead><tr><th>${t('manager', l)}</th><th class="n">${t('channel', l)}</th><th class="n">${t('leads', l)}</th><th class="n">${t('won', l)}</th><th class="n">${t('revenue', l)}</th></tr></thead><tbody>
${d.managers.map((m) => html`<tr data-row="${m.manager ?? ''}"><td>${m.name}</td><td class="n">${m.channels}</td><td class="n">${m.leads}</td><td class="n">${num(m.won, l, 3)}</td><td class="n" data-field="revenue">${money(m.revenue, l)}</td></tr>`)}
</tbody></table>
${d.unknown.length ? html`<h2>${t('unknownSource', l)}</h2><table><tbody>${d.unknown.map((u) => html`<tr><td>${u.name}</td><td class="n">${t('leads', l)}: ${u.leads}</td><td class="n">${t('deals', l)}: ${u.deals}</td></tr>`)}</tbody></table>` : ''}</section>`;
  return html`${runLine(c, d.run, (i) => when(i, l))}${modelForm}${channels}${funnel}${d.channels ? upliftCard(c, d.uplift) : ''}${managers}`;
}
