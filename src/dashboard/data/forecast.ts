import type { Store } from '../../store/index.js';
import type { ForecastRow } from '../../../plugins/forecast/index.js';
import type { Viewer } from '../viewer.js';
import { latestRun, runInfo, type RunInfo } from './runs.js';

export interface ForecastPage {
  run: RunInfo | null;
  summary: Record<string, unknown> | null;
  stages: ForecastRow[];
  channels: ForecastRow[];
  stageNames: Record<string, string>;
}

/** The company's quarter: admins only (the page is refused to others before this runs). */
export async function forecastPage(store: Store, v: Viewer): Promise<ForecastPage> {
  const run = await latestRun(store, v.account, 'forecast');
  const rows = (run?.results ?? []) as ForecastRow[];
  const stages = rows.filter((r) => r.kind === 'stage');
  const names = await store.db.query<{ id: string; name: string }>(
    'SELECT external_id AS id, name FROM stages WHERE account_id = $1 AND external_id = ANY($2)',
    [v.account, stages.map((s) => s.id)],
  );
  return {
    run: run ? runInfo(run) : null,
    summary: run?.summary ?? null,
    stages,
    channels: rows.filter((r) => r.kind === 'channel'),
    stageNames: Object.fromEntries(names.rows.map((r) => [r.id, r.name])),
  };
}
