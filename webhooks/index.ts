import type { Express } from 'express';
import type { Runtime } from '../src/runtime/runtime.js';
import { bitrix24Events } from './bitrix24.js';
import { bitrix24Install } from './bitrix24-install.js';
import { onecExchange, onecJson } from './onec.js';
import { amocrmWebhooks } from './amocrm.js';
import { amocrmInstall } from './amocrm-install.js';

/** Every receiver at the HTTP edge, mounted by the server. */
export function mountWebhooks(app: Express, rt: Pick<Runtime, 'store' | 'queue' | 'log' | 'units' | 'limiter' | 'env' | 'signal'>): void {
  app.use('/webhooks/bitrix24', bitrix24Events(rt));
  app.use('/webhooks/bitrix24', bitrix24Install(rt));
  app.use('/webhooks/amocrm', amocrmInstall(rt));
  app.use('/webhooks/amocrm', amocrmWebhooks(rt));
  app.use('/webhooks/onec', onecExchange(rt));
  app.use('/webhooks/onec', onecJson(rt));
}
