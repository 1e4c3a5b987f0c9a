import type { SyncPage } from '../../data/sync.js';
import { when } from '../format.js';
import { html, type Safe } from '../html.js';
import type { PageCtx } from '../layout.js';
import { text as t } from '../texts.js';

export function syncBody(c: PageCtx, d: SyncPage): Safe {
  const l = c.lang;
  const errors = [...d.errors.map((e) => ({ at: e.at, what: e.kind, error: e.error })), ...d.inboxFailed.map((e) => ({ at: e.at, what: e.source, error: e.error }))];
  return html`<section id="account"><h2>${t('accountStatus', l)}</h2><p data-field="status">${d.status}${d.statusReason ? `: ${d.statusReason}` : ''}</p></section>
<section id="freshness"><h2>${t('freshness', l)}</h2><table><tbody>${d.entities.map((e) => html`<tr data-row="${e.entity}"><td>${e.entity}</td><td>${when(e.updatedAt, l)}</td></tr>`)}</tbody></table></section>
<section id="outbox"><h2>${t('outbox', l)}</h2><p>${t('pending', l)}: <b data-field="pending">${d.outbox.pending}</b> · ${t('failed', l)}: <b data-field="failed">${d.outbox.failed}</b> · ${t('done', l)}: <b data-field="done">${d.outbox.done}</b></p></section>
<section id="errors"><h2>${t('lastErrors', l)}</h2>${errors.length ? html`<table><tbody>${errors.map((e) => html`<tr><td>${when(e.at, l)}</td><td>${e.what}</td><td>${e.error}</td></tr>`)}</tbody></table>` : html`<p class="muted">${t('none', l)}</p>`}</section>`;
}
