import type { Rng } from '../rng.js';
import { Table } from '../table.js';
import * as n from '../names.js';
import type { Department, User } from './types.js';

const DAY = 86_400_000;

export function buildPeople(rng: Rng, anchor: number, managers: number, dismissed: number, departments: number) {
  const deps = new Table<Department>();
  const users = new Table<User>();
  const depCount = Math.max(1, departments);
  for (let i = 1; i <= depCount; i++) {
    deps.add({ id: i, name: i === 1 ? 'Компания' : (n.departmentNames[(i - 2) % n.departmentNames.length] as string), sort: 500, parent: i === 1 ? null : 1, head: null });
  }
  const total = Math.max(1, managers) + dismissed;
  for (let id = 1; id <= total; id++) {
    const female = rng.chance(0.45);
    const lastName = rng.pick(n.maleLastNames) + (female ? 'а' : '');
    const name = rng.pick(female ? n.femaleNames : n.maleNames);
    const dateRegister = anchor - rng.int(400, 1500) * DAY;
    const active = id <= Math.max(1, managers);
    const dep = id === 1 ? 1 : depCount === 1 ? 1 : 2 + ((id - 2) % (depCount - 1));
    users.add({
      id,
      active,
      name,
      lastName,
      secondName: rng.pick(female ? n.femalePatronymics : n.malePatronymics),
      email: `${n.latin(name)}.${n.latin(lastName)}${id}@sandbox.example`,
      gender: female ? 'F' : 'M',
      workPosition: id === 1 ? 'Генеральный директор' : rng.pick(n.positions),
      departments: [dep],
      dateRegister,
      lastLogin: active ? anchor - rng.int(0, 5) * DAY - rng.int(0, 80_000) * 1000 : dateRegister + rng.int(100, 300) * DAY,
      isAdmin: id === 1,
    });
  }
  for (const d of deps.rows) d.head = d.id === 1 ? 1 : (users.rows.find((u) => u.active && u.departments.includes(d.id))?.id ?? 1);
  return { users, departments: deps };
}
