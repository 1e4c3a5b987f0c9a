import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { cli } from '../helpers/spawn.js';
import { deal } from '../helpers/fixtures.js';

const fixtures = join(import.meta.dirname, '../fixtures/ads');

describe('svodka import spend and svodka run, on the embedded database', () => {
  const env = { SVODKA_DATA_DIR: mkdtempSync(join(tmpdir(), 'svodka-cli-plugins-')), LOG_LEVEL: 'silent' };

  beforeAll(async () => {
    const store = await Store.open({ dataDir: join(env.SVODKA_DATA_DIR, 'pgdata') });
    await store.accounts.save({ id: 'portal', kind: 'bitrix24', name: 'Portal' });
    await store.forAccount('portal').upsert('deals', [deal('1', { utmSource: 'yandex', createdAt: new Date().toISOString() })]);
    await store.close();
  });

  it('imports a spend report once: the same file again changes nothing; a bad file stores nothing', async () => {
    const first = await cli(['import', 'spend', join(fixtures, 'generic.csv'), '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout) as { account: string; spend: { inserted: number; updated: number; unchanged: number }; files: { format: string; rows: number }[] };
    expect(out.account).toBe('portal');
    expect(out.files[0]?.format).toBe('generic_csv');
    expect(out.spend.inserted).toBe(out.files[0]!.rows);
    const again = JSON.parse((await cli(['import', 'spend', join(fixtures, 'generic.csv'), '--json'], env)).stdout) as typeof out;
    expect(again.spend).toEqual({ inserted: 0, updated: 0, unchanged: out.files[0]!.rows });
    const bad = await cli(['import', 'spend', join(fixtures, 'generic.csv'), join(fixtures, 'FACTS.md'), '--json'], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: expect.stringMatching(/^spend_/), message: expect.stringContaining('FACTS.md') } });
    const rows = JSON.parse((await cli(['export', 'ad_spend', '--format', 'json'], env)).stdout) as unknown[];
    expect(rows).toHaveLength(out.files[0]!.rows);
  }, 60_000);

  it('runs a plugin with --json as {"plugin","account","results","writes"}, and refuses an unknown one', async () => {
    const r = await cli(['run', 'ad-analytics', '--set', 'model=linear', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { plugin: string; account: string; runId: string; results: { kind: string }[]; writes: unknown[]; summary: { model: string } };
    expect(out).toMatchObject({ plugin: 'ad-analytics', account: 'portal', applied: false, summary: { model: 'linear' } });
    expect(out.results.some((x) => x.kind === 'channel')).toBe(true);
    const unknown = await cli(['run', 'magic', '--json'], env);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'plugin_unknown', message: expect.stringContaining('stale-data') } });
    const badSetting = await cli(['run', 'kpi', '--set', 'normalise=median', '--json'], env);
    expect(JSON.parse(badSetting.stdout)).toMatchObject({ error: { code: 'validation_failed' } });
  }, 60_000);
});
