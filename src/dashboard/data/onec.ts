import type { Store } from '../../store/index.js';
import { guardSource } from '../../onec/guard.js';
import { usersParam, type Viewer } from '../viewer.js';

export interface OnecPage {
  /** The 1C accounts that feed this CRM account. */
  sources: { id: string; name: string }[];
  lastExchange: { file: string; status: string; message: string | null; at: string; summary: Record<string, unknown> | null }[];
  priceChanges: { product: string; priceType: string; old: string | null; new: string | null; currency: string; at: string }[];
  outOfStock: { product: string; article: string | null }[];
  unmatched: { product: string; article: string | null }[];
  flaggedDeals: { kind: string; dealId: string; dealTitle: string; product: string; details: Record<string, unknown>; since: string }[];
}

const LIMIT = 50;
const iso = (v: Date | string) => new Date(v).toISOString();

export async function onecPage(store: Store, v: Viewer): Promise<OnecPage> {
  const db = store.db;
  const src = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM accounts WHERE kind = 'onec' AND settings->>'crmAccount' = $1 ORDER BY id`,
    [v.account],
  );
  const ids = src.rows.map((r) => r.id);
  const [imports, prices, stock, unmatched, flagged] = await Promise.all([
    db.query<{ file_name: string; status: string; message: string | null; updated_at: Date; summary: Record<string, unknown> | null }>(
      `SELECT file_name, status, message, updated_at, summary FROM onec_imports WHERE account_id = ANY($1) ORDER BY updated_at DESC LIMIT 10`,
      [ids],
    ),
    db.query<{ product: string; price_type: string; old_amount: string | null; new_amount: string | null; currency: string; changed_at: Date }>(
      `SELECT coalesce(p.name, h.product_id) AS product, coalesce(t.name, h.price_type) AS price_type, h.old_amount::text, h.new_amount::text, h.currency, h.changed_at
         FROM price_history h
         LEFT JOIN products p ON p.account_id = h.account_id AND p.external_id = h.product_id
         LEFT JOIN price_types t ON t.account_id = h.account_id AND t.external_id = h.price_type
        WHERE h.account_id = ANY($1) ORDER BY h.changed_at DESC, h.price_id LIMIT ${LIMIT}`,
      [ids],
    ),
    db.query<{ product: string; article: string | null }>(
      `SELECT p.name AS product, p.article FROM products p
        WHERE p.account_id = ANY($1) AND p.deleted_at IS NULL AND p.active
          AND NOT EXISTS (SELECT 1 FROM stock s WHERE s.account_id = p.account_id AND s.product_id = p.external_id AND s.deleted_at IS NULL AND s.quantity > 0)
        ORDER BY p.name LIMIT ${LIMIT}`,
      [ids],
    ),
    // What the CRM push cannot match: no CRM product carries its 1C id, article or barcode (as crm-push.ts matches).
    db.query<{ product: string; article: string | null }>(
      `SELECT p.name AS product, p.article FROM products p
        WHERE p.account_id = ANY($1) AND p.deleted_at IS NULL AND p.active AND p.external_id NOT LIKE '%#%'
          AND NOT EXISTS (
            SELECT 1 FROM products c WHERE c.account_id = $2 AND c.deleted_at IS NULL
               AND (c.onec_id = p.external_id OR c.article = p.article OR c.barcode = p.barcode))
        ORDER BY p.name LIMIT ${LIMIT}`,
      [ids, v.account],
    ),
    db.query<{ kind: string; details: Record<string, unknown>; first_seen: Date }>(
      `SELECT kind, details, first_seen FROM findings
        WHERE account_id = $1 AND source = $2 AND resolved_at IS NULL
          AND ($3::text[] IS NULL OR details->>'responsibleId' = ANY($3::text[]))
        ORDER BY first_seen DESC, key LIMIT ${LIMIT}`,
      [v.account, guardSource, usersParam(v)],
    ),
  ]);
  return {
    sources: src.rows,
    lastExchange: imports.rows.map((r) => ({ file: r.file_name, status: r.status, message: r.message, at: iso(r.updated_at), summary: r.summary })),
    priceChanges: prices.rows.map((r) => ({ product: r.product, priceType: r.price_type, old: r.old_amount, new: r.new_amount, currency: r.currency, at: iso(r.changed_at) })),
    outOfStock: stock.rows,
    unmatched: unmatched.rows,
    flaggedDeals: flagged.rows.map((r) => ({
      kind: r.kind,
      dealId: String(r.details.dealId ?? ''),
      dealTitle: String(r.details.dealTitle ?? ''),
      product: String(r.details.product ?? ''),
      details: r.details,
      since: iso(r.first_seen),
    })),
  };
}
