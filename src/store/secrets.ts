import { NotFoundError } from '../sdk/errors.js';
import type { SecretStore, Versioned } from '../sdk/secrets.js';
import type { Db } from './db.js';
import type { Sealer } from './sealer.js';

type Row = { sealed: string; version: number };

/** One account's secrets: sealed before they reach the database, opened only in this process. */
export class Secrets<T = unknown> implements SecretStore<T> {
  constructor(
    private readonly db: Db,
    private readonly account: string,
    private readonly sealer: Sealer,
    /** Rotations in flight in this process, shared by every Secrets of the same store. */
    private readonly pending: Map<string, Promise<Versioned<unknown>>>,
  ) {}

  async read(): Promise<Versioned<T> | undefined> {
    const r = await this.db.query<Row>('SELECT sealed, version FROM secrets WHERE account_id = $1', [this.account]);
    const row = r.rows[0];
    return row && { value: this.sealer.open(row.sealed) as T, version: Number(row.version) };
  }

  async write(value: T): Promise<Versioned<T>> {
    const r = await this.db.query<{ version: number }>(
      `INSERT INTO secrets (account_id, sealed) VALUES ($1, $2)
       ON CONFLICT (account_id) DO UPDATE SET sealed = excluded.sealed, version = secrets.version + 1, updated_at = now()
       RETURNING version`,
      [this.account, this.sealer.seal(value)],
    );
    return { value, version: Number(r.rows[0]!.version) };
  }

  rotate(seen: number, fn: (current: T) => Promise<T>): Promise<Versioned<T>> {
    const key = `${this.account}\u0000${seen}`;
    const running = this.pending.get(key);
    if (running) return running as Promise<Versioned<T>>;
    const p = this.rotateLocked(seen, fn).finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  async erase(): Promise<void> {
    await this.db.query('DELETE FROM secrets WHERE account_id = $1', [this.account]);
  }

  /** The row lock makes every other process wait here, then see the new version and skip `fn`. */
  private rotateLocked(seen: number, fn: (current: T) => Promise<T>): Promise<Versioned<T>> {
    return this.db.transaction(async (tx) => {
      const r = await tx.query<Row>('SELECT sealed, version FROM secrets WHERE account_id = $1 FOR UPDATE', [this.account]);
      const row = r.rows[0];
      if (!row) throw new NotFoundError(`account ${this.account} has no stored credentials`);
      const current = { value: this.sealer.open(row.sealed) as T, version: Number(row.version) };
      if (current.version !== seen) return current;
      const value = await fn(current.value);
      const w = await tx.query<{ version: number }>(
        'UPDATE secrets SET sealed = $2, version = version + 1, updated_at = now() WHERE account_id = $1 RETURNING version',
        [this.account, this.sealer.seal(value)],
      );
      return { value, version: Number(w.rows[0]!.version) };
    });
  }
}
