import { z } from 'zod';

export const attributionModels = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay'] as const;
export type AttributionModel = (typeof attributionModels)[number];

/** Aliases of each channel in UTM sources and CRM source fields (lower case). */
export const defaultAliases: Record<string, string[]> = {
  yandex_direct: ['yandex', 'ya', 'direct', 'yandex_direct', 'yandex.direct', 'yd'],
  vk_ads: ['vk', 'vkontakte', 'vk_ads', 'vkads', 'mytarget', 'target.my.com'],
  google_ads: ['google', 'adwords', 'google_ads', 'googleads'],
  avito: ['avito'],
  telegram_ads: ['telegram', 'tg', 'telegram_ads'],
};

export const adConfig = z.strictObject({
  model: z.enum(attributionModels).default('last_non_direct'),
  /** Days for a touch's weight to halve, in the time-decay model. */
  halfLifeDays: z.number().positive().max(365).default(7),
  /** The report window, by the day leads and deals were created: the last `days` before the run. */
  days: z.int().min(1).max(3650).default(90),
  currency: z.string().regex(/^[A-Z]{3}$/).default('RUB'),
  /** Days and months are the company's. */
  timezone: z.string().default('Europe/Moscow'),
  /** channel -> aliases; merged over the defaults. */
  aliases: z.record(z.string().regex(/^[a-z0-9_]{1,40}$/), z.array(z.string().min(1))).default({}),
  /** Visitor ids that tell the channel when no UTM or source does. */
  visitorIds: z.record(z.string(), z.string()).default({ yclid: 'yandex_direct', gclid: 'google_ads', vkclid: 'vk_ads' }),
  holdout: z
    .strictObject({
      enabled: z.boolean().default(false),
      share: z.number().gt(0).lt(1).default(0.1),
      salt: z.string().min(1).default('svodka'),
      /** Contacts created from this day are in the experiment; their outcome is a won deal within `windowDays`. */
      since: z.iso.date().optional(),
      windowDays: z.int().min(1).max(365).default(30),
      /** The group label goes to this contact field (UF_CRM_SVODKA_<field> in Bitrix24). */
      field: z.string().regex(/^[A-Z0-9]{1,6}$/).default('GROUP'),
    })
    .default({ enabled: false, share: 0.1, salt: 'svodka', windowDays: 30, field: 'GROUP' }),
  /** Deal fields for channel, campaign and attributed cost; only deals created in the last `writeBackDays`. */
  writeBack: z
    .strictObject({
      enabled: z.boolean().default(true),
      policy: z.enum(['if_empty', 'if_changed']).default('if_changed'),
      days: z.int().min(1).max(365).default(30),
    })
    .default({ enabled: true, policy: 'if_changed', days: 30 }),
});
export type AdConfig = z.output<typeof adConfig>;
