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
    let full = false;
    // Ids of a full snapshot are noted in a table of the transaction, not in memory: millions of them.
    const carried = new Set<EntityName>();
    const items = readCml(source, { fileName, knownPriceTypes: new Set(known.keys()) });
    for await (const b of recordsOf(items, (s) => (summary = s), known, (h) => (full = !h.onlyChanges))) {
      if (b.records.length) await w.upsert(b.entity, b.records);
      if (b.deleted.length) await w.delete(b.entity, b.deleted);
      // A file lists the warehouses and price types it uses, not necessarily all of them.
      if (full && b.records.length && b.entity !== 'warehouses' && b.entity !== 'price_types') {
        carried.add(b.entity);
        await w.keep(b.entity, b.records.map((r) => r.externalId));
      }
    }
    const s = summary!;
    if (!s.onlyChanges) {
      for (const entity of carried) {
        // An import lists plain products; an offers file lists the variants (GUID#GUID).
        s.deleted += await w.reconcileKept(entity, entity === 'products' ? { variants: s.kind !== 'import' } : {});
      }
    }
    return s;
  });
}
