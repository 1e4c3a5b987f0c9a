import { SvodkaError, type Cursor, type RawPage } from '../../src/sdk/index.js';
import { maxBatch, type Params, type Portal } from './client.js';
import { itemsOf, pageSize, type ListSpec } from './lists.js';
import { followList } from './follow.js';

const rowsSpec: ListSpec = { method: 'crm.item.productrow.list', itemsAt: ['productRows'], id: 'id' };

/**
 * Product rows of deals: rows can only be asked for by owner, so the deals are followed as the deals
 * entity is (all by id, then those changed since; only id, currency and update time selected), and the
 * rows of 50 deals at a time are asked for in one batch command; a command whose rows overflow one page
 * is followed up with `start`. Rows get their deal's currency.
 */
export async function* pullDealItems(portal: Portal, from: Cursor | null): AsyncIterable<RawPage> {
  const deals: ListSpec = {
    method: 'crm.item.list',
    params: { entityTypeId: 2, select: ['id', 'currencyId', 'updatedTime'] },
    itemsAt: ['items'],
    id: 'id',
    updated: 'updatedTime',
  };
  for await (const page of followList(portal, deals, from)) {
    const currency = new Map((page.items as Record<string, unknown>[]).map((d) => [String(d.id), String(d.currencyId ?? '')]));
    const ids = [...currency.keys()];
    const rows: Record<string, unknown>[] = [];
    let groups = chunk(ids, pageSize).map((owners) => ({ owners, start: 0 }));
    while (groups.length) {
      const now = groups.slice(0, maxBatch);
      groups = groups.slice(maxBatch);
      const cmds: Record<string, [string, Params]> = {};
      now.forEach((g, i) => {
        cmds[`r${i}`] = ['crm.item.productrow.list', { filter: { '=ownerType': 'D', '@ownerId': g.owners }, order: { id: 'ASC' }, start: g.start }];
      });
      const b = await portal.batch(cmds);
      now.forEach((g, i) => {
        const r = b.results[`r${i}`];
        if (!r) throw new SvodkaError('bitrix24_productrows', `Bitrix24 crm.item.productrow.list: ${b.errors[`r${i}`]?.message ?? 'no answer'}`);
        const got = itemsOf(rowsSpec, r.result);
        rows.push(...got.map((row) => ({ ...row, currencyId: currency.get(String(row.ownerId)) ?? '' })));
        if (r.next) groups.push({ owners: g.owners, start: r.next });
      });
    }
    yield { items: rows, cursor: page.cursor };
  }
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
