import { accountId, type EntityName, type ModelInput, type ModelRecord } from '../model/index.js';
import { StoreError } from '../sdk/errors.js';
import { Accounts } from './accounts.js';
import { openDb, type Db, type DbConfig, type Sql } from './db.js';
import { Inbox } from './inbox.js';
import { migrate } from './migrate.js';
import { Outbox } from './outbox.js';
import { OnecExchange } from './onec-exchange.js';
import { Findings } from './findings.js';
import { PluginRuns } from './plugin-runs.js';
import { readScoped, type ScopedSql } from './scoped.js';
import { Sealer } from './sealer.js';
import { Secrets } from './secrets.js';
import type { Versioned } from '../sdk/secrets.js';
import { fromRow, markDeleted, upsertInputs, type Input, type UpsertCounts } from './records.js';
import { tables } from './schema.js';
import { Statistics } from './statistics.js';

export type Cursor = Record<string, unknown>;

export interface Page<E extends EntityName> {
  adapter: string;
  entity: E;
  records: readonly ModelInput<E>[];
  /** Ids the source reported deleted. */
  deleted?: readonly string[];
  /** Where the next pull starts; saved with the page, in the same transaction. */
  cursor: Cursor | null;
}

/** Where the store lives, and the key that seals secrets (see Sealer); in memory without one. */
export type StoreConfig = DbConfig & { sealer?: Sealer };

/** Writes inside one `AccountStore.together` transaction. */
export interface Writer {
  upsert<E extends EntityName>(entity: E, records: readonly ModelInput<E>[]): Promise<UpsertCounts>;
  delete(entity: EntityName, ids: readonly string[]): Promise<number>;
  /** Notes ids as present, in a table of the transaction (memory stays flat for millions of ids). */
  keep(entity: EntityName, ids: readonly string[]): Promise<void>;
  /**
   * Marks deleted every live record of the entity not noted with `keep` (a full snapshot); `variants`
   * limits it to ids with (true) or without (false) a "#" (1C product variants).
   */
  reconcileKept(entity: EntityName, options?: { variants?: boolean }): Promise<number>;
}

export class Store {
  readonly accounts: Accounts;
  private readonly statistics = new Statistics();
  private readonly rotations = new Map<string, Promise<Versioned<unknown>>>();

  private constructor(
    readonly db: Db,
    private readonly sealer: Sealer,
  ) {
    this.accounts = new Accounts(db);
  }

  static async open(config: StoreConfig): Promise<Store> {
    const db = await openDb(config);
    try {
      await migrate(db);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw new StoreError('db_migration_failed', `database migration failed: ${(e as Error).message}`, { cause: e });
    }
    return new Store(db, config.sealer ?? Sealer.ephemeral());
  }

  /** Everything about one account goes through here; no method reaches another account's rows. */
  forAccount(id: string): AccountStore {
    const parsed = accountId.safeParse(id);
    if (!parsed.success) throw new StoreError('account_invalid', `not an account id: ${JSON.stringify(id)}`);
    return new AccountStore(this.db, parsed.data, this.statistics, new Secrets(this.db, parsed.data, this.sealer, this.rotations));
  }

