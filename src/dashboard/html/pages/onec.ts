import type { OnecPage } from '../../data/onec.js';
import { money, when } from '../format.js';
import { html, type Safe } from '../html.js';
import type { PageCtx } from '../layout.js';
import { text as t } from '../texts.js';

export function onecBody(c: PageCtx, d: OnecPage): Safe {
  const l = c.lang;
  if (!d.sources.length) return html`<p class="muted">${t('noOnec', l)}</p>`;
  const list = (id: string, title: string, rows: { product: string; article: string | null }[]) =>
    html`<section id="${id}"><h2>${title}: <span data-field="count">${rows.length}</span></h2>${rows.length ? html`<table><tbody>${rows.map((r) => html`<tr><td>${r.product}</td><td class="muted">${r.article ?? ''}</td></tr>`)}</tbody></table>` : html`<p class="muted">${t('none', l)}</p>`}</section>`;
  return html`<section id="exchange"><h2>${t('lastExchange', l)}</h2><table><thead><tr><th>${t('file', l)}</th><th>${t('status', l)}</th><th>${t('updated', l)}</th></tr></thead><tbody>
${d.lastExchange.map((x) => html`<tr><td>${x.file}</td><td>${x.status}${x.message ? `: ${x.message}` : ''}</td><td>${when(x.at, l)}</td></tr>`)}</tbody></table></section>
<section id="prices"><h2>${t('priceChanges', l)}</h2><table><thead><tr><th>${t('product', l)}</th><th>${t('priceType', l)}</th><th class="n">${t('oldPrice', l)}</th><th class="n">${t('newPrice', l)}</th><th>${t('updated', l)}</th></tr></thead><tbody>
${d.priceChanges.map((p) => html`<tr><td>${p.product}</td><td>${p.priceType}</td><td class="n">${money(p.old, l, p.currency)}</td><td class="n" data-field="new">${money(p.new, l, p.currency)}</td><td>${when(p.at, l)}</td></tr>`)}</tbody></table></section>
${list('stock', t('outOfStock', l), d.outOfStock)}${list('unmatched', t('unmatched', l), d.unmatched)}
<section id="flagged"><h2>${t('flaggedDeals', l)}: <span data-field="count">${d.flaggedDeals.length}</span></h2><table><tbody>
${d.flaggedDeals.map((f) => html`<tr><td>${f.dealId}: ${f.dealTitle}</td><td>${f.product}</td><td>${f.kind}</td><td>${when(f.since, l)}</td></tr>`)}</tbody></table></section>`;
}
