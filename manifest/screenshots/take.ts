/**
 * The README's screenshots: `npm run screenshots` starts the demo (as `npm start` does), signs in as the
 * Bitrix24 admin and photographs each dashboard page in Debian's Chromium. The marketplace listings use
 * the same pictures.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { loadEnv } from '../../src/config/env.js';
import { withSandboxCa } from '../../src/demo/reexec.js';
import { startDemo } from '../../src/demo/index.js';
import { createLogger } from '../../src/log/logger.js';

// The sandboxes' CA must be trusted from the start: this re-runs itself with it when it is not.
const code = await withSandboxCa();
if (code !== undefined) process.exit(code);

const here = dirname(fileURLToPath(import.meta.url));
const env = loadEnv({ SVODKA_DATA_DIR: mkdtempSync(join(tmpdir(), 'svodka-shots-')), PORT: '0', LOG_LEVEL: 'silent' });
const demo = await startDemo(env, createLogger('silent'));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(demo.links.find((l) => l.label === 'Bitrix24, admin')!.url);
  const s = new URL(page.url()).searchParams.get('s')!;
  for (const p of ['ads', 'managers', 'stale', 'forecast', 'onec', 'sync']) {
    await page.goto(`${demo.url}/app/${p}?s=${s}`);
    if (p === 'ads') await page.locator('#funnel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(here, `${p}.jpg`), type: 'jpeg', quality: 80 });
  }
} finally {
  await browser.close();
  await demo.close();
}
