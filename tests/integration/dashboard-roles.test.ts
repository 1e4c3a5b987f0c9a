import { describe, expect, it } from 'vitest';
import { drivers } from '../helpers/drivers.js';
import { companyWide, roleOf, viewerOf } from '../../src/dashboard/viewer.js';
import { allowed, pages } from '../../src/dashboard/html/layout.js';

/**
 * Roles read from the synced org chart: the portal's admin, the director (head of the top department),
 * heads of the departments below (recursively), everyone else a manager. Another account's chart
 * changes nothing.
 */
describe.each(drivers)('dashboard roles on $name', ({ open }) => {
  it('finds the director, heads and managers in the org chart, and what each sees', async () => {
    const opened = await open();
    try {
      const db = opened.store.db;
      for (const id of ['acc', 'other']) await opened.store.accounts.save({ id, kind: 'bitrix24', name: id });
      const user = (externalId: string, dep: string, isAdmin = false) => ({ externalId, name: `u${externalId}`, active: true, departmentIds: [dep], isAdmin });
      const acc = opened.store.forAccount('acc');
      // 1 Company (head 10) → 2 Sales (head 20) → 3 Sales north (head 30); 4 Support (head 40).
      await acc.upsert('departments', [
        { externalId: '1', name: 'Компания', headUserId: '10' },
        { externalId: '2', name: 'Продажи', parentId: '1', headUserId: '20' },
        { externalId: '3', name: 'Продажи север', parentId: '2', headUserId: '30' },
        { externalId: '4', name: 'Поддержка', parentId: '1', headUserId: '40' },
      ]);
      await acc.upsert('users', [user('1', '1', true), user('10', '1'), user('20', '2'), user('21', '2'), user('30', '3'), user('31', '3'), user('40', '4'), user('41', '4')]);
      // In the other account user 21 heads a top department: that makes nobody a director here.
      await opened.store.forAccount('other').upsert('departments', [{ externalId: '9', name: 'X', headUserId: '21' }]);
      await opened.store.forAccount('other').upsert('users', [user('21', '9')]);

      const roles = Object.fromEntries(await Promise.all(['1', '10', '20', '21', '30', '40'].map(async (u) => [u, await roleOf(db, 'acc', u, false)])));
      expect(roles).toEqual({ '1': 'admin', '10': 'director', '20': 'head', '21': 'manager', '30': 'head', '40': 'head' });
      expect(await roleOf(db, 'acc', '21', true)).toBe('admin');
      expect(await roleOf(db, 'other', '21', false)).toBe('director');

      const seen = async (u: string) => {
        const v = await viewerOf(db, { account: 'acc', user: u, role: roles[u]!, lang: 'ru', exp: 0 });
        return { all: v.users === null, users: v.users && [...v.users].sort(), wide: companyWide(v) };
      };
      expect(await seen('10')).toEqual({ all: true, users: null, wide: true });
      expect(await seen('20')).toEqual({ all: false, users: ['20', '21', '30', '31'], wide: false });
      expect(await seen('40')).toEqual({ all: false, users: ['40', '41'], wide: false });
      expect(await seen('21')).toEqual({ all: false, users: ['21'], wide: false });

      // The director opens every page an admin does; a head not the company-wide ones.
      expect(pages.filter((p) => allowed[p].includes('director'))).toEqual(pages.filter((p) => allowed[p].includes('admin')));
      expect(pages.filter((p) => !allowed[p].includes('head'))).toEqual(['forecast', 'sync']);

      // A director whose top department gets a parent is a head from the next sign-in on.
      await acc.upsert('departments', [{ externalId: '0', name: 'Холдинг', headUserId: '1' }, { externalId: '1', name: 'Компания', parentId: '0', headUserId: '10' }]);
      expect(await roleOf(db, 'acc', '10', false)).toBe('head');
    } finally {
      await opened.dispose();
    }
  });
});
