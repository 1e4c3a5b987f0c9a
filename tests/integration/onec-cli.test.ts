import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/spawn.js';
import { storedZip } from '../helpers/zip.js';

const fx = (name: string) => `tests/fixtures/onec/${name}`;

describe('svodka 1c, as a user runs it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svodka-1c-cli-'));
  const env = { SVODKA_DATA_DIR: dir, LOG_LEVEL: 'silent' };

  it('imports files into a local 1C account created on the spot, in the order they refer to each other', async () => {
    const r = await cli(['1c', 'import', fx('offers0_1.xml'), fx('import_cp1251.xml'), '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { files: Record<string, unknown>[] };
    expect(out.files.map((f) => f.file)).toEqual([fx('import_cp1251.xml'), fx('offers0_1.xml')]);
    expect(Object.keys(out.files[0]!)).toEqual(['file', 'schemaVersion', 'onlyChanges', 'products', 'offers', 'priceTypes', 'warehouses', 'prices', 'stockRows']);
    expect(out.files[1]).toMatchObject({ schemaVersion: '2.08', onlyChanges: true, offers: 4, priceTypes: 2, warehouses: 2, prices: 3, stockRows: 3 });
    const accounts = JSON.parse((await cli(['accounts', '--json'], env)).stdout) as { id: string; kind: string }[];
    expect(accounts).toEqual([expect.objectContaining({ id: 'onec-local', kind: 'onec' })]);
  });

  it('imports a zip archive', async () => {
    const zip = join(dir, 'exchange.zip');
    writeFileSync(zip, storedZip([{ name: 'import___3a1b2c3d.xml', data: readFileSync(fx('import___3a1b2c3d.xml')) }, { name: 'prices___4b5c6d7e.xml', data: readFileSync(fx('prices___4b5c6d7e.xml')) }]));
    const r = await cli(['1c', 'import', zip, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { files: { prices: number }[] }).files.map((f) => f.prices)).toEqual([0, 3]);
  });

  it('exits non-zero on a malformed file with the reason, applying nothing of it', async () => {
    const r = await cli(['1c', 'import', fx('broken-two-declarations.xml'), '--json'], env);
    expect(r.code).toBe(1);
    const e = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(e.error.code).toBe('validation_failed');
    expect(e.error.message).toMatch(/broken-two-declarations\.xml: .*строка \d+ \/ line \d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints what to type into 1C', async () => {
    const r = await cli(['1c', 'credentials', '--json'], { ...env, SVODKA_PUBLIC_URL: 'https://svodka.example.ru' });
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout) as { url: string; login: string; password: string };
    expect(c).toMatchObject({ url: 'https://svodka.example.ru/webhooks/onec/onec-local/exchange', login: 'onec' });
    expect(c.password.length).toBeGreaterThanOrEqual(16);
  });
});
