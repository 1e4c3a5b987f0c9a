import type { EntityName } from '../model/index.js';
import { readCml } from '../../adapters/onec/parse/index.js';
import { recordsOf, type FileSummary } from '../../adapters/onec/records.js';
import type { AccountStore } from '../store/index.js';

/**
 * Applies one CommerceML file to an account, all or nothing: every record of the file is written in one
 * transaction, and a file that fails to parse half-way leaves the store as it was. A full snapshot
 * (СодержитТолькоИзменения=false) also marks deleted what it no longer lists, for each kind of record it
 * carries.
 */
export async function applyCml(store: AccountStore, source: AsyncIterable<Buffer>, fileName: string): Promise<FileSummary> {
  // Split prices files name the price types an earlier import or offers file declared.
  const known = new Map((await store.list('price_types', { limit: 10_000 })).map((t) => [t.externalId, { currency: t.currency }]));
  return store.together(async (w) => {
    let summary: FileSummary | undefined;
    const present = new Map<EntityName, string[]>();
    const items = readCml(source, { fileName, knownPriceTypes: new Set(known.keys()) });
    for await (const b of recordsOf(items, (s) => (summary = s), known)) {
      if (b.records.length) await w.upsert(b.entity, b.records);
      if (b.deleted.length) await w.delete(b.entity, b.deleted);
      const ids = present.get(b.entity) ?? [];
      for (const r of b.records) ids.push(r.externalId);
      present.set(b.entity, ids);
    }
    const s = summary!;
    if (!s.onlyChanges) {
      for (const [entity, ids] of present) {
        if (!ids.length) continue;
        // A file lists the warehouses and price types it uses, not necessarily all of them.
        if (entity === 'warehouses' || entity === 'price_types') continue;
        if (entity === 'products') {
          // An import lists plain products; an offers file lists the variants (GUID#GUID).
          s.deleted += await w.reconcile(entity, ids, { variants: s.kind !== 'import' });
        } else {
          s.deleted += await w.reconcile(entity, ids);
        }
      }
    }
    return s;
  });
}
