import { z } from 'zod';
import { defineEntity } from './entity.js';
import { count, currency, day, decimal, text } from './primitives.js';

export const adPlatform = z.enum(['yandex_direct', 'vk_ads', 'google_ads', 'avito', 'telegram_ads', 'other']);

export const adCampaigns = defineEntity('ad_campaigns', {
  platform: adPlatform,
  name: text,
  status: text.optional(),
  /** The utm_campaign value links carry, when it differs from the name. */
  utmCampaign: text.optional(),
});

export const adSpend = defineEntity('ad_spend', {
  platform: adPlatform,
  campaignId: text,
  day,
  cost: decimal,
  currency,
  clicks: count,
  impressions: count,
});
