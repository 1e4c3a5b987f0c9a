import { randomBytes } from 'node:crypto';
import type { Sql } from './db.js';

export interface PluginRun {
  id: string;
  plugin: string;
  startedAt: string;
  finishedAt: string;
  summary: Record<string, unknown>;
  results: unknown[];
  writes: { key: string; adapter: string; kind: string; payload: Record<string, unknown>; undo?: { kind: string; payload: Record<string, unknown> } }[];
  appliedAt: string | null;
  undoneAt: string | null;
}

type Row = {
  id: string;
  plugin: string;
  started_at: Date | string;
  finished_at: Date | string;
  summary: Record<string, unknown>;
  results: unknown[];
  writes: PluginRun['writes'];
  applied_at: Date | string | null;
  undone_at: Date | string | null;
};

const iso = (v: Date | string) => new Date(v).toISOString();
const run = (r: Row): PluginRun => ({
  id: r.id,
  plugin: r.plugin,
  startedAt: iso(r.started_at),
  finishedAt: iso(r.finished_at),
  summary: r.summary,
  results: r.results,
  writes: r.writes,
  appliedAt: r.applied_at === null ? null : iso(r.applied_at),
  undoneAt: r.undone_at === null ? null : iso(r.undone_at),
});

/** One account's plugin runs: kept so that the dashboard shows the latest and an applied run can be undone. */
export class PluginRuns {
  constructor(
    private readonly db: Sql,
    private readonly account: string,
  ) {}

  async save(r: Omit<PluginRun, 'id' | 'appliedAt' | 'undoneAt'>): Promise<PluginRun> {
    const id = `${r.plugin}-${r.startedAt.replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
    await this.db.query(
      `INSERT INTO plugin_runs (id, account_id, plugin, started_at, finished_at, summary, results, writes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, this.account, r.plugin, r.startedAt, r.finishedAt, JSON.stringify(r.summary), JSON.stringify(r.results), JSON.stringify(r.writes)],
    );
    return { ...r, id, appliedAt: null, undoneAt: null };
  }

  async get(id: string): Promise<PluginRun | undefined> {
    const r = await this.db.query<Row>('SELECT * FROM plugin_runs WHERE account_id = $1 AND id = $2', [this.account, id]);
    return r.rows[0] && run(r.rows[0]);
  }

  async latest(plugin: string): Promise<PluginRun | undefined> {
    const r = await this.db.query<Row>(
      'SELECT * FROM plugin_runs WHERE account_id = $1 AND plugin = $2 ORDER BY started_at DESC, id DESC LIMIT 1',
      [this.account, plugin],
    );
    return r.rows[0] && run(r.rows[0]);
  }

  /** The latest run's identity and state only: its results may be tens of megabytes. */
  async latestMeta(plugin: string): Promise<Pick<PluginRun, 'id' | 'plugin' | 'startedAt' | 'finishedAt' | 'appliedAt' | 'undoneAt'> | undefined> {
    const r = await this.db.query<Omit<Row, 'summary' | 'results' | 'writes'>>(
      `SELECT id, plugin, started_at, finished_at, applied_at, undone_at FROM plugin_runs
        WHERE account_id = $1 AND plugin = $2 ORDER BY started_at DESC, id DESC LIMIT 1`,
      [this.account, plugin],
    );
    const row = r.rows[0];
    return row && { id: row.id, plugin: row.plugin, startedAt: iso(row.started_at), finishedAt: iso(row.finished_at), appliedAt: row.applied_at === null ? null : iso(row.applied_at), undoneAt: row.undone_at === null ? null : iso(row.undone_at) };
  }

  /** Marks a run applied (or undone); false when it already was. */
  async mark(id: string, what: 'applied' | 'undone'): Promise<boolean> {
    const column = what === 'applied' ? 'applied_at' : 'undone_at';
    const r = await this.db.query(
      `UPDATE plugin_runs SET ${column} = now() WHERE account_id = $1 AND id = $2 AND ${column} IS NULL`,
      [this.account, id],
    );
    return r.rowCount === 1;
  }
}
