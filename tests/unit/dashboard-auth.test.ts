import { describe, expect, it } from 'vitest';
import { signAmoToken, verifyAmoToken } from '../../src/dashboard/jwt.js';
import { decimal, kopecks, ratio } from '../../src/dashboard/money.js';
import { html } from '../../src/dashboard/html/html.js';
import { money } from '../../src/dashboard/html/format.js';
import { openSession, signSession, type Session } from '../../src/dashboard/session.js';
import { Sealer } from '../../src/store/sealer.js';
import { loggedUrl } from '../../src/http/app.js';

const sealer = Sealer.fromSecret('a secret of sixteen+ characters');
const mac = (p: string, d: string) => sealer.mac(p, d);
const session: Session = { account: 'b24-x', user: '7', role: 'manager', lang: 'ru', exp: Math.floor(Date.now() / 1000) + 60 };

describe('dashboard sessions', () => {
  it('opens what it signed, and nothing forged, expired, edited or signed for another purpose or key', () => {
    const token = signSession(mac, session);
    expect(openSession(mac, token)).toEqual(session);
    expect(openSession(mac, token, Date.now() + 61_000)).toBeUndefined();
    const [payload, sig] = token.split('.') as [string, string];
    const admin = Buffer.from(JSON.stringify({ ...session, role: 'admin' })).toString('base64url');
    expect(openSession(mac, `${admin}.${sig}`)).toBeUndefined();
    expect(openSession(mac, `${payload}.${sig}x`)).toBeUndefined();
    expect(openSession(mac, `${payload}.${sig}.more`)).toBeUndefined();
    expect(openSession(mac, token, Date.now(), 'dashboard-link')).toBeUndefined();
    const other = Sealer.fromSecret('another secret, sixteen+');
    expect(openSession((p, d) => other.mac(p, d), token)).toBeUndefined();
    expect(openSession(mac, undefined)).toBeUndefined();
    expect(openSession(mac, 'x'.repeat(5000))).toBeUndefined();
  });
});

describe('amoCRM one-time tokens', () => {
  const claims = { iss: 'https://example.amocrm.ru', exp: Math.floor(Date.now() / 1000) + 60, account_id: 31, user_id: 5 };
  it('verifies HS256 with the integration secret', () => {
    expect(verifyAmoToken(signAmoToken(claims, 's3cret'), 's3cret')).toMatchObject({ account_id: 31, user_id: 5 });
    expect(verifyAmoToken(signAmoToken(claims, 's3cret'), 'other')).toBeUndefined();
    expect(verifyAmoToken(signAmoToken({ ...claims, exp: 1000 }, 's3cret'), 's3cret')).toBeUndefined();
    expect(verifyAmoToken(signAmoToken({ ...claims, nbf: claims.exp + 3600 }, 's3cret'), 's3cret')).toBeUndefined();
  });
  it('refuses alg "none" and malformed tokens before any signature check', () => {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${body}.`;
    expect(verifyAmoToken(none, 's3cret')).toBeUndefined();
    expect(verifyAmoToken('a.b', 's3cret')).toBeUndefined();
    expect(verifyAmoToken('!!.??.**', 's3cret')).toBeUndefined();
  });
});

describe('dashboard money and markup', () => {
  it('keeps money exact in kopecks and formats it the Russian way', () => {
    expect(kopecks('1234567.89')).toBe(123456789n);
    expect(kopecks('-0.005')).toBe(-1n);
    expect(kopecks('0.004')).toBe(0n);
    expect(decimal(kopecks('0.1') + kopecks('0.2'))).toBe('0.30');
    expect(() => kopecks('1e3')).toThrow(/not a decimal/);
    expect(ratio(150n, 100n)).toBe(1.5);
    expect(ratio(1n, 0n)).toBeNull();
    expect(money('1234567.89', 'ru')).toBe('1\u00a0234\u00a0567,89\u00a0₽');
    expect(money('99999999999999999.99', 'ru')).toContain('99\u00a0999\u00a0999\u00a0999\u00a0999\u00a0999,99');
  });
  it('escapes every interpolated value once', () => {
    const name = '<script>alert("x")</script> & co';
    expect(html`<td>${name}</td>`.text).toBe('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</td>');
    expect(html`<p>${html`<b>${'<i>'}</b>`}</p>`.text).toBe('<p><b>&lt;i&gt;</b></p>');
  });
});

describe('request logs', () => {
  it('keep the path, and drop sessions, sign-in links and webhook secrets', () => {
    expect(loggedUrl('/app/stale?s=eyJhY2NvdW50Ijo.abc&lang=en')).toBe('/app/stale');
    expect(loggedUrl('/app/signin?t=secret')).toBe('/app/signin');
    expect(loggedUrl('/webhooks/amocrm/amo-1/0123456789abcdef0123456789abcdef01')).toBe('/webhooks/amocrm/amo-1/***');
    expect(loggedUrl('/webhooks/bitrix24/events/b24-portal.example.ru')).toBe('/webhooks/bitrix24/events/b24-portal.example.ru');
  });
});
