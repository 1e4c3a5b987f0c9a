import { Store } from '../../src/store/index.js';
import { freshDatabase } from './postgres.js';

export interface OpenedStore {
  store: Store;
  dispose: () => Promise<void>;
}

/** The two drivers every store test runs on: embedded PGlite and the machine's real Postgres. */
export const drivers: { name: string; open: () => Promise<OpenedStore> }[] = [
  {
    name: 'pglite',
    async open() {
      const store = await Store.open({ memory: true });
      return { store, dispose: () => store.close() };
    },
  },
  {
    name: 'postgres',
    async open() {
      const db = await freshDatabase();
      const store = await Store.open({ databaseUrl: db.url });
      return {
        store,
        async dispose() {
          await store.close();
          await db.drop();
        },
      };
    },
  },
];
