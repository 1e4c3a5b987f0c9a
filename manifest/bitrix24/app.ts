import { z } from 'zod';

/**
 * The Bitrix24 app as the partner console needs it. Bitrix24 has no manifest file: scopes and URLs are
 * typed into the console, placements and events are bound by the install code (adapters/bitrix24/install.ts),
 * which reads them from here. `npm run manifest:bitrix24` prints it for the console.
 */
const placement = z.object({
  code: z.string().regex(/^[A-Z_]+$/),
  path: z.string().startsWith('/'),
  title: z.object({ ru: z.string().min(1), en: z.string().min(1) }),
});

const app = z.object({
  code: z.string(),
  title: z.object({ ru: z.string(), en: z.string() }),
  scopes: z.array(z.enum(['crm', 'user', 'user_brief', 'department', 'task', 'catalog', 'placement', 'entity', 'im'])).min(1),
  /** Paths on this server, joined to SVODKA_PUBLIC_URL. */
  handlers: z.object({ install: z.string().startsWith('/'), app: z.string().startsWith('/'), appEvents: z.string().startsWith('/') }),
  placements: z.array(placement),
});

export const bitrix24App = app.parse({
  code: 'svodka',
  title: { ru: 'Сводка: сквозная аналитика и KPI', en: 'Svodka: end-to-end analytics and KPI' },
  scopes: ['crm', 'user', 'department', 'task', 'catalog', 'placement'],
  handlers: { install: '/webhooks/bitrix24/install', app: '/app/bitrix24', appEvents: '/webhooks/bitrix24/app-events' },
  placements: [
    { code: 'LEFT_MENU', path: '/app/bitrix24', title: { ru: 'Сводка', en: 'Svodka' } },
    { code: 'CRM_ANALYTICS_MENU', path: '/app/bitrix24?page=ads', title: { ru: 'Сквозная аналитика', en: 'End-to-end analytics' } },
    { code: 'CRM_DEAL_DETAIL_TAB', path: '/app/bitrix24?page=stale', title: { ru: 'Сводка по сделке', en: 'Deal summary' } },
  ],
});

export const placements = bitrix24App.placements;
