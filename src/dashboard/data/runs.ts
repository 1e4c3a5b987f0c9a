import type { Store } from '../../store/index.js';
import type { PluginRun } from '../../store/plugin-runs.js';

/** The facts about a run every page shows: which run, when. */
export interface RunInfo {
  id: string;
  finishedAt: string;
  appliedAt: string | null;
  undoneAt: string | null;
}

export const runInfo = (r: Pick<PluginRun, keyof RunInfo>): RunInfo => ({ id: r.id, finishedAt: r.finishedAt, appliedAt: r.appliedAt, undoneAt: r.undoneAt });

export function latestRun(store: Store, account: string, plugin: string): Promise<PluginRun | undefined> {
  return store.forAccount(account).pluginRuns.latest(plugin);
}

/** Display names of the account's users, by external id. */
export async function userNames(store: Store, account: string): Promise<Map<string, string>> {
  const r = await store.db.query<{ id: string; name: string }>('SELECT external_id AS id, name FROM users WHERE account_id = $1', [account]);
  return new Map(r.rows.map((u) => [u.id, u.name]));
}
