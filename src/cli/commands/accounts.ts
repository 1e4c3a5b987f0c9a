import { cliEnv, openStore } from '../context.js';
import { emit, table } from '../output.js';

export async function accountsCommand(json: boolean): Promise<void> {
  const { env } = cliEnv();
  const store = await openStore(env);
  try {
    const all = await store.accounts.list();
    // Settings stay out: they are the account's business, and some will name hosts and ids.
    const rows = all.map((a) => ({ id: a.id, kind: a.kind, name: a.name, status: a.status, createdAt: a.createdAt }));
    emit(json, rows, () => table(rows, ['id', 'kind', 'name', 'status', 'createdAt']));
  } finally {
    await store.close();
  }
}
