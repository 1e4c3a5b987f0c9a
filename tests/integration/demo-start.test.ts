import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, spawnTs } from '../helpers/spawn.js';

describe('npm start on a fresh clone', () => {
  it('runs the demo with no account and no CA configured, serves the dashboard, and stops cleanly', async () => {
    // No NODE_EXTRA_CA_CERTS: start must re-run itself with the sandbox CA trusted.
    const env = { SVODKA_DATA_DIR: mkdtempSync(join(tmpdir(), 'svodka-start-')), PORT: '0', LOG_LEVEL: 'silent', NODE_EXTRA_CA_CERTS: '' };
    const child = spawnTs('src/cli/main.ts', ['start', '--json'], env);
    const done = collect(child);
    const info = await new Promise<{ url: string; demo: boolean; links: { label: string; url: string }[]; steps: { step: string; seconds: number }[] }>((resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]!));
      });
      child.once('exit', () => reject(new Error('start exited early')));
    });
    expect(info.demo).toBe(true);
    expect(info.steps.at(-1)!.step).toBe('dashboard served');
    expect(info.links.map((l) => l.label)).toEqual(['Bitrix24, admin', 'amoCRM, admin', 'Bitrix24, head of department', 'Bitrix24, manager']);
    const page = await fetch(info.links[0]!.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-page="ads"');
    child.kill('SIGTERM');
    const out = await done;
    expect(out.code, out.stderr).toBe(0);
  }, 180_000);
});
