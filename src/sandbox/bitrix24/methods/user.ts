import { cost, type Handler, type Params } from '../context.js';
import type { Department, User } from '../data/types.js';
import { listPage, type Field, type Fields } from '../query.js';
import { iso } from '../time.js';

const f = <R>(kind: Field<R>['kind'], get: (r: R) => unknown): Field<R> => ({ kind, get });

const userFields: Fields<User> = {
  ID: f('int', (u) => u.id),
  ACTIVE: f('bool', (u) => u.active),
  NAME: f('string', (u) => u.name),
  LAST_NAME: f('string', (u) => u.lastName),
  SECOND_NAME: f('string', (u) => u.secondName),
  EMAIL: f('string', (u) => u.email),
  WORK_POSITION: f('string', (u) => u.workPosition),
  UF_DEPARTMENT: f('int', (u) => u.departments),
  USER_TYPE: f('string', () => 'employee'),
  LAST_LOGIN: f('date', (u) => u.lastLogin),
  DATE_REGISTER: f('date', (u) => u.dateRegister),
};


function userWire(u: User): Record<string, unknown> {
  const ll = iso(u.lastLogin);
  return {
    ID: String(u.id),
    XML_ID: `sandbox-${u.id}`,
    ACTIVE: u.active,
    NAME: u.name,
    LAST_NAME: u.lastName,
    SECOND_NAME: u.secondName,
    EMAIL: u.email,
    LAST_LOGIN: ll,
    DATE_REGISTER: iso(u.dateRegister),
    IS_ONLINE: 'N',
    TIME_ZONE_OFFSET: '10800',
    TIMESTAMP_X: `${ll.slice(8, 10)}.${ll.slice(5, 7)}.${ll.slice(0, 4)} ${ll.slice(11, 19)}`,
    LAST_ACTIVITY_DATE: `${ll.slice(0, 10)} ${ll.slice(11, 19)}`,
    PERSONAL_GENDER: u.gender,
    PERSONAL_BIRTHDAY: '',
    WORK_POSITION: u.workPosition,
    UF_EMPLOYMENT_DATE: '',
    UF_DEPARTMENT: [...u.departments],
    USER_TYPE: 'employee',
  };
}

/** user.get takes FILTER (or filter, or filter keys at the top level), sort + order as strings, start. */
function userFilter(p: Params): Record<string, unknown> {
  const given = (p.FILTER ?? p.filter ?? {}) as Record<string, unknown>;
  const top = Object.fromEntries(Object.entries(p).filter(([k]) => /^[!<>=@%]*[A-Z_]+$/.test(k) && !['FILTER', 'ADMIN_MODE', 'SORT', 'ORDER'].includes(k)));
  return { ...top, ...(typeof given === 'object' ? given : {}) };
}

// apidocs: api-reference/user/user-get.md, api-reference/departments/department-get.md
export const users: Record<string, Handler> = {
  'user.get': (p, { ctx }) => {
    const sort = String(p.sort ?? p.SORT ?? 'ID').toUpperCase();
    const order = String(p.order ?? p.ORDER ?? 'ASC');
    const page = listPage(ctx.data.users, userFields, { filter: userFilter(p), order: { [sort]: order }, start: p.start ?? p.START, idField: 'ID', strict: false });
    return { result: page.rows.map(userWire), total: page.total, next: page.next, cost: cost(page.rows.length, page.scanned) };
  },
  'user.current': (_p, { ctx, caller }) => {
    const u = ctx.data.users.get(caller.userId);
    return { result: u ? userWire(u) : null };
  },
  'department.get': (p, { ctx }) => {
    const deptFields: Fields<Department> = {
      ID: f('int', (d) => d.id),
      NAME: f('string', (d) => d.name),
      SORT: f('int', (d) => d.sort),
      PARENT: f('int', (d) => d.parent),
      UF_HEAD: f('int', (d) => d.head),
    };
    const filter = Object.fromEntries(Object.entries(p).filter(([k]) => k in deptFields));
    const sort = String(p.sort ?? 'ID').toUpperCase();
    const page = listPage(ctx.data.departments, deptFields, { filter, order: { [sort]: String(p.order ?? 'ASC') }, start: p.START ?? p.start, idField: 'ID', strict: false });
    const rows = page.rows.map((d) => ({ ID: String(d.id), NAME: d.name, SORT: d.sort, ...(d.parent ? { PARENT: String(d.parent) } : {}), UF_HEAD: d.head ? String(d.head) : '' }));
    return { result: rows, total: page.total, next: page.next };
  },
};

