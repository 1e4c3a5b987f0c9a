import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateData, startAmocrmSandbox, type AmocrmSandbox, type DataOptions } from '../../src/sandbox/amocrm/index.js';

type Json = Record<string, unknown>;
const ANCHOR = Date.UTC(2025, 5, 1) / 1000;

async function get(sb: AmocrmSandbox, path: string, token = sb.longLivedToken): Promise<{ status: number; type: string; text: string; body: Json }> {
  const r = await fetch(path.startsWith('http') ? path : `${sb.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await r.text();
  let body: Json = {};
  try {
    body = text ? (JSON.parse(text) as Json) : {};
  } catch {
    body = {};
  }
  return { status: r.status, type: r.headers.get('content-type') ?? '', text, body };
}

async function send(sb: AmocrmSandbox, method: string, path: string, body: unknown, token = sb.longLivedToken) {
  const r = await fetch(`${sb.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : {}) as Json };
}

const embedded = (b: Json, key: string) => (b._embedded as Record<string, Json[]>)[key] as Json[];
const nextHref = (b: Json) => (b._links as Record<string, { href: string } | undefined>).next?.href;

describe('amoCRM sandbox account', () => {
  let sb: AmocrmSandbox;
  beforeAll(async () => {
    expect(process.env.NODE_EXTRA_CA_CERTS, 'run with tests/global-setup.ts so the sandbox CA is trusted').toBeTruthy();
    sb = await startAmocrmSandbox({ seed: 11, leads: 620, contacts: 150, companies: 40, perSecond: 10_000, anchor: ANCHOR * 1000 });
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('pages leads by _links.next, at most 250, then answers 204 past the end', async () => {
    const seen: number[] = [];
    const sizes: number[] = [];
    let url: string | undefined = `${sb.baseUrl}/api/v4/leads?limit=250&order[id]=asc`;
    let last: Json = {};
    while (url) {
      const r = await get(sb, url);
      expect(r.status).toBe(200);
      expect(r.type).toContain('application/hal+json');
      const leads = embedded(r.body, 'leads');
      sizes.push(leads.length);
      seen.push(...leads.map((l) => l.id as number));
      last = r.body;
      url = nextHref(r.body);
    }
    expect(sizes).toEqual([250, 250, 120]);
    expect(new Set(seen).size).toBe(620);
    expect(last._page).toBe(3);
    const past = await get(sb, '/api/v4/leads?limit=250&page=4');
    expect(past).toMatchObject({ status: 204, text: '' });
    const lead = embedded((await get(sb, '/api/v4/leads?limit=1&with=contacts')).body, 'leads')[0] as Json;
    expect(lead).toMatchObject({ account_id: sb.accountId, is_deleted: false });
    expect(typeof lead.updated_at).toBe('number');
    expect(lead.updated_at as number).toBeLessThan(2_000_000_000);
  });

  it('refuses limit 251 (and events limit 101) with problem+json', async () => {
    for (const path of ['/api/v4/leads?limit=251', '/api/v4/events?limit=101']) {
      const r = await get(sb, path);
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body).toMatchObject({ title: 'Bad Request', type: 'https://httpstatus.es/400', status: 400 });
      expect(typeof r.body.detail).toBe('string');
    }
    expect((await get(sb, '/api/v4/events?limit=100')).status).toBe(200);
  });

  it('exchanges a code, rotates refresh tokens and refuses a spent one', async () => {
    const token = async (body: Json) => {
      const r = await fetch(`${sb.baseUrl}/oauth2/access_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as Json };
    };
    const { clientId: client_id, clientSecret: client_secret, redirectUri: redirect_uri } = sb.oauth;
    const code = sb.oauth.issueCode();
    const first = await token({ client_id, client_secret, grant_type: 'authorization_code', code, redirect_uri });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 86_400 });
    expect(String(first.body.access_token).split('.')).toHaveLength(3); // a JWT, as documented
    expect((await token({ client_id, client_secret, grant_type: 'authorization_code', code, redirect_uri })).status).toBe(400);
    expect((await get(sb, '/api/v4/account', String(first.body.access_token))).status).toBe(200);

    sb.resetStats();
    const second = await token({ client_id, client_secret, grant_type: 'refresh_token', refresh_token: first.body.refresh_token, redirect_uri });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(sb.stats().refreshes).toBe(1);
    const reused = await token({ client_id, client_secret, grant_type: 'refresh_token', refresh_token: first.body.refresh_token, redirect_uri });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ hint: 'Token has been revoked', status: 401 });
    expect((await get(sb, '/api/v4/account', String(second.body.access_token))).status).toBe(200);
    expect((await token({ client_id, client_secret: 'wrong', grant_type: 'refresh_token', refresh_token: second.body.refresh_token, redirect_uri })).status).toBe(401);
  });

  it('answers 401 without a token and after expireTokens; the long-lived token survives', async () => {
    const r = await fetch(`${sb.baseUrl}/api/v4/leads`);
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ title: 'Unauthorized', status: 401 });
    const pair = sb.oauth.issue();
    expect((await get(sb, '/api/v4/users', pair.access_token)).status).toBe(200);
    sb.expireTokens();
    expect((await get(sb, '/api/v4/users', pair.access_token)).status).toBe(401);
    expect((await get(sb, '/api/v4/users')).status).toBe(200);
  });

  it('honours filter[updated_at][from]/[to] in updated_at order', async () => {
    const all = sb.data.leads.rows.filter((l) => !l.isDeleted);
    const from = ANCHOR - 120 * 86_400;
    const to = ANCHOR - 30 * 86_400;
    const want = all.filter((l) => l.updatedAt >= from && l.updatedAt <= to).length;
    expect(want).toBeGreaterThan(10);
    expect(want).toBeLessThan(all.length);
    const got: Json[] = [];
    let url: string | undefined = `${sb.baseUrl}/api/v4/leads?limit=50&order[updated_at]=asc&filter[updated_at][from]=${from}&filter[updated_at][to]=${to}`;
    while (url) {
      const r = await get(sb, url);
      got.push(...embedded(r.body, 'leads'));
      url = nextHref(r.body);
    }
    expect(got).toHaveLength(want);
    const times = got.map((l) => l.updated_at as number);
    expect(times.every((t) => t >= from && t <= to)).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const account = await get(sb, '/api/v4/account?with=is_api_filter_enabled');
    expect(account.body.is_api_filter_enabled).toBe(true);
    expect((await get(sb, '/api/v4/account')).body).not.toHaveProperty('is_api_filter_enabled');
  });

  it('serves pipelines with 142/143 and an unsorted status, users, and per-account UTM fields', async () => {
    const pipes = embedded((await get(sb, '/api/v4/leads/pipelines')).body, 'pipelines');
    expect(pipes).toHaveLength(2);
    for (const p of pipes) {
      const st = (p._embedded as { statuses: Json[] }).statuses;
      expect(st.find((s) => s.id === 142)?.name).toBe('Успешно реализовано');
      expect(st.find((s) => s.id === 143)?.name).toBe('Закрыто и не реализовано');
      expect(st.filter((s) => s.type === 1)).toHaveLength(1);
    }
    const users = embedded((await get(sb, '/api/v4/users?with=group')).body, 'users');
    const inactive = new Set(users.filter((u) => (u.rights as Json).is_active === false).map((u) => u.id));
    expect(inactive.size).toBe(2);
    expect(sb.data.leads.rows.some((l) => inactive.has(l.responsibleUserId))).toBe(true);
    const fields = embedded((await get(sb, '/api/v4/leads/custom_fields?filter[type][]=tracking_data')).body, 'custom_fields');
    expect(fields.map((f) => f.code)).toEqual(['UTM_SOURCE', 'UTM_MEDIUM', 'UTM_CAMPAIGN', 'UTM_CONTENT', 'UTM_TERM']);
    const utm = fields[0]?.id as number;
    const withUtm = sb.data.leads.rows.filter((l) => l.cf.some((v) => v.fieldId === utm)).length;
    expect(withUtm).toBeGreaterThan(100);
    expect(withUtm).toBeLessThan(620);
    const other = generateData(opts(12));
    expect(other.fields.rows.find((f) => f.code === 'UTM_SOURCE')?.id).not.toBe(utm);
  });

  it('replays each lead status history in the events list', async () => {
    const byLead = new Map<number, Json[]>();
    let url: string | undefined = `${sb.baseUrl}/api/v4/events?limit=100&filter[type]=lead_status_changed&order[created_at]=asc`;
    while (url) {
      const r = await get(sb, url);
      for (const e of embedded(r.body, 'events')) byLead.set(e.entity_id as number, [...(byLead.get(e.entity_id as number) ?? []), e]);
      url = nextHref(r.body);
    }
    expect(byLead.size).toBeGreaterThan(300);
    for (const [id, events] of byLead) {
      const lead = sb.data.leads.get(id);
      const status = (v: unknown) => ((v as Json[])[0]?.lead_status as { id: number }).id;
      events.slice(1).forEach((e, i) => expect(status(e.value_before)).toBe(status((events[i] as Json).value_after)));
      expect(status((events.at(-1) as Json).value_after)).toBe(lead?.statusId);
    }
    const won = sb.data.leads.rows.filter((l) => l.statusId === 142);
    const lost = sb.data.leads.rows.filter((l) => l.statusId === 143);
    expect(won.length).toBeGreaterThan(50);
    expect(lost.length).toBeGreaterThan(50);
    expect(won.every((l) => l.closedAt !== null)).toBe(true);
  });

  it('validates PATCH /api/v4/leads like the documented validation error and applies good items', async () => {
    const lead = sb.data.leads.rows[3];
    const bad = await send(sb, 'PATCH', '/api/v4/leads', [{ id: lead?.id, custom_fields_values: [{ field_id: 1, values: [{ value: 'x' }] }] }]);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ title: 'Bad Request', status: 400, detail: 'Request validation failed' });
    expect(bad.body['validation-errors']).toEqual([{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'custom_fields_values.0.field_id', detail: 'The value you selected is not a valid choice.' }] }]);
    const active = sb.data.users.rows.find((u) => u.isActive && u.id !== lead?.responsibleUserId);
    const ok = await send(sb, 'PATCH', '/api/v4/leads', [{ id: lead?.id, responsible_user_id: active?.id, custom_fields_values: [{ field_code: 'UTM_SOURCE', values: [{ value: 'svodka' }] }] }]);
    expect(ok.status).toBe(200);
    expect(embedded(ok.body, 'leads')[0]).toMatchObject({ id: lead?.id, request_id: '0' });
    const after = (await get(sb, `/api/v4/leads/${lead?.id}`)).body;
    expect(after.responsible_user_id).toBe(active?.id);
    expect(JSON.stringify(after.custom_fields_values)).toContain('"svodka"');
    const many = Array.from({ length: 251 }, () => ({ id: lead?.id }));
    expect((await send(sb, 'PATCH', '/api/v4/leads', many)).status).toBe(400);
  });

  it('delivers a form-encoded status webhook after updateLead', async () => {
    const received: { type: string; body: string }[] = [];
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ type: req.headers['content-type'] ?? '', body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const destination = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/amo`;
    try {
      const sub = await send(sb, 'POST', '/api/v4/webhooks', { destination, settings: ['status_lead'] });
      expect(sub.status).toBe(201);
      expect(sub.body).toMatchObject({ destination, settings: ['status_lead'], disabled: false });
      const lead = sb.data.leads.rows.find((l) => l.statusId !== 142 && l.statusId !== 143 && !l.isDeleted);
      if (!lead) throw new Error('no open lead');
      const old = lead.statusId;
      const before = lead.updatedAt;
      sb.updateLead(lead.id, { status_id: 142 });
      await sb.settleWebhooks();
      expect(received).toHaveLength(1);
      expect(received[0]?.type).toBe('application/x-www-form-urlencoded');
      expect(received[0]?.body).toContain('leads%5Bstatus%5D%5B0%5D%5Bid%5D=');
      const parsed = qs.parse(received[0]?.body ?? '') as { leads: { status: Json[] }; account: Json };
      expect(parsed.leads.status[0]).toMatchObject({ id: String(lead.id), status_id: '142', old_status_id: String(old), pipeline_id: String(lead.pipelineId) });
      expect(parsed.account).toMatchObject({ id: String(sb.accountId), subdomain: sb.subdomain });
      expect(lead.updatedAt).toBeGreaterThanOrEqual(before);
      const events = embedded((await get(sb, `/api/v4/events?filter[type]=lead_status_changed&filter[entity_id]=${lead.id}&limit=100`)).body, 'events');
      expect(events[0]?.value_after).toEqual([{ lead_status: { id: 142, pipeline_id: lead.pipelineId } }]);
      expect((await send(sb, 'DELETE', '/api/v4/webhooks', { destination })).status).toBe(204);
      sb.updateLead(lead.id, { status_id: 143 });
      await sb.settleWebhooks();
      expect(received).toHaveLength(1);
    } finally {
      await new Promise((r) => hook.close(r));
    }
  });

  it('is deterministic for a seed and anchor', () => {
    const a = generateData(opts(21));
    const b = generateData(opts(21));
    const c = generateData(opts(22));
    expect(JSON.stringify(a.leads.rows)).toBe(JSON.stringify(b.leads.rows));
    expect(a.events.rows.map((e) => e.id)).toEqual(b.events.rows.map((e) => e.id));
    expect(JSON.stringify(a.contacts.rows)).toBe(JSON.stringify(b.contacts.rows));
    expect(JSON.stringify(a.leads.rows)).not.toBe(JSON.stringify(c.leads.rows));
  });
});

function opts(seed: number): DataOptions {
  return { seed, users: 8, inactiveUsers: 2, pipelines: 2, leads: 200, contacts: 100, companies: 30, tasks: 100, notes: 100, events: 0, catalogElements: 20, anchor: ANCHOR };
}

describe('amoCRM sandbox limits', () => {
  it('answers 429 above the rate, then a 403 HTML block after repeated 429s', async () => {
    const sb = await startAmocrmSandbox({ seed: 2, leads: 20, contacts: 10, companies: 5, perSecond: 3, blockAfter429: 5, blockSeconds: 1 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) codes.push((await get(sb, '/api/v4/account')).status);
      expect(codes).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
      const blocked = await get(sb, '/api/v4/leads');
      expect(blocked.status).toBe(403);
      expect(blocked.type).toContain('text/html');
      expect(blocked.text).toMatch(/^<html>/);
      expect(sb.stats()).toMatchObject({ limited: 5, blocked: 1 });
      expect(sb.stats().byPath['GET /api/v4/account']).toBe(8);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await get(sb, '/api/v4/leads')).status).toBe(200);
    } finally {
      await sb.close();
    }
  });

  it('ignores filter[...] when the account has no API filtering', async () => {
    const sb = await startAmocrmSandbox({ seed: 3, leads: 60, contacts: 20, companies: 5, perSecond: 1000, apiFilter: false, anchor: ANCHOR * 1000 });
    try {
      expect((await get(sb, '/api/v4/account?with=is_api_filter_enabled')).body.is_api_filter_enabled).toBe(false);
      const r = await get(sb, `/api/v4/leads?limit=250&filter[updated_at][from]=${ANCHOR - 86_400}`);
      expect(embedded(r.body, 'leads')).toHaveLength(60);
    } finally {
      await sb.close();
    }
  });
});
