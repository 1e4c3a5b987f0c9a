import type { Rng } from '../rng.js';
import { lowerBound, Table } from '../table.js';
import * as n from '../names.js';
import type { Activity, CrmItem } from './types.js';

const DAY = 86_400_000;
// TYPE_ID / PROVIDER_ID / PROVIDER_TYPE_ID as crm.activity.list spells them.
const kinds = [
  { share: 0.45, typeId: 2, providerId: 'VOXIMPLANT_CALL', providerTypeId: 'CALL', subjects: n.subjects.call, directed: true },
  { share: 0.25, typeId: 4, providerId: 'CRM_EMAIL', providerTypeId: 'EMAIL', subjects: n.subjects.email, directed: true },
  { share: 0.1, typeId: 1, providerId: 'CRM_MEETING', providerTypeId: 'MEETING', subjects: n.subjects.meeting, directed: false },
  { share: 0.2, typeId: 6, providerId: 'CRM_TODO', providerTypeId: 'TODO', subjects: n.subjects.task, directed: false },
];

/** Activities ascend in time with id and are bound to an owner that already existed then. */
export function buildActivities(rng: Rng, anchor: number, count: number, owners: { deals: Table<CrmItem>; leads: Table<CrmItem>; contacts: Table<CrmItem> }) {
  const table = new Table<Activity>();
  const pools: [number, CrmItem[], number][] = [
    [2, owners.deals.rows, 0.6],
    [1, owners.leads.rows, 0.2],
    [3, owners.contacts.rows, 0.2],
  ].filter(([, rows]) => (rows as CrmItem[]).length > 0) as [number, CrmItem[], number][];
  if (pools.length === 0) return table;
  const first = Math.min(...pools.map(([, rows]) => (rows[0] as CrmItem).createdTime));
  const span = anchor - first;
  for (let i = 0; i < count; i++) {
    const created = Math.floor((first + ((i + rng.next()) / count) * span) / 1000) * 1000;
    let r = rng.next();
    let pool = pools[0] as [number, CrmItem[], number];
    for (const p of pools) {
      if (r < p[2]) {
        pool = p;
        break;
      }
      r -= p[2];
    }
    const known = Math.max(1, lowerBound(pool[1], created, (x) => x.createdTime));
    const ownerRow = pool[1][rng.int(0, known - 1)] as CrmItem;
    let k = rng.next();
    let kind = kinds[0] as (typeof kinds)[number];
    for (const x of kinds) {
      if (k < x.share) {
        kind = x;
        break;
      }
      k -= x.share;
    }
    const deadline = Math.floor((created + rng.next() * 7 * DAY) / 1000) * 1000;
    const completed = deadline < anchor ? rng.chance(0.85) : rng.chance(0.1);
    const lastUpdated = Math.min(anchor - 1000, completed ? deadline + rng.int(0, 3600) * 1000 : created + rng.int(0, 600) * 1000);
    table.add({
      id: i + 1,
      ownerTypeId: pool[0],
      ownerId: ownerRow.id,
      typeId: kind.typeId,
      providerId: kind.providerId,
      providerTypeId: kind.providerTypeId,
      direction: kind.directed ? rng.int(1, 2) : 0,
      subject: rng.pick(kind.subjects),
      responsibleId: ownerRow.assignedById,
      authorId: ownerRow.assignedById,
      deadline,
      startTime: deadline,
      endTime: deadline + (kind.typeId === 2 ? rng.int(30, 900) * 1000 : 3600_000),
      completed: completed ? 'Y' : 'N',
      created,
      lastUpdated: Math.max(created, lastUpdated),
      description: '',
    });
  }
  return table;
}
