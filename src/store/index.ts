export { Store, AccountStore, type Page, type Cursor, type StoreConfig, type Writer } from './store.js';
export { Sealer } from './sealer.js';
export { type Db, type DbConfig, type Sql } from './db.js';
export { type Account, type AccountInput, accountKind } from './accounts.js';
export { type Intent, type OutboxItem } from './outbox.js';
export { type InboxItem } from './inbox.js';
export { type Finding } from './findings.js';
export { type UpsertCounts } from './records.js';