  /** Removes an account and every row it owns (an uninstalled app). */
  async deleteAccount(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      for (const t of Object.values(tables)) await tx.query(`DELETE FROM ${t.name} WHERE account_id = $1`, [id]);
      // Cursors, outbox and inbox go with the account row (ON DELETE CASCADE).
      return (await tx.query('DELETE FROM accounts WHERE id = $1', [id])).rowCount > 0;
    });
  }

  /** A keyed signature for one purpose (see Sealer.mac): dashboard sessions are signed with it. */
  mac(purpose: string, data: string): Buffer {
    return this.sealer.mac(purpose, data);
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export class AccountStore {
  readonly outbox: Outbox;
  readonly inbox: Inbox;
  /** The 1C exchange protocol's sessions and uploads (onec accounts). */
  readonly onec: OnecExchange;
  /** What checks found about this account's records (the 1C deal guard, plugins). */
  readonly findings: Findings;
  readonly pluginRuns: PluginRuns;
  private known = false;

  constructor(
    private readonly db: Db,
    readonly account: string,
    private readonly statistics = new Statistics(),
    /** Sealed at rest; see Sealer. */
    readonly secrets: Secrets = new Secrets(db, account, Sealer.ephemeral(), new Map()),
  ) {
    this.outbox = new Outbox(db, account);
    this.inbox = new Inbox(db, account);
    this.onec = new OnecExchange(db, account);
    this.findings = new Findings(db, account);
    this.pluginRuns = new PluginRuns(db, account);
  }

  /**
   * Marks a plugin run applied (or undone) and queues its intents in one transaction: a failure between
   * the two would leave a run marked applied with nothing to send. False when it already was marked.
   */
  async markRun(runId: string, what: 'applied' | 'undone', intents: Parameters<Outbox['add']>[0]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const marked = await new PluginRuns(tx, this.account).mark(runId, what);
      if (!marked) return false;
      await new Outbox(tx, this.account).add(intents);
      // A write that was sent and then taken back by an undo is sent again when a later run plans it:
      // its key alone would make the outbox drop it as done (a hand-over undone, then decided again).
      if (what === 'applied' && intents.length) {
        await tx.query(
          `UPDATE outbox o SET status = 'pending', attempts = 0, last_error = NULL, updated_at = now()
            WHERE o.account_id = $1 AND o.idempotency_key = ANY($2::text[]) AND o.status = 'done'
              AND EXISTS (SELECT 1 FROM plugin_runs r JOIN outbox u ON u.account_id = r.account_id AND u.idempotency_key = 'undo:' || r.id || ':' || o.idempotency_key
                           WHERE r.account_id = $1 AND u.status = 'done' AND u.updated_at >= o.updated_at)`,
          [this.account, intents.map((i) => i.key)],
        );
      }
      return true;
    });
  }

  /** SQL over this account's live rows of the entities in `reads`, read-only (see scoped.ts). */
  readScoped<T>(reads: readonly EntityName[], fn: (sql: ScopedSql) => Promise<T>): Promise<T> {
    return readScoped(this.db, this.account, reads, fn);
  }

  /** Parses and upserts records; all of them or, when any is invalid, none. */
  async upsert<E extends EntityName>(entity: E, inputs: readonly ModelInput<E>[]): Promise<UpsertCounts> {
    return this.db.transaction(async (tx) => {
      await this.ensureAccount(tx);
      const counts = await upsertInputs(tx, entity, this.account, inputs as readonly Input[]);
      await this.statistics.afterInsert(tx, tables[entity].name, counts.inserted);
      return counts;
    });
  }

  /** Stores one pulled page and its cursor together: a crash leaves either both or neither. */
  async applyPage<E extends EntityName>(page: Page<E>): Promise<UpsertCounts & { deleted: number }> {
    return this.db.transaction(async (tx) => {
      await this.ensureAccount(tx);
      const counts = await upsertInputs(tx, page.entity, this.account, page.records as readonly Input[]);
      await this.statistics.afterInsert(tx, tables[page.entity].name, counts.inserted);
      const deleted = await markDeleted(tx, page.entity, this.account, page.deleted ?? []);
      if (page.cursor !== null) await this.saveCursor(tx, page.adapter, page.entity, page.cursor);
      return { ...counts, deleted };
    });
  }

  /**
   * Several entities written as one: everything `fn` writes through the writer is committed together,
   * or, when `fn` throws, none of it (a 1C file is applied all or nothing).
   */
  async together<T>(fn: (w: Writer) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await this.ensureAccount(tx);
      let keeping = false;
      const variantsOf = (options: { variants?: boolean }) =>
        options.variants === undefined ? '' : `AND external_id ${options.variants ? '' : 'NOT '}LIKE '%#%'`;
      const w: Writer = {
        upsert: async (entity, records) => {
          const counts = await upsertInputs(tx, entity, this.account, records as readonly Input[]);
          await this.statistics.afterInsert(tx, tables[entity].name, counts.inserted);
          return counts;
        },
        delete: (entity, ids) => markDeleted(tx, entity, this.account, ids),
        keep: async (entity, ids) => {
          if (!keeping) {
            await tx.query('CREATE TEMP TABLE IF NOT EXISTS svodka_kept (entity text NOT NULL, id text NOT NULL) ON COMMIT DROP');
            keeping = true;
          }
          if (ids.length) await tx.query('INSERT INTO svodka_kept (entity, id) SELECT $1, unnest($2::text[])', [entity, ids]);
        },
        reconcileKept: async (entity, options = {}) => {
          if (!keeping) return 0;
          await tx.query('CREATE INDEX IF NOT EXISTS svodka_kept_id ON svodka_kept (entity, id)');
          const t = tables[entity].name;
          const r = await tx.query(
            `UPDATE ${t} SET deleted_at = now(), synced_at = now()
             WHERE account_id = $1 AND deleted_at IS NULL ${variantsOf(options)}
               AND NOT EXISTS (SELECT 1 FROM svodka_kept k WHERE k.entity = $2 AND k.id = ${t}.external_id)`,
            [this.account, entity],
          );
          return r.rowCount;
        },
      };
      return fn(w);
    });
  }

  async delete(entity: EntityName, ids: readonly string[]): Promise<number> {
    return markDeleted(this.db, entity, this.account, ids);
  }

  /**
   * Soft-deletes every live record of the entity whose id is not in `present` (periodic id
   * reconciliation). With `syncedBefore`, records stored since then are left alone: they may be newer
   * than the id listing that `present` came from.
   */
  async reconcile(entity: EntityName, present: readonly string[], options: { syncedBefore?: Date } = {}): Promise<number> {
    const r = await this.db.query(
      `UPDATE ${tables[entity].name} SET deleted_at = now(), synced_at = now()
       WHERE account_id = $1 AND deleted_at IS NULL AND NOT (external_id = ANY($2::text[]))
         AND ($3::timestamptz IS NULL OR synced_at < $3)`,
      [this.account, present, options.syncedBefore?.toISOString() ?? null],
    );
    return r.rowCount;
  }

  async get<E extends EntityName>(
    entity: E,
    id: string,
  ): Promise<{ record: ModelRecord<E>; deleted: boolean } | undefined> {
    const t = tables[entity];
    const r = await this.db.query(`SELECT * FROM ${t.name} WHERE account_id = $1 AND external_id = $2`, [this.account, id]);
    const row = r.rows[0];
    return row && { record: fromRow<E>(t, row), deleted: row.deleted_at !== null };
  }

  /** Live records in id order, a page at a time: pass the last id as `after`. */
  async list<E extends EntityName>(
    entity: E,
    options: { after?: string; limit?: number; includeDeleted?: boolean } = {},
  ): Promise<ModelRecord<E>[]> {
    const t = tables[entity];
    const r = await this.db.query(
      `SELECT * FROM ${t.name} WHERE account_id = $1 AND external_id > $2 ${options.includeDeleted ? '' : 'AND deleted_at IS NULL'}
       ORDER BY external_id LIMIT $3`,
      [this.account, options.after ?? '', options.limit ?? 1000],
    );
    return r.rows.map((row) => fromRow<E>(t, row));
  }

  /**
   * Live records whose `field` holds one of `values`: value -> external ids (several when the source
   * repeats a value, as an article may be).
   */
  async lookup(entity: EntityName, field: string, values: readonly string[]): Promise<Map<string, string[]>> {
    const t = tables[entity];
    const column = field === 'externalId' ? { name: 'external_id' } : t.columns.find((c) => c.field === field);
    if (!column) throw new StoreError('field_unknown', `${entity} has no field ${field}`);
    const out = new Map<string, string[]>();
    if (!values.length) return out;
    const r = await this.db.query<{ external_id: string; v: string }>(
      `SELECT external_id, ${column.name}::text AS v FROM ${t.name}
       WHERE account_id = $1 AND deleted_at IS NULL AND ${column.name}::text = ANY($2::text[])`,
      [this.account, values],
    );
    for (const row of r.rows) out.set(row.v, [...(out.get(row.v) ?? []), row.external_id]);
    return out;
  }

  /**
   * Records stored or changed after `since` (null: all), in (stored at, id) order, with the time each
   * was stored: what a push to another system has not sent yet. Unchanged re-imports do not count.
   */
  async changedSince<E extends EntityName>(
    entity: E,
    since: { at: string; afterId: string } | null,
    limit = 5000,
  ): Promise<{ record: ModelRecord<E>; deleted: boolean; syncedAt: string }[]> {
    const t = tables[entity];
    // Keyset on (stored at, id): one import stores thousands of records at the same instant.
    const r = await this.db.query(
      `SELECT *, synced_at::text AS svodka_synced FROM ${t.name}
       WHERE account_id = $1 AND ($2::timestamptz IS NULL OR (synced_at, external_id) > ($2::timestamptz, $3::text))
       ORDER BY synced_at, external_id LIMIT $4`,
      [this.account, since?.at ?? null, since?.afterId ?? '', limit],
    );
    return r.rows.map((row) => ({
      record: fromRow<E>(t, row),
      deleted: row.deleted_at !== null,
      // As Postgres writes it, microseconds kept: the next page starts exactly after it.
      syncedAt: String(row.svodka_synced),
    }));
  }

  /** The changes of one price, oldest first (kept by a trigger on every write). */
  async priceHistory(priceId: string): Promise<{ oldAmount: string | null; newAmount: string | null; currency: string; changedAt: string }[]> {
    const r = await this.db.query<{ old_amount: string | null; new_amount: string | null; currency: string; changed_at: string | Date }>(
      'SELECT old_amount::text, new_amount::text, currency, changed_at FROM price_history WHERE account_id = $1 AND price_id = $2 ORDER BY changed_at, ctid',
      [this.account, priceId],
    );
    return r.rows.map((x) => ({ oldAmount: x.old_amount, newAmount: x.new_amount, currency: x.currency, changedAt: new Date(x.changed_at).toISOString() }));
  }

  async count(entity: EntityName): Promise<number> {
    const r = await this.db.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM ${tables[entity].name} WHERE account_id = $1 AND deleted_at IS NULL`,
      [this.account],
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  async cursor(adapter: string, entity: string): Promise<Cursor | null> {
    const r = await this.db.query<{ cursor: Cursor }>(
      'SELECT cursor FROM sync_cursors WHERE account_id = $1 AND adapter = $2 AND entity = $3',
      [this.account, adapter, entity],
    );
    return r.rows[0]?.cursor ?? null;
  }

  async resetCursor(adapter: string, entity?: string): Promise<void> {
    await this.db.query(
      'DELETE FROM sync_cursors WHERE account_id = $1 AND adapter = $2 AND ($3::text IS NULL OR entity = $3)',
      [this.account, adapter, entity ?? null],
    );
  }

  /** Entity tables have no foreign key (it costs bulk writes dearly): the account is checked here instead. */
  private async ensureAccount(tx: Sql): Promise<void> {
    if (this.known) return;
    const r = await tx.query('SELECT 1 FROM accounts WHERE id = $1', [this.account]);
    if (!r.rows.length) throw new StoreError('account_unknown', `account ${this.account} does not exist`);
    this.known = true;
  }

  private async saveCursor(tx: Sql, adapter: string, entity: string, cursor: Cursor): Promise<void> {
    await tx.query(
      `INSERT INTO sync_cursors (account_id, adapter, entity, cursor) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id, adapter, entity) DO UPDATE SET cursor = excluded.cursor, updated_at = now()`,
      [this.account, adapter, entity, JSON.stringify(cursor)],
    );
  }
}
