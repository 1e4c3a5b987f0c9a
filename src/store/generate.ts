import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSchemaSql } from './schema.js';

/** `tsx src/store/generate.ts` writes the schema; `--check` exits 1 when the committed file is stale. */
const target = fileURLToPath(new URL('./schema.generated.sql', import.meta.url));
const fresh = generateSchemaSql();
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  current = '';
}
if (process.argv.includes('--check')) {
  if (current !== fresh) {
    process.stderr.write('src/store/schema.generated.sql is stale: run `npm run generate` and commit it.\n');
    process.exit(1);
  }
  process.stderr.write('schema.generated.sql is up to date\n');
} else if (current !== fresh) {
  writeFileSync(target, fresh);
  process.stderr.write(`wrote ${target}\n`);
}
