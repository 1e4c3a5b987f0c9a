import { z } from 'zod';
import { signInLink } from '../../dashboard/link.js';
import { ValidationError } from '../../sdk/errors.js';
import { cliEnv, openStore, resolveAccount } from '../context.js';
import { emit } from '../output.js';

const options = z.object({
  account: z.string().optional(),
  user: z.string().regex(/^[\w:.-]{1,100}$/, 'a CRM user id').optional(),
  lang: z.enum(['ru', 'en']).default('ru'),
});

/**
 * `svodka dashboard link`: a sign-in link to the dashboard outside the CRM, as a CRM user (their role) or
 * as the account's admin. It works for a week and gives a 12-hour session.
 */
export async function dashboardLinkCommand(raw: Record<string, unknown>, json: boolean): Promise<void> {
  const o = options.safeParse(raw);
  if (!o.success) throw new ValidationError('dashboard link', o.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`));
  const { env } = cliEnv();
  const store = await openStore(env);
  try {
    const account = await resolveAccount(store, o.data.account);
    const base = env.SVODKA_PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`;
    const { url, session } = await signInLink(store, base, account, { ...(o.data.user ? { user: o.data.user } : {}), lang: o.data.lang });
    emit(json, { account, user: session.user, role: session.role, url }, () => `${url}\n  (${session.role}; valid for 7 days; keep it private: whoever has it signs in)`);
  } finally {
    await store.close();
  }
}
