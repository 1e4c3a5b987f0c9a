import type { Db } from '../store/db.js';
import type { Lang, Role, Session } from './session.js';

/** A signed-in person and the users whose records they may see (null: everyone's). */
export interface Viewer {
  account: string;
  user: string | null;
  role: Role;
  lang: Lang;
  users: ReadonlySet<string> | null;
}

/**
 * The role the CRM gives a user: an admin (the portal's or account's administrator) sees everything,
 * and so does the director, the head of a top-level department (in Bitrix24 the company's own, whose
 * head is the general director); the head of any other department sees it and the departments under
 * it; anyone else their own records. Only an admin changes data (applies a reassignment).
 */
export async function roleOf(db: Db, account: string, user: string, crmAdmin: boolean): Promise<Role> {
  if (crmAdmin) return 'admin';
  const r = await db.query<{ admin: boolean | null; heads: boolean; top: boolean }>(
    `SELECT u.is_admin AS admin,
            EXISTS (SELECT 1 FROM departments d WHERE d.account_id = $1 AND d.head_user_id = $2 AND d.deleted_at IS NULL) AS heads,
            EXISTS (SELECT 1 FROM departments d WHERE d.account_id = $1 AND d.head_user_id = $2 AND d.deleted_at IS NULL
                       AND NOT EXISTS (SELECT 1 FROM departments p WHERE p.account_id = $1 AND p.external_id = d.parent_id
                                          AND p.deleted_at IS NULL)) AS top
       FROM users u WHERE u.account_id = $1 AND u.external_id = $2 AND u.deleted_at IS NULL`,
    [account, user],
  );
  const row = r.rows[0];
  if (row?.admin) return 'admin';
  if (row?.top) return 'director';
  return row?.heads ? 'head' : 'manager';
}

/** Whether the CRM user exists and is active in the synced model (a dismissed user gets no session). */
export async function isActiveUser(db: Db, account: string, user: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM users WHERE account_id = $1 AND external_id = $2 AND active AND deleted_at IS NULL', [account, user]);
  return r.rows.length === 1;
}

/** Everyone in the departments the user heads, and in the departments below them. */
const teamSql = `
WITH RECURSIVE tree AS (
  SELECT external_id FROM departments WHERE account_id = $1 AND head_user_id = $2 AND deleted_at IS NULL
  UNION
  SELECT d.external_id FROM departments d JOIN tree t ON d.parent_id = t.external_id
   WHERE d.account_id = $1 AND d.deleted_at IS NULL
)
SELECT u.external_id AS id FROM users u
 WHERE u.account_id = $1 AND u.deleted_at IS NULL AND u.department_ids && ARRAY(SELECT external_id FROM tree)`;

export async function viewerOf(db: Db, s: Session): Promise<Viewer> {
  const base = { account: s.account, user: s.user, role: s.role, lang: s.lang };
  if (s.role === 'admin' || s.role === 'director') return { ...base, users: null };
  if (s.user === null) return { ...base, users: new Set() };
  if (s.role === 'manager') return { ...base, users: new Set([s.user]) };
  const r = await db.query<{ id: string }>(teamSql, [s.account, s.user]);
  return { ...base, users: new Set([s.user, ...r.rows.map((x) => x.id)]) };
}

/** Whether the viewer sees company-wide figures (every channel, the funnel, the holdout, the plan). */
export const companyWide = (v: Viewer): boolean => v.role === 'admin' || v.role === 'director';

export const sees = (v: Viewer, user: string | null | undefined): boolean =>
  v.users === null || (user !== null && user !== undefined && v.users.has(user));

/** The viewer's users as a SQL array parameter; null means no restriction. */
export const usersParam = (v: Viewer): string[] | null => (v.users === null ? null : [...v.users]);
