import { SingleBar } from 'cli-progress';
import type { EntityName } from '../../model/index.js';
import { adapterFor, runSync } from '../../runtime/jobs.js';
import { openRuntime } from '../../runtime/runtime.js';
import { cliEnv, resolveAccount } from '../context.js';
import { emit } from '../output.js';

export interface SyncOptions {
  account?: string;
  full?: boolean;
}

/** `svodka sync`: one sync now, in this process; `--full` forgets the cursors and reads everything again. */
export async function syncCommand(o: SyncOptions, json: boolean): Promise<void> {
  const { env, log } = cliEnv();
  const rt = await openRuntime(env, { log });
  try {
    const account = await resolveAccount(rt.store, o.account);
    const acc = await rt.store.accounts.get(account);
    if (o.full && acc) await rt.store.forAccount(account).resetCursor(adapterFor(rt.units, acc.kind).id);
    const bar = !json && process.stderr.isTTY ? new SingleBar({ format: '{entity} {value} records', stream: process.stderr }) : undefined;
    bar?.start(0, 0, { entity: '' });
    const t0 = performance.now();
    const r = await runSync(rt, { account }, rt.signal, (entity, c) => bar?.update(c.inserted + c.updated + c.unchanged, { entity }));
    bar?.stop();
    const seconds = Math.round((performance.now() - t0) / 10) / 100;
    const counts = Object.fromEntries(
      Object.entries(r.entities).map(([e, c]) => [e, c.inserted + c.updated + c.unchanged]),
    ) as Partial<Record<EntityName, number>>;
    const out = { account, counts, requests: r.requests, seconds };
    emit(json, out, () =>
      [
        `synced ${account} in ${seconds} s with ${r.requests} requests`,
        ...Object.entries(r.entities).map(
          ([e, c]) => `  ${e.padEnd(14)} ${String(c.inserted + c.updated + c.unchanged).padStart(8)}  (new ${c.inserted}, changed ${c.updated}, deleted ${c.deleted})`,
        ),
      ].join('\n'),
    );
  } finally {
    await rt.close();
  }
}
