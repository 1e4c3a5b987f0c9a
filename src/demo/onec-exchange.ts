import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Plays 1C's side of the "exchange with site" protocol against this server, as 1C:Enterprise does:
 * checkauth with the login and password, init, each file uploaded, then mode=import polled until the
 * file is applied, and complete. Throws with 1C's view of the failure.
 */
export async function exchangeAs1C(base: string, login: string, password: string, files: Record<string, string>): Promise<void> {
  const auth = `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
  const call = async (q: string, init: RequestInit = {}) => {
    const r = await fetch(`${base}?type=catalog&${q}`, init);
    return (await r.text()).split('\n');
  };
  const [ok, cookieName, cookieValue] = await call('mode=checkauth', { headers: { authorization: auth } });
  if (ok !== 'success') throw new Error(`1C checkauth refused: ${cookieName ?? ''}`);
  const headers = { cookie: `${cookieName}=${cookieValue}` };
  await call('mode=init', { headers });
  for (const [name, text] of Object.entries(files)) {
    const up = await call(`mode=file&filename=${encodeURIComponent(name)}`, { method: 'POST', headers, body: Buffer.from(text, 'utf8') });
    if (up[0] !== 'success') throw new Error(`1C upload of ${name} refused: ${up[1] ?? ''}`);
  }
  for (const name of Object.keys(files)) {
    for (let i = 0; ; i++) {
      const st = await call(`mode=import&filename=${encodeURIComponent(name)}`, { headers });
      if (st[0] === 'success') break;
      if (st[0] !== 'progress' || i > 600) throw new Error(`1C import of ${name}: ${st.join(' ')}`);
      await sleep(100);
    }
  }
  await call('mode=complete', { headers });
}
