import { applyRun, runPlugin, undoRun } from '../../runtime/plugins.js';
import { openRuntime } from '../../runtime/runtime.js';
import { cliEnv, resolveAccount } from '../context.js';
import { emit } from '../output.js';

export interface RunCommandOptions {
  account?: string;
  apply?: boolean;
  /** --set key=value, repeated: settings for this run over the account's saved ones (values are JSON or text). */
  set?: string[];
}

function settings(pairs: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at) : '';
    const raw = pair.slice(at + 1);
    if (!key) throw new Error(`--set takes key=value, not ${JSON.stringify(pair)}`);
    try {
      out[key] = JSON.parse(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

/** `svodka run PLUGIN`: a dry run that shows results and planned writes; `--apply` sends the writes. */
export async function runCommand(pluginId: string, o: RunCommandOptions, json: boolean): Promise<void> {
  const { env, log } = cliEnv();
  const rt = await openRuntime(env, { log });
  try {
    const account = await resolveAccount(rt.store, o.account);
    const config = settings(o.set);
    const dry = await runPlugin(rt, pluginId, account, Object.keys(config).length ? { config } : {});
    const { run, sent } = o.apply ? await applyRun(rt, account, dry.id, rt.signal) : { run: dry, sent: undefined };
    const out = { plugin: pluginId, account, runId: run.id, applied: Boolean(o.apply), summary: run.summary, results: run.results, writes: run.writes, ...(sent ? { sent } : {}) };
    emit(json, out, () =>
      [
        `${pluginId} on ${account}: ${run.results.length} result(s), ${run.writes.length} planned write(s); run ${run.id}`,
        ...run.results.slice(0, 20).map((r) => `  ${JSON.stringify(r)}`),
        run.results.length > 20 ? `  ... and ${run.results.length - 20} more (--json prints all)` : '',
        o.apply
          ? `applied: sent ${sent?.sent ?? 0}, failed ${sent?.failed ?? 0}, deferred ${sent?.deferred ?? 0}; \`svodka undo ${run.id}\` takes it back`
          : 'dry run: nothing was written; --apply sends the writes',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  } finally {
    await rt.close();
  }
}

/** `svodka undo RUN_ID`: reverses an applied run's reassignments and field changes. */
export async function undoCommand(runId: string, o: { account?: string }, json: boolean): Promise<void> {
  const { env, log } = cliEnv();
  const rt = await openRuntime(env, { log });
  try {
    const account = await resolveAccount(rt.store, o.account);
    const r = await undoRun(rt, account, runId, rt.signal);
    emit(json, { account, runId, reversed: r.reversed, sent: r.sent }, () =>
      `undo of ${runId}: ${r.reversed} write(s) reversed; sent ${r.sent?.sent ?? 0}, failed ${r.sent?.failed ?? 0}, deferred ${r.sent?.deferred ?? 0}`,
    );
  } finally {
    await rt.close();
  }
}
