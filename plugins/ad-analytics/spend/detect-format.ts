import { normalizeHeader, type Field, type Layout } from './layout.js';
import { genericLayout } from './layout-generic.js';
import { vkAdsLayout } from './layout-vk-ads.js';
import { yandexApiLayout } from './layout-yandex-api.js';
import { yandexWebLayout } from './layout-yandex-web.js';
import type { SpendFilePlatform } from './schema.js';
import { isBlank, type Table } from './table.js';

export const LAYOUTS: readonly Layout[] = [yandexApiLayout, yandexWebLayout, vkAdsLayout, genericLayout];

/** Title blocks are a few lines; a header further down than this is not looked for. */
const HEADER_SCAN_ROWS = 40;

export interface Detected {
  ok: true;
  layout: Layout;
  /** Index in table.rows of the header row. */
  headerIndex: number;
  columns: Partial<Record<Field, number>>;
  /** The header cells as the file writes them (trimmed). */
  headers: string[];
}

export type DetectFailure =
  | { ok: false; kind: 'unknown' }
  | { ok: false; kind: 'missing'; layout: Layout; line: number; missing: string[]; found: number }
  | { ok: false; kind: 'ambiguous'; line: number; layouts: Layout[] };

export interface Hints {
  fileName: string;
  platform?: SpendFilePlatform;
}

/** Finds the header row and the layout it belongs to, from the header names alone. */
export function detectLayout(table: Table, hints: Hints): Detected | DetectFailure {
  let partial: DetectFailure = { ok: false, kind: 'unknown' };
  const rows = table.rows.slice(0, HEADER_SCAN_ROWS);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!row || isBlank(row)) continue;
    const norms = row.cells.map(normalizeHeader);
    const complete: { layout: Layout; columns: Partial<Record<Field, number>>; score: number }[] = [];
    for (const layout of LAYOUTS) {
      const columns = mapColumns(layout, norms);
      const missing = missingFields(columns);
      if (missing.length === 0) {
        complete.push({ layout, columns, score: layout.score(norms) });
        continue;
      }
      const found = Object.keys(columns).length;
      const best = partial.ok === false && partial.kind === 'missing' ? partial.found : 1;
      if (found > best && missing.length < 3) partial = { ok: false, kind: 'missing', layout, line: row.line, missing, found };
    }
    if (complete.length === 0) continue;
    const top = Math.max(...complete.map((c) => c.score));
    let tied = complete.filter((c) => c.score === top);
    if (tied.length > 1) tied = breakTie(tied, hints, rows.slice(0, i).flatMap((r) => r.cells).join(' '));
    const winner = tied[0];
    if (tied.length > 1 || !winner) return { ok: false, kind: 'ambiguous', line: row.line, layouts: tied.map((t) => t.layout) };
    return { ok: true, layout: winner.layout, headerIndex: i, columns: winner.columns, headers: row.cells.map((c) => c.trim()) };
  }
  return partial;
}

function mapColumns(layout: Layout, norms: string[]): Partial<Record<Field, number>> {
  const columns: Partial<Record<Field, number>> = {};
  for (const [field, matches] of Object.entries(layout.columns) as [Field, (h: string) => boolean][]) {
    const at = norms.findIndex((h) => h !== '' && matches(h));
    if (at >= 0) columns[field] = at;
  }
  return columns;
}

function missingFields(columns: Partial<Record<Field, number>>): string[] {
  const missing: string[] = [];
  if (columns.date === undefined) missing.push('date');
  if (columns.cost === undefined) missing.push('cost');
  if (columns.campaignId === undefined && columns.campaignName === undefined) missing.push('campaign (id or name)');
  return missing;
}

const YANDEX_HINT = /direct|директ|yandex|яндекс/iu;
const VK_HINT = /(^|[^a-z])vk([^a-z]|$)|(?<!\p{L})вк(?!\p{L})|vk ?реклама|mytarget|mail\.ru/iu;

/** Same-scoring layouts: the caller's platform decides, then the file name and title lines. */
function breakTie<T extends { layout: Layout }>(tied: T[], hints: Hints, preamble: string): T[] {
  if (hints.platform && hints.platform !== 'other') {
    const same = tied.filter((t) => t.layout.platform === hints.platform);
    if (same.length) return same;
  }
  for (const text of [preamble, hints.fileName]) {
    const yandex = YANDEX_HINT.test(text);
    const vk = VK_HINT.test(text);
    if (yandex === vk) continue;
    const want = yandex ? 'yandex_direct' : 'vk_ads';
    const same = tied.filter((t) => t.layout.platform === want);
    if (same.length) return same;
  }
  return tied;
}
