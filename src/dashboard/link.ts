import type { Store } from '../store/index.js';
import { ValidationError } from '../sdk/errors.js';
import { expiresIn, LINK_HOURS, signSession, type Lang, type Session } from './session.js';
import { isActiveUser, roleOf } from './viewer.js';

/**
 * A sign-in link for the dashboard outside the CRM: as the given CRM user (their role from the model),
 * or, with no user, as the account's administrator. It can only be exchanged for a session, for a week.
 */
export async function signInLink(store: Store, baseUrl: string, account: string, o: { user?: string; lang?: Lang } = {}): Promise<{ url: string; session: Session }> {
  if (!(await store.accounts.get(account))) throw new ValidationError(`нет такого аккаунта / no such account: ${account}`);
  if (o.user !== undefined && !(await isActiveUser(store.db, account, o.user))) {
    throw new ValidationError(`пользователь ${o.user} не найден или уволен / user ${o.user} is not an active user of ${account}`);
  }
  const session: Session = {
    account,
    user: o.user ?? null,
    role: o.user === undefined ? 'admin' : await roleOf(store.db, account, o.user, false),
    lang: o.lang ?? 'ru',
    exp: expiresIn(LINK_HOURS),
  };
  const token = signSession((p, d) => store.mac(p, d), session, 'dashboard-link');
  return { url: `${baseUrl.replace(/\/$/, '')}/app/signin?t=${encodeURIComponent(token)}`, session };
}
