import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';
import { entityNames, type EntityName } from '../../model/index.js';
import { ValidationError } from '../../sdk/errors.js';
import { tables } from '../../store/schema.js';
import { cliEnv, openStore, resolveAccount } from '../context.js';
import { csvHeader, csvRows } from '../csv.js';

export const exportOptions = z.object({
  entity: z.enum(entityNames as [EntityName, ...EntityName[]], {
    error: () => `unknown entity; one of: ${entityNames.join(', ')}`,
  }),
  account: z.string().optional(),
  format: z.enum(['csv', 'json']).default('csv'),
  delimiter: z.enum([',', ';']).default(','),
  out: z.string().optional(),
});

const PAGE = 5000;

/** Streams one entity of one account as CSV (Excel-friendly) or a JSON array, a page at a time. */
export async function exportCommand(raw: Record<string, unknown>): Promise<void> {
  const parsed = exportOptions.safeParse(raw);
  if (!parsed.success) throw new ValidationError('export', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const o = parsed.data;
  const { env } = cliEnv();
  const store = await openStore(env);
  try {
    const acc = store.forAccount(await resolveAccount(store, o.account));
    const table = tables[o.entity];
    const out: Writable = o.out ? createWriteStream(o.out) : process.stdout;
    const total = await acc.count(o.entity);
    const bar = o.out && process.stdout.isTTY ? new SingleBar({ stream: process.stderr, format: `${o.entity} {bar} {value}/{total}` }) : undefined;
    bar?.start(total, 0);
    const write = async (s: string) => {
      if (!out.write(s)) await once(out, 'drain');
    };
    await write(o.format === 'csv' ? csvHeader(table, o) : '[');
    let after: string | undefined;
    let n = 0;
    for (;;) {
      const page = await acc.list(o.entity, { ...(after === undefined ? {} : { after }), limit: PAGE });
      if (!page.length) break;
      if (o.format === 'csv') await write(csvRows(table, page, o));
      else await write(page.map((r, i) => `${n + i ? ',' : ''}\n${JSON.stringify(r)}`).join(''));
      n += page.length;
      bar?.update(n);
      after = page[page.length - 1]!.externalId;
      if (page.length < PAGE) break;
    }
    if (o.format === 'json') await write('\n]\n');
    bar?.stop();
    if (o.out) {
      out.end();
      await once(out, 'finish');
      process.stderr.write(`${n} ${o.entity} written to ${o.out}\n`);
    }
  } finally {
    await store.close();
  }
}
