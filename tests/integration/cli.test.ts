import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { deal } from '../helpers/fixtures.js';
import { cli, collect, spawnTs } from '../helpers/spawn.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'svodka-cli-'));

describe('svodka CLI: bad environment', () => {
  it('exits 2 naming the invalid variable', async () => {
    const r = await cli(['accounts'], { PORT: 'eighty', SVODKA_DATA_DIR: dataDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('svodka: invalid environment: PORT');
  });

  it('says clearly that Postgres is unreachable, without a stack dump', async () => {
    const r = await cli(['accounts', '--json'], { DATABASE_URL: 'postgres://svodka:pw-42@127.0.0.1:1/svodka' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^svodka: cannot connect to Postgres at postgres:\/\/svodka:\*\*\*@127\.0\.0\.1:1\/svodka/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr + r.stdout).not.toContain('pw-42');
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'db_unreachable' } });
  });

  it('says clearly that Redis is unreachable', async () => {
    const r = await cli(['worker'], { SVODKA_DATA_DIR: dataDir(), REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^svodka: cannot connect to Redis at 127\.0\.0\.1:1 \(job queue\)/);
  });
});

describe('svodka CLI on the embedded database', () => {
  const dir = dataDir();
  const env = { SVODKA_DATA_DIR: dir, LOG_LEVEL: 'silent' };

  beforeAll(async () => {
    const store = await Store.open({ dataDir: join(dir, 'pgdata') });
    await store.accounts.save({ id: 'b24-demo', kind: 'bitrix24', name: 'Демо-портал', settings: { domain: 'demo.bitrix24.ru' } });
    await store.forAccount('b24-demo').upsert('deals', [
      deal('1', { title: 'Поставка "Ромашка"; срочно', amount: '1234567.89', tags: ['vip', 'опт'] }),
      deal('2', { title: '=HYPERLINK("http://x")', amount: '-5.5' }),
    ]);
    await store.close();
  });

  it('lists accounts as JSON', async () => {
    const r = await cli(['accounts', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ id: 'b24-demo', kind: 'bitrix24', name: 'Демо-портал', status: 'active' }),
    ]);
  });

  it('exports CSV that Excel opens: BOM, CRLF, quoting, ";" with decimal commas, no formula injection', async () => {
    const r = await cli(['export', 'deals', '--delimiter', ';'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('\uFEFFexternalId;title;pipelineId;')).toBe(true);
    const lines = r.stdout.slice(1).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('"Поставка ""Ромашка""; срочно"');
    expect(lines[1]).toContain(';1234567,89;RUB;');
    expect(lines[1]).toContain('"vip, опт"');
    expect(lines[2]).toContain(`'=HYPERLINK`);
    expect(lines[2]).toContain(';-5,5;');
  });

  it('exports a JSON array of model records, to a file', async () => {
    const out = join(dir, 'deals.json');
    const r = await cli(['export', 'deals', '--format', 'json', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(readFileSync(out, 'utf8')) as { externalId: string; amount: string }[];
    expect(rows.map((d) => [d.externalId, d.amount])).toEqual([
      ['1', '1234567.89'],
      ['2', '-5.5'],
    ]);
  });

  it('refuses an unknown entity, listing the known ones', async () => {
    const r = await cli(['export', 'orders', '--json'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown entity; one of: users, departments/);
  });

  it('boots with `start`, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const child = spawnTs('src/cli/main.ts', ['start', '--json'], { ...env, PORT: '0', SVODKA_DEMO: '0' });
    const done = collect(child);
    const info = await new Promise<{ url: string; database: string; queue: string }>((resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]!));
      });
      child.once('exit', () => reject(new Error('start exited early')));
    });
    expect(info).toMatchObject({ database: 'pglite', queue: 'memory' });
    expect(await (await fetch(`${info.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${info.url}/readyz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });
});
