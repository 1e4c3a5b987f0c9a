import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { storedZip } from '../../src/zip-write.js';
import { logoPng } from './png.js';

const here = fileURLToPath(new URL('./widget/', import.meta.url));

/** Image slots of the archive and their sizes (logo_main and logo_small are the documented ones). */
export const images: Record<string, [number, number]> = {
  'images/logo_main.png': [400, 272],
  'images/logo.png': [130, 100],
  'images/logo_small.png': [108, 108],
  'images/logo_min.png': [84, 84],
  'images/logo_medium.png': [240, 84],
  'images/tour_1_ru.png': [1188, 616],
  'images/tour_1_en.png': [1188, 616],
};

/** The uploadable widget archive: manifest.json, script.js, i18n/*.json and the images, in one zip. */
export function buildWidget(): Buffer {
  const files = [
    { name: 'manifest.json', data: readFileSync(`${here}manifest.json`) },
    { name: 'script.js', data: readFileSync(`${here}script.js`) },
    ...readdirSync(`${here}i18n`).map((f) => ({ name: `i18n/${f}`, data: readFileSync(`${here}i18n/${f}`) })),
    ...Object.entries(images).map(([name, [w, h]]) => ({ name, data: logoPng(w, h) })),
  ];
  return storedZip(files);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL('../../dist/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}amocrm-widget.zip`, buildWidget());
  process.stdout.write(`${out}amocrm-widget.zip\n`);
}
