import { oneOf, type Layout } from './layout.js';

const isCost = (h: string) => /^(потрачено|расход|списано)(\s|,|\(|$)/u.test(h);

/**
 * VK Ads (ads.vk.com, formerly myTarget) statistics exported as CSV or XLSX: Дата, ID кампании,
 * Кампания or "Название кампании", Показы, Клики, Потрачено or Расход (the currency in the header or
 * a Валюта column), with a total line.
 */
export const vkAdsLayout: Layout = {
  id: 'vk_ads',
  platform: 'vk_ads',
  columns: {
    date: oneOf('дата', 'день'),
    campaignId: oneOf('id кампании', 'id', 'идентификатор кампании'),
    campaignName: oneOf('название кампании', 'кампания', 'название'),
    cost: isCost,
    clicks: oneOf('клики'),
    impressions: oneOf('показы'),
    currency: oneOf('валюта'),
  },
  score: (headers) =>
    (headers.some((h) => /^(потрачено|списано)/u.test(h)) ? 3 : 0) +
    (headers.some((h) => h === 'id кампании' || h === 'идентификатор кампании') ? 1 : 0) +
    (headers.includes('название кампании') ? 1 : 0),
  cost: 'amount',
  currencyInHeader: true,
};
