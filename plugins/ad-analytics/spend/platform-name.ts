import type { AdPlatform } from './schema.js';

// What people write in the platform column of a generic file.
const NAMES: [RegExp, AdPlatform][] = [
  [/^(yandex[ _.-]?direct|yandex|direct|яндекс([ .]?директ)?|директ|ya|ydirect)$/u, 'yandex_direct'],
  [/^(vk[ _.-]?ads|vk|вк|vk[ _]?реклама|вк[ _]?реклама|mytarget|my[ _]?target|vkontakte|вконтакте)$/u, 'vk_ads'],
  [/^(google[ _.-]?ads|google|adwords)$/u, 'google_ads'],
  [/^(avito|авито)$/u, 'avito'],
  [/^(telegram[ _.-]?ads|telegram|tg[ _]?ads|телеграм)$/u, 'telegram_ads'],
  [/^(other|другое|прочее)$/u, 'other'],
];

/** The platform a generic file's cell names, or undefined when the name is not one we know. */
export function platformFromName(value: string): AdPlatform | undefined {
  const s = value.trim().toLowerCase().replace(/\s+/gu, ' ');
  for (const [re, platform] of NAMES) if (re.test(s)) return platform;
  return undefined;
}

export const KNOWN_PLATFORM_NAMES = 'yandex_direct, vk_ads, google_ads, avito, telegram_ads, other';
