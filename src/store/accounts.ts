import { z } from 'zod';
import { accountId } from '../model/index.js';
import { StoreError } from '../sdk/errors.js';
import type { Sql } from './db.js';

export const accountKind = z.enum(['bitrix24', 'amocrm', 'onec', 'demo']);
export const accountStatus = z.enum(['active', 'paused', 'blocked']);

export const accountSchema = z.object({
  id: accountId,
  kind: accountKind,
  name: z.string().min(1).max(300),
  status: accountStatus.default('active'),
  statusReason: z.string().nullable().default(null),
  /** Non-secret settings; tokens live elsewhere and never in exports. */
  settings: z.record(z.string(), z.unknown()).default({}),
});
export type Account = z.output<typeof accountSchema>;
export type AccountInput = z.input<typeof accountSchema>;

type Row = {
  id: string;
  kind: Account['kind'];
  name: string;
  status: Account['status'];
  status_reason: string | null;
  settings: Record<string, unknown>;
  created_at: Date;
};

const account = (r: Row): Account & { createdAt: string } => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  status: r.status,
  statusReason: r.status_reason,
  settings: r.settings,
  createdAt: r.created_at.toISOString(),
});

/** The accounts registry: the one table that is not itself scoped to an account. */
export class Accounts {
  constructor(private readonly sql: Sql) {}

  async save(input: AccountInput): Promise<Account> {
    const a = accountSchema.parse(input);
    const r = await this.sql.query(
      `INSERT INTO accounts (id, kind, name, status, status_reason, settings) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status,
         status_reason = excluded.status_reason, settings = excluded.settings, updated_at = now()
       WHERE accounts.kind = excluded.kind`,
      [a.id, a.kind, a.name, a.status, a.statusReason, JSON.stringify(a.settings)],
    );
    if (!r.rowCount) throw new StoreError('account_conflict', `account ${a.id} exists with another kind than ${a.kind}`);
    return a;
  }

  async get(id: string): Promise<(Account & { createdAt: string }) | undefined> {
    const r = await this.sql.query<Row>('SELECT * FROM accounts WHERE id = $1', [id]);
    return r.rows[0] && account(r.rows[0]);
  }

  async list(): Promise<(Account & { createdAt: string })[]> {
    const r = await this.sql.query<Row>('SELECT * FROM accounts ORDER BY created_at, id');
    return r.rows.map(account);
  }

  async setStatus(id: string, status: Account['status'], reason: string | null): Promise<void> {
    await this.sql.query('UPDATE accounts SET status = $2, status_reason = $3, updated_at = now() WHERE id = $1', [
      id,
      status,
      reason,
    ]);
  }
}
