import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildWidget, images } from '../../manifest/amocrm/build.js';
import { pngSize } from '../../manifest/amocrm/png.js';
import { zipEntry, zipNames } from '../../src/onec/zip.js';

async function read(zip: string, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of (await zipEntry(zip, name))!) chunks.push(c);
  return Buffer.concat(chunks);
}

const lookup = (o: unknown, path: string) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

describe('the amoCRM widget archive (npm run build:widget)', () => {
  it('holds what the marketplace requires, valid and complete in Russian and English', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'svodka-widget-')), 'widget.zip');
    writeFileSync(path, buildWidget());
    const names = await zipNames(path);
    for (const required of ['manifest.json', 'script.js', 'i18n/ru.json', 'i18n/en.json', 'images/logo.png', 'images/logo_main.png', 'images/logo_medium.png', 'images/logo_min.png', 'images/logo_small.png']) {
      expect(names, required).toContain(required);
    }
    const manifestText = (await read(path, 'manifest.json')).toString('utf8');
    expect(manifestText.charCodeAt(0)).not.toBe(0xfeff);
    const manifest = JSON.parse(manifestText) as { widget: Record<string, unknown>; locations: string[]; tour: { tour_images: Record<string, string[]>; tour_description: string }; settings: Record<string, { name: string }> };
    expect(manifest.widget.interface_version).toBe(2);
    expect(manifest.locations).toEqual(expect.arrayContaining(['lcard-1', 'settings']));
    // Every text key the manifest names exists in every locale it declares.
    const keys = ['widget.name', 'widget.description', 'widget.short_description', manifest.tour.tour_description, ...Object.values(manifest.settings).map((s) => s.name)];
    for (const locale of manifest.widget.locale as string[]) {
      const i18n = JSON.parse((await read(path, `i18n/${locale}.json`)).toString('utf8')) as unknown;
      for (const k of ['widget.name', 'widget.description', 'widget.short_description']) expect(lookup(i18n, k), `${locale}: ${k}`).toEqual(expect.any(String));
      for (const k of keys.filter((k) => !k.startsWith('widget.name'))) expect(lookup(i18n, k), `${locale}: ${k}`).toEqual(expect.any(String));
      for (const img of manifest.tour.tour_images[locale] ?? []) expect(names).toContain(img.replace(/^\//, ''));
    }
    // Images: PNGs of the sizes of their slots, each under 300 KB.
    for (const [name, [w, h]] of Object.entries(images)) {
      const png = await read(path, name);
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(pngSize(png)).toEqual({ width: w, height: h });
      expect(png.length).toBeLessThan(300 * 1024);
    }
    // The script compiles.
    const script = (await read(path, 'script.js')).toString('utf8');
    expect(() => new Script(script)).not.toThrow();
  });
});
