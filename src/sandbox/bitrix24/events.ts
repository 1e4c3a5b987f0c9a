import { randomBytes } from 'node:crypto';
import qs from 'qs';
import { RestError } from './errors.js';
import type { TokenAnswer } from './oauth.js';
import { iso, nowS } from './time.js';

const crm = ['LEAD', 'DEAL', 'CONTACT', 'COMPANY', 'ACTIVITY'].flatMap((e) => ['ADD', 'UPDATE', 'DELETE'].map((a) => `ONCRM${e}${a}`));
export const KNOWN_EVENTS = new Set([...crm, 'ONAPPUNINSTALL', 'ONAPPINSTALL', 'ONUSERADD', 'ONTASKADD', 'ONTASKUPDATE', 'ONCRMTIMELINECOMMENTADD']);

export interface Binding {
  id: number;
  event: string;
  handler: string;
  authType: number;
  offline: boolean;
}

export interface OfflineEvent {
  id: number;
  timestamp: number;
  event: string;
  data: Record<string, unknown>;
  processId: string | null;
  messageId: string;
}

interface Identity {
  domain: string;
  origin: string;
  memberId: string;
  applicationToken: string;
  issue(): TokenAnswer;
}

/** Bound handlers: online ones get the form-encoded POST a portal sends, offline ones queue for event.offline.get. */
export class Events {
  bindings: Binding[] = [];
  queue: OfflineEvent[] = [];
  private nextHandler = 1;
  private nextOffline = 1;
  private pending = new Set<Promise<void>>();
  delivered = 0;

  constructor(private readonly who: Identity) {}

  bind(p: Record<string, unknown>): true {
    const event = String(p.event ?? p.EVENT ?? '').toUpperCase();
    if (!KNOWN_EVENTS.has(event)) throw new RestError(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found');
    const offline = String(p.event_type ?? '').toLowerCase() === 'offline';
    const handler = String(p.handler ?? p.HANDLER ?? '');
    if (!offline && !/^https?:\/\//.test(handler)) throw new RestError(400, 'WRONG_HANDLER_URL', 'Wrong handler URL');
    if (this.bindings.some((b) => b.event === event && b.handler === handler && b.offline === offline)) {
      throw new RestError(400, 'ERROR_HANDLER_ALREADY_EXIST', 'Handler already binded');
    }
    this.bindings.push({ id: this.nextHandler++, event, handler: offline ? '' : handler, authType: Number(p.auth_type ?? 0), offline });
    return true;
  }

  unbind(p: Record<string, unknown>): { count: number } {
    const event = String(p.event ?? '').toUpperCase();
    const handler = p.handler === undefined ? null : String(p.handler);
    const offline = String(p.event_type ?? '').toLowerCase() === 'offline';
    const before = this.bindings.length;
    this.bindings = this.bindings.filter((b) => !(b.event === event && b.offline === offline && (handler === null || b.handler === handler)));
    return { count: before - this.bindings.length };
  }

  list() {
    return this.bindings.map((b) => ({ event: b.event, handler: b.handler, auth_type: String(b.authType), offline: b.offline ? 1 : 0 }));
  }

  fire(event: string, data: Record<string, unknown>): void {
    const ts = Math.floor(Date.now() / 1000);
    for (const b of this.bindings.filter((x) => x.event === event)) {
      if (b.offline) this.enqueue(event, data);
      else this.post(b, event, data, ts);
    }
  }

  private enqueue(event: string, data: Record<string, unknown>): void {
    const key = JSON.stringify(data);
    // Identical unprocessed events are merged, as the portal does.
    if (this.queue.some((e) => e.processId === null && e.event === event && JSON.stringify(e.data) === key)) return;
    const id = this.nextOffline++;
    this.queue.push({ id, timestamp: nowS(), event, data, processId: null, messageId: randomBytes(16).toString('hex') });
  }

  private post(b: Binding, event: string, data: Record<string, unknown>, ts: number): void {
    const t = this.who.issue();
    const body = qs.stringify({
      event,
      event_handler_id: b.id,
      data,
      ts,
      auth: {
        access_token: t.access_token,
        expires: t.expires,
        expires_in: t.expires_in,
        scope: t.scope,
        domain: this.who.domain,
        server_endpoint: `${this.who.origin}/rest/`,
        status: 'L',
        client_endpoint: `${this.who.origin}/rest/`,
        member_id: this.who.memberId,
        user_id: 1,
        application_token: this.who.applicationToken,
      },
    });
    const p = fetch(b.handler, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
      .then(async (r) => {
        await r.arrayBuffer();
        this.delivered++;
      })
      .catch(() => undefined)
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Waits for online deliveries in flight. */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  offlineGet(p: Record<string, unknown>) {
    const limit = Math.min(1000, Math.max(1, Number(p.limit ?? 50) || 50));
    const clear = !(p.clear === 0 || p.clear === '0' || p.clear === false || p.clear === 'N');
    const picked = this.queue.filter((e) => e.processId === null).slice(0, limit);
    let processId: string | null = null;
    if (clear) {
      const ids = new Set(picked.map((e) => e.id));
      this.queue = this.queue.filter((e) => !ids.has(e.id));
    } else if (picked.length > 0) {
      processId = randomBytes(16).toString('hex');
      for (const e of picked) e.processId = processId;
    }
    return {
      process_id: processId,
      events: picked.map((e) => ({ ID: String(e.id), TIMESTAMP_X: iso(e.timestamp), EVENT_NAME: e.event, EVENT_DATA: e.data, EVENT_ADDITIONAL: { user_id: '1' }, MESSAGE_ID: e.messageId })),
    };
  }

  offlineClear(p: Record<string, unknown>): true {
    const processId = String(p.process_id ?? '');
    if (!processId) throw new RestError(400, 'ERROR_CORE', 'Required parameter "process_id" is missing');
    const ids = Array.isArray(p.id) ? new Set(p.id.map(Number)) : null;
    const messages = Array.isArray(p.message_id) ? new Set(p.message_id.map(String)) : null;
    this.queue = this.queue.filter((e) => !(e.processId === processId && (!ids || ids.has(e.id)) && (!messages || messages.has(e.messageId))));
    return true;
  }
}
