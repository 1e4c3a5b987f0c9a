/** The one thing the store needs from a Postgres driver. */
export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  /** COPY ... FROM STDIN of rows in COPY's text format (see copy-text.ts) into table(columns). */
  copyIn(table: string, columns: readonly string[], text: string): Promise<void>;
}

export interface Db extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: everything it wrote is committed together, or nothing is. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type DbConfig = { databaseUrl: string } | { dataDir: string } | { memory: true };

export async function openDb(config: DbConfig): Promise<Db> {
  if ('databaseUrl' in config) {
    const { openPostgres } = await import('./pg-db.js');
    return openPostgres(config.databaseUrl);
  }
  const { openPglite } = await import('./pglite-db.js');
  return openPglite('dataDir' in config ? config.dataDir : undefined);
}
