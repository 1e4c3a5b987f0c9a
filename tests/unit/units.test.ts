import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapters } from '../../adapters/index.js';
import { plugins } from '../../plugins/index.js';
import { root } from '../helpers/spawn.js';

const folders = (dir: string) => readdirSync(join(root, dir)).filter((f) => statSync(join(root, dir, f)).isDirectory());

describe('unit registries', () => {
  it('lists every adapter folder in adapters/index.ts, and nothing else', () => {
    expect(adapters.map((a) => a.id).sort()).toEqual(folders('adapters').sort());
  });

  it('lists every plugin folder in plugins/index.ts, and nothing else', () => {
    expect(plugins.map((p) => p.id).sort()).toEqual(folders('plugins').sort());
  });
});
