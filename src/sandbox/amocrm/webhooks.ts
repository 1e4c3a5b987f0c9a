import qs from 'qs';
import type { AmocrmData, Lead } from './types.js';

// amoCRM waits up to 2 s for an answer (webhooks-format page); the sandbox gives up after the same time.
const TIMEOUT_MS = 2000;

export interface Delivery {
  destination: string;
  setting: string;
  body: string;
  status: number | null;
}

/** Posts account webhooks the way amoCRM does: form-encoded PHP-style keys, every scalar a string. */
export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly data: AmocrmData,
    private readonly base: string,
  ) {}

  /** Fires `setting` (e.g. `status_lead`) to every enabled hook subscribed to it. */
  fire(setting: string, payload: Record<string, unknown>): void {
    for (const h of this.data.webhooks) {
      if (h.disabled || !h.settings.includes(setting)) continue;
      const body = qs.stringify({ ...payload, account: { subdomain: this.data.subdomain, id: String(this.data.accountId), _links: { self: this.base } } }, { format: 'RFC1738' });
      const d: Delivery = { destination: h.destination, setting, body, status: null };
      this.deliveries.push(d);
      const p = fetch(h.destination, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(TIMEOUT_MS) })
        .then(async (r) => {
          d.status = r.status;
          await r.arrayBuffer();
        })
        .catch(() => {
          d.status = 0;
        })
        .finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

/** A lead in the webhook's old (v2) field names, as the webhooks-format page documents them. */
export function leadHook(data: AmocrmData, l: Lead, extra: Record<string, number> = {}): Record<string, unknown> {
  const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return {
    id: s(l.id),
    name: l.name,
    status_id: s(l.statusId),
    pipeline_id: s(l.pipelineId),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, s(v)])),
    price: s(l.price),
    responsible_user_id: s(l.responsibleUserId),
    last_modified: s(l.updatedAt),
    modified_user_id: s(l.updatedBy),
    created_user_id: s(l.createdBy),
    date_create: s(l.createdAt),
    account_id: s(data.accountId),
    custom_fields: l.cf.map((v) => ({ id: s(v.fieldId), name: data.fields.get(v.fieldId)?.name ?? '', values: v.values.map((x) => (x.enum_id ? { value: s(x.value), enum: s(x.enum_id) } : s(x.value))) })),
  };
}
