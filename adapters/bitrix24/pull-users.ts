import type { RawPage } from '../../src/sdk/index.js';
import type { Portal } from './client.js';
import { wholeList } from './lists.js';

type Row = Record<string, unknown>;

/**
 * Users with the head they report to: the head of their first department, or when they head it
 * themselves, the head of the department above. Read whole every time: Bitrix24 has no event for a
 * dismissal, so polling is how ACTIVE=false is noticed.
 */
export async function* pullUsers(portal: Portal): AsyncIterable<RawPage> {
  const departments: Row[] = [];
  for await (const p of wholeList(portal, { method: 'department.get', itemsAt: [], id: 'ID' })) departments.push(...(p.items as Row[]));
  const byId = new Map(departments.map((d) => [String(d.ID), d]));
  const headOf = (userId: string, departmentId: string | undefined): string | undefined => {
    for (let d = departmentId && byId.get(departmentId), hops = 0; d && hops < 50; hops++) {
      const head = d.UF_HEAD ? String(d.UF_HEAD) : '';
      if (head && head !== '0' && head !== userId) return head;
      d = d.PARENT ? byId.get(String(d.PARENT)) : undefined;
    }
    return undefined;
  };
  const spec = { method: 'user.get', params: { sort: 'ID', order: 'ASC' }, itemsAt: [], id: 'ID' };
  for await (const p of wholeList(portal, spec)) {
    const items = (p.items as Row[]).map((u) => {
      const first = Array.isArray(u.UF_DEPARTMENT) ? u.UF_DEPARTMENT[0] : undefined;
      const manager = headOf(String(u.ID), first === undefined ? undefined : String(first));
      return manager ? { ...u, svodkaManagerId: manager } : u;
    });
    yield { ...p, items };
  }
}
