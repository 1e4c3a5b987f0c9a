import { randomBytes } from 'node:crypto';
import { onecCredentials, onecSettings } from '../../adapters/onec/config.js';
import { NotFoundError, SvodkaError } from '../sdk/errors.js';
import type { Store } from '../store/index.js';

export const localOnecAccount = 'onec-local';

/** A password for 1C: long enough, and typeable into its settings form. */
export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The 1C account a command works on: the one named, the only one there is, or (with none yet) a local
 * one created on the spot with a login and a fresh password, so a newcomer can try a file at once.
 */
export async function onecAccount(store: Store, given?: string): Promise<{ id: string; created: boolean }> {
  const all = (await store.accounts.list()).filter((a) => a.kind === 'onec');
  if (given) {
    if (!all.some((a) => a.id === given)) throw new NotFoundError(`no 1C account ${given}; see \`svodka accounts\``);
    return { id: given, created: false };
  }
  if (all.length === 1) return { id: all[0]!.id, created: false };
  if (all.length > 1) throw new SvodkaError('usage', `${all.length} 1C accounts exist: choose one with --account (${all.map((a) => a.id).join(', ')})`);
  await store.accounts.save({ id: localOnecAccount, kind: 'onec', name: '1С (локальный обмен)', settings: onecSettings.parse({ login: 'onec' }) });
  await store.forAccount(localOnecAccount).secrets.write(onecCredentials.parse({ password: newPassword(), hmacKey: randomBytes(32).toString('hex') }));
  return { id: localOnecAccount, created: true };
}
