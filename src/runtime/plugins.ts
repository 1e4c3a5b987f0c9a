import { plannedWrite, type PlannedWrite } from '../sdk/intent.js';
import type { PluginDef } from '../sdk/plugin.js';
import { StoreError, SvodkaError, ValidationError } from '../sdk/errors.js';
import type { PluginRun } from '../store/index.js';
import type { JobDeps } from './jobs.js';
import { dispatchOutbox, type DispatchCounts } from './outbox.js';

export interface RunOptions {
  /** The instant the run counts from (tests pin it). */
  now?: Date;
  /** Settings for this run only, over the account's saved ones. */
  config?: Record<string, unknown>;
}

export interface RunOutcome {
  run: PluginRun;
  /** What the outbox sent when applied in this process. */
  sent?: DispatchCounts;
}

export function pluginFor(deps: Pick<JobDeps, 'units'>, id: string): PluginDef {
  const plugin = deps.units.plugins.find((p) => p.id === id);
  if (!plugin) {
    throw new SvodkaError('plugin_unknown', `no plugin ${id}; known: ${deps.units.plugins.map((p) => p.id).join(', ') || 'none'}`);
  }
  return plugin;
}

/**
 * Runs a plugin over one account, as a dry run: reads through the scoped SQL reader, checks what it
 * returns and records the run with its planned writes. `applyRun` sends them.
 */
export async function runPlugin(
  deps: Pick<JobDeps, 'store' | 'units' | 'log'>,
  pluginId: string,
  account: string,
  o: RunOptions = {},
): Promise<PluginRun> {
  const plugin = pluginFor(deps, pluginId);
  const acc = await deps.store.accounts.get(account);
  if (!acc) throw new StoreError('account_unknown', `account ${account} does not exist`);
  const saved = (acc.settings.plugins as Record<string, unknown> | undefined)?.[plugin.id];
  const parsed = plugin.config.safeParse({ ...(saved as object | undefined), ...o.config });
  if (!parsed.success) {
    throw new ValidationError(`${plugin.id}: invalid settings`, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const store = deps.store.forAccount(account);
  const now = o.now ?? new Date();
  const startedAt = new Date().toISOString();
  const log = deps.log.child({ account, plugin: plugin.id });
  const out = await store.readScoped(plugin.reads, (sql) =>
    plugin.run({
      account,
      host: acc.kind,
      config: parsed.data,
      now,
      log,
      read: { list: (entity, options) => sql.list(entity, options), sql: (text, params) => sql.query(text, params) },
    }),
  );
  const writes = checkWrites(plugin, out.writes);
  const run = await store.pluginRuns.save({
    plugin: plugin.id,
    startedAt,
    finishedAt: new Date().toISOString(),
    summary: out.summary ?? {},
    results: out.results,
    writes,
  });
  log.info({ run: run.id, results: out.results.length, writes: writes.length }, 'plugin run recorded');
  return run;
}

function checkWrites(plugin: PluginDef, writes: readonly PlannedWrite[]): PlannedWrite[] {
  const kinds = new Set(plugin.writes.map((w) => w.kind));
  const keys = new Set<string>();
  const issues: string[] = [];
  const out = writes.map((w, i) => {
    const r = plannedWrite.safeParse(w);
    if (!r.success) issues.push(`#${i}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    else if (!kinds.has(r.data.kind)) issues.push(`#${i}: kind ${r.data.kind} is not declared in writes`);
    else if (keys.has(r.data.key)) issues.push(`#${i}: key ${r.data.key} twice`);
    keys.add(w.key);
    return r.data as PlannedWrite;
  });
  if (issues.length) throw new ValidationError(`${plugin.id}: invalid write intents, nothing recorded`, issues.slice(0, 20));
  return out;
}

async function recorded(deps: Pick<JobDeps, 'store'>, account: string, runId: string) {
  const store = deps.store.forAccount(account);
  const run = await store.pluginRuns.get(runId);
  if (!run) throw new SvodkaError('run_unknown', `no plugin run ${runId} in account ${account}`);
  return { store, run };
}

/** Hands a recorded run's writes to the outbox, once; a worker (or applyRun) sends them. */
export async function stageApply(deps: Pick<JobDeps, 'store'>, account: string, runId: string): Promise<PluginRun> {
  const { store, run } = await recorded(deps, account, runId);
  await store.markRun(runId, 'applied', run.writes.map(({ undo: _undo, ...w }) => w));
  return (await store.pluginRuns.get(runId)) ?? run;
}

/** Hands a recorded run's writes to the outbox (once) and sends them now. */
export async function applyRun(deps: JobDeps, account: string, runId: string, signal?: AbortSignal): Promise<RunOutcome> {
  await stageApply(deps, account, runId);
  const sent = await dispatchOutbox(deps, account, signal ?? new AbortController().signal);
  return { run: (await deps.store.forAccount(account).pluginRuns.get(runId))!, sent };
}

/**
 * Takes an applied run back: each write that has an undo (a reassignment's previous owner) is reversed
 * through the outbox, once. Writes without one (a task, a comment) stay: the note says so.
 */
export async function undoRun(deps: JobDeps, account: string, runId: string, signal?: AbortSignal): Promise<RunOutcome & { reversed: number }> {
  const { reversed } = await stageUndo(deps, account, runId);
  const sent = await dispatchOutbox(deps, account, signal ?? new AbortController().signal);
  return { run: (await deps.store.forAccount(account).pluginRuns.get(runId))!, sent, reversed };
}

/** The undo writes of an applied run into the outbox, once (keys `undo:<run>:<key>`). */
export async function stageUndo(deps: Pick<JobDeps, 'store'>, account: string, runId: string): Promise<{ run: PluginRun; reversed: number }> {
  const { store, run } = await recorded(deps, account, runId);
  if (!run.appliedAt) throw new SvodkaError('run_not_applied', `plugin run ${runId} was never applied: nothing to undo`);
  const reverse = run.writes.flatMap((w) => (w.undo ? [{ key: `undo:${runId}:${w.key}`, adapter: w.adapter, ...w.undo }] : []));
  await store.markRun(runId, 'undone', reverse);
  return { run: (await store.pluginRuns.get(runId)) ?? run, reversed: reverse.length };
}
