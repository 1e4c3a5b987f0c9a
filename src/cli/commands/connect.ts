import { webhookAccount } from '../../../adapters/bitrix24/connect.js';
import { bitrix24Adapter } from '../../../adapters/bitrix24/index.js';
import { connectAccount } from '../../runtime/connect-account.js';
import { tokenAccount } from '../../../adapters/amocrm/connect.js';
import { amocrmAdapter } from '../../../adapters/amocrm/index.js';
import type { AdapterDef } from '../../sdk/index.js';
import { openRuntime } from '../../runtime/runtime.js';
import { cliEnv } from '../context.js';
import { emit } from '../output.js';

export interface ConnectBitrix24Options {
  webhook: string;
  perSecond?: string;
  burst?: string;
  eventsToken?: string;
}

/** `svodka connect bitrix24 --webhook URL`: checks the webhook against the portal, then stores the account. */
export async function connectBitrix24Command(o: ConnectBitrix24Options, json: boolean): Promise<void> {
  const { env, log } = cliEnv();
  const account = webhookAccount(o.webhook, {
    ...(o.perSecond ? { perSecond: Number(o.perSecond) } : {}),
    ...(o.burst ? { burst: Number(o.burst) } : {}),
    ...(o.eventsToken ? { eventsToken: o.eventsToken } : {}),
  });
  const rt = await openRuntime(env, { log });
  try {
    const r = await connectAccount(rt, bitrix24Adapter, account, rt.signal);
    const events = `/webhooks/bitrix24/events/${r.id}`;
    const out = { account: r.id, kind: 'bitrix24', portal: account.settings.portal, created: r.created, events };
    emit(json, out, () =>
      [
        `${r.created ? 'connected' : 'reconnected'} ${account.settings.portal} as account ${r.id}`,
        `  events: point the portal's outbound webhook at <this server>${events}` +
          (o.eventsToken ? '' : ' and connect again with --events-token <its application token>'),
      ].join('\n'),
    );
  } finally {
    await rt.close();
  }
}

/** `svodka connect amocrm --base-url URL --token TOKEN`: a private integration's long-lived token. */
export async function connectAmocrmCommand(o: { baseUrl: string; token: string }, json: boolean): Promise<void> {
  const { env, log } = cliEnv();
  const account = tokenAccount(o.baseUrl, o.token);
  const rt = await openRuntime(env, { log });
  try {
    const r = await connectAccount(rt, amocrmAdapter as unknown as AdapterDef, account, rt.signal);
    const out = { account: r.id, kind: 'amocrm', baseUrl: account.settings.baseUrl, created: r.created };
    emit(json, out, () => `${r.created ? 'connected' : 'reconnected'} ${account.settings.baseUrl} as account ${r.id}`);
  } finally {
    await rt.close();
  }
}
