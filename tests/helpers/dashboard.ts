import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../../src/config/env.js';
import { startDemo, type Demo } from '../../src/demo/index.js';
import { createLogger } from '../../src/log/logger.js';

/** The `npm start` demo, in this process, on a free port and a fresh data directory. */
export function openDemo(): Promise<Demo> {
  const env = loadEnv({ SVODKA_DATA_DIR: mkdtempSync(join(tmpdir(), 'svodka-dash-')), PORT: '0', LOG_LEVEL: 'silent' });
  return startDemo(env, createLogger('silent'));
}

/** Follows a sign-in link: the session token the dashboard redirects to. */
export async function signIn(link: string): Promise<string> {
  const r = await fetch(link, { redirect: 'manual' });
  if (r.status !== 303) throw new Error(`sign-in answered ${r.status}`);
  const to = new URL(r.headers.get('location')!, link);
  return to.searchParams.get('s')!;
}

export const linkOf = (demo: Demo, label: string): string => {
  const l = demo.links.find((x) => x.label === label);
  if (!l) throw new Error(`the demo printed no "${label}" link: ${demo.links.map((x) => x.label).join(', ')}`);
  return l.url;
};

export async function api<T>(demo: Demo, page: string, s: string, query = ''): Promise<{ status: number; body: T }> {
  const r = await fetch(`${demo.url}/app/api/${page}?s=${encodeURIComponent(s)}${query}`);
  return { status: r.status, body: (await r.json()) as T };
}
