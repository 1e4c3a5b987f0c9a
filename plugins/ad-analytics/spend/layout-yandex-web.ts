import { oneOf, type Layout } from './layout.js';

const isCost = (h: string) => /^расход(\s|,|\(|$)/u.test(h);

/**
 * Yandex Direct web interface, "Мастер отчётов" exported as CSV or XLSX: a few title lines, then a
 * Russian header (День or Дата, Кампания, № Кампании, Показы, Клики, "Расход (руб.)" or "Расход, ₽"),
 * the rows, and an "Итого" line. CSV is `;`- or tab-separated with a decimal comma.
 */
export const yandexWebLayout: Layout = {
  id: 'yandex_direct_web',
  platform: 'yandex_direct',
  columns: {
    date: oneOf('день', 'дата', 'дата показа'),
    campaignId: oneOf('№ кампании', 'n кампании', 'номер кампании', 'id кампании'),
    campaignName: oneOf('кампания', 'название кампании'),
    cost: isCost,
    clicks: oneOf('клики'),
    impressions: oneOf('показы'),
    currency: oneOf('валюта'),
  },
  score: (headers) =>
    (headers.some((h) => h === '№ кампании' || h === 'n кампании' || h === 'номер кампании') ? 3 : 0) +
    (headers.includes('день') ? 1 : 0) +
    (headers.some(isCost) ? 1 : 0),
  cost: 'amount',
  currencyInHeader: true,
};
