import type { StalePage } from '../../data/stale.js';
import { when } from '../format.js';
import { html, type Safe } from '../html.js';
import { link, runLine, type PageCtx } from '../layout.js';
import { text as t, textOf } from '../texts.js';
import type { Lang } from '../../session.js';

const select = (name: string, value: string | undefined, options: string[], all: string, l: Lang) =>
  html`<select name="${name}"><option value="">${all}</option>${options.map((o) => html`<option value="${o}" ${o === value ? html`selected` : ''}>${textOf(`${name}.${o}`, l)}</option>`)}</select>`;

export function staleBody(c: PageCtx, d: StalePage): Safe {
  const l = c.lang;
  const f = d.filters;
  const run = d.run;
  const state = run?.undoneAt ? html`<p data-state="undone">${t('undone', l)}: ${when(run.undoneAt, l)}</p>` : run?.appliedAt ? html`<p data-state="applied">${t('applied', l)}: ${when(run.appliedAt, l)}</p>` : '';
  const action = (what: 'apply' | 'undo') =>
    html`<form method="post" class="inline" action="/app/stale/${what}"><input type="hidden" name="s" value="${c.token}"><input type="hidden" name="run" value="${run!.id}"><button id="${what}">${t(what, l)}</button></form>`;
  const progress = d.progress
    ? html`<p id="progress" data-pending="${d.progress.pending}">${t('pending', l)}: ${d.progress.pending} · ${t('done', l)}: <span data-field="done">${d.progress.done}</span> · ${t('failed', l)}: ${d.progress.failed}</p>`
    : '';
  const actions = !run || !d.movesTotal ? '' : !d.canApply ? html`<p class="muted">${t('onlyAdmin', l)}</p>` : run.undoneAt ? '' : run.appliedAt ? action('undo') : action('apply');
  return html`${runLine(c, run, (i) => when(i, l))}
<section id="rules"><h2>${t('findings', l)}: <span data-field="total">${d.total}</span></h2><p>${d.byRule.map((r) => html`<a href="${link(c, 'stale', { rule: r.rule })}" data-rule="${r.rule}">${textOf(`rule.${r.rule}`, l)}</a> (${r.count}) `)}</p>
<form method="get" action="/app/stale"><input type="hidden" name="s" value="${c.token}">
${t('rule', l)} ${select('rule', f.rule, d.byRule.map((r) => r.rule), t('all', l), l)}
${t('severity', l)} ${select('severity', f.severity, ['high', 'medium', 'low'], t('all', l), l)}
${t('entity', l)} ${select('entity', f.entity, ['deal', 'lead', 'contact', 'company', 'activity'], t('all', l), l)} <button>${t('filter', l)}</button></form>
<table><thead><tr><th>${t('entity', l)}</th><th>${t('rule', l)}</th><th>${t('severity', l)}</th><th>${t('owner', l)}</th><th>${t('reason', l)}</th></tr></thead><tbody>
${d.findings.map((x) => html`<tr data-row="${x.entity}:${x.id}:${x.rule}"><td>${textOf(`entity.${x.entity}`, l)} ${x.id}: ${x.title}</td><td>${textOf(`rule.${x.rule}`, l)}</td><td class="sev-${x.severity}">${textOf(`severity.${x.severity}`, l)}</td><td>${x.owner}</td><td>${x.reason[l]}</td></tr>`)}
</tbody></table>
${d.pages > 1 ? html`<p>${t('page', l)} ${f.page} ${t('of', l)} ${d.pages} ${f.page > 1 ? html`<a href="${link(c, 'stale', { ...f, page: f.page - 1 })}">←</a>` : ''} ${f.page < d.pages ? html`<a id="next" href="${link(c, 'stale', { ...f, page: f.page + 1 })}">→</a>` : ''}</p>` : ''}</section>
<section id="moves"><h2>${t('reassignment', l)}: <span data-field="moves">${d.movesTotal}</span></h2>${state}${progress}${actions}
<table><thead><tr><th>${t('entity', l)}</th><th>${t('from', l)}</th><th>${t('to', l)}</th></tr></thead><tbody>
${d.moves.slice(0, 200).map((m) => html`<tr data-row="${m.entity}:${m.id}"><td>${textOf(`entity.${m.entity}`, l)} ${m.id}: ${m.title}</td><td>${m.fromName}</td><td data-field="to">${m.toName}</td></tr>`)}
</tbody></table></section>`;
}
