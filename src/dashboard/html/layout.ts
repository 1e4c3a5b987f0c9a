import type { Lang } from '../session.js';
import type { Viewer } from '../viewer.js';
import { html, type Safe } from './html.js';
import { text, textOf, type TextKey } from './texts.js';

export const pages = ['ads', 'managers', 'stale', 'forecast', 'onec', 'sync'] as const;
export type PageId = (typeof pages)[number];

/** Where each role may go: the company-wide forecast and sync status are an admin's and the director's; the other pages filter by role. */
export const allowed: Record<PageId, readonly Viewer['role'][]> = {
  ads: ['admin', 'director', 'head', 'manager'],
  managers: ['admin', 'director', 'head', 'manager'],
  stale: ['admin', 'director', 'head', 'manager'],
  forecast: ['admin', 'director'],
  onec: ['admin', 'director', 'head', 'manager'],
  sync: ['admin', 'director'],
};

export interface PageCtx {
  viewer: Viewer;
  lang: Lang;
  /** The session token, carried in every link: frames cannot rely on third-party cookies. */
  token: string;
}

export function link(c: PageCtx, page: PageId, query: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams({ s: c.token });
  if (c.lang !== c.viewer.lang) q.set('lang', c.lang);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  return `/app/${page}?${q.toString()}`;
}

const css = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2937;background:#f6f7f9}
header{background:#fff;border-bottom:1px solid #e5e7eb;padding:8px 16px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header b{font-size:16px}nav a{margin-right:12px;color:#2563eb;text-decoration:none}nav a.on{font-weight:600;color:#111}
main{padding:16px;max-width:1280px}section{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:12px 16px;margin-bottom:16px}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:0 0 8px}table{border-collapse:collapse;width:100%}
th,td{padding:4px 8px;border-bottom:1px solid #eef0f3;text-align:left;vertical-align:top}td.n,th.n{text-align:right;white-space:nowrap}
.muted{color:#6b7280}.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #e5e7eb;border-radius:6px;padding:8px 12px;min-width:160px}
.card .v{font-size:18px;font-weight:600}.sev-high{color:#b91c1c}.sev-medium{color:#b45309}.chart{position:relative;height:280px}
form.inline{display:inline}button{cursor:pointer}.lang{margin-left:auto}`;

export function layout(c: PageCtx, page: PageId, title: string, body: Safe): Safe {
  const visible = pages.filter((p) => allowed[p].includes(c.viewer.role));
  const other: Lang = c.lang === 'ru' ? 'en' : 'ru';
  const langLink = link(c, page, { lang: other });
  return html`<!doctype html>
<html lang="${c.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title} · ${text('title', c.lang)}</title><style>${css}</style></head>
<body data-page="${page}"><header><b>${text('title', c.lang)}</b><nav>${visible.map(
    (p) => html`<a href="${link(c, p)}" class="${p === page ? 'on' : ''}" data-nav="${p}">${text(`nav.${p}` as TextKey, c.lang)}</a>`,
  )}</nav><span class="muted">${text('role', c.lang)}: ${textOf(`role.${c.viewer.role}`, c.lang)}</span>
<a class="lang" href="${langLink}">${other.toUpperCase()}</a></header>
<main><h1>${title}</h1>${body}</main>
<script src="/app/static/chart.umd.min.js"></script><script src="/app/static/dashboard.js"></script></body></html>`;
}

export function runLine(c: PageCtx, run: { id: string; finishedAt: string } | null, when: (iso: string) => string): Safe {
  return run
    ? html`<p class="muted" data-run="${run.id}">${text('runAt', c.lang)}: ${when(run.finishedAt)}</p>`
    : html`<p class="muted">${text('noRun', c.lang)}</p>`;
}
