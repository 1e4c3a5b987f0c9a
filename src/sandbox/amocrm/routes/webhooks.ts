import { list, nowS, type Call } from '../context.js';
import { problem, validation, type Reply } from '../http.js';
import { webhookOut } from '../render-misc.js';

const SETTINGS = new Set(
  ['lead', 'contact', 'company', 'customer'].flatMap((e) => ['add', 'update', 'delete', 'restore', 'status', 'responsible', 'note'].map((a) => `${a}_${e}`)).concat(['add_task', 'update_task', 'delete_task', 'responsible_task', 'add_talk', 'update_talk', 'add_chat_template_review']),
);

export function listHooks(c: Call): Reply {
  const f = c.query.filter && typeof c.query.filter === 'object' ? (c.query.filter as Record<string, unknown>) : {};
  const dest = list(f.destination);
  const rows = c.ctx.data.webhooks.filter((h) => !dest.length || dest.includes(h.destination));
  if (!rows.length) return { status: 204 };
  return { status: 200, body: { _total_items: rows.length, _embedded: { webhooks: rows.map((h) => webhookOut(c.ctx, h)) } } };
}

/** POST {destination, settings[], sort?} → 201; the same destination again updates that hook. */
export function addHook(c: Call): Reply {
  const b = (c.body ?? {}) as Record<string, unknown>;
  const errors: { requestId: string; code: string; path: string; detail: string }[] = [];
  if (typeof b.destination !== 'string' || !/^https?:\/\//.test(b.destination)) errors.push({ requestId: '0', code: 'InvalidUrl', path: 'destination', detail: 'This value is not a valid URL.' });
  const settings = Array.isArray(b.settings) ? b.settings.map(String) : [];
  if (!settings.length || settings.some((s) => !SETTINGS.has(s))) errors.push({ requestId: '0', code: 'NotSupportedChoice', path: 'settings', detail: 'The value you selected is not a valid choice.' });
  if (errors.length) throw validation(errors);
  const d = c.ctx.data;
  const now = nowS();
  let h = d.webhooks.find((x) => x.destination === b.destination);
  if (h) {
    h.settings = settings;
    h.updatedAt = now;
    h.disabled = false;
  } else {
    if (d.webhooks.length >= 100) throw problem(400, 'Webhooks limit exceeded');
    h = { id: (d.next.webhookId += c.ctx.rng.int(1, 999)), destination: b.destination as string, settings, sort: typeof b.sort === 'number' ? b.sort : d.webhooks.length + 1, disabled: false, createdAt: now, updatedAt: now, createdBy: c.userId };
    d.webhooks.push(h);
  }
  return { status: 201, body: webhookOut(c.ctx, h) };
}

/** DELETE with body {destination} → 204. */
export function deleteHook(c: Call): Reply {
  const b = (c.body ?? {}) as Record<string, unknown>;
  const d = c.ctx.data;
  const i = d.webhooks.findIndex((x) => x.destination === b.destination);
  if (i < 0) throw validation([{ requestId: '0', code: 'NotFound', path: 'destination', detail: 'Webhook not found' }]);
  d.webhooks.splice(i, 1);
  return { status: 204 };
}
