import { createHash } from 'node:crypto';
import type { AdPlatform } from './schema.js';

/** A campaign name as ids are derived from it: NFC, one space between words, lower case. */
export function canonicalName(name: string): string {
  return name.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase();
}

/**
 * The id of a campaign whose file gives only its name: the same for the same platform and name in
 * every file and every import ("name-" and 24 hex digits of SHA-256), so re-imports update, not add.
 */
export function derivedCampaignId(platform: AdPlatform, name: string): string {
  const digest = createHash('sha256').update(`${platform}\u0000${canonicalName(name)}`, 'utf8').digest('hex');
  return `name-${digest.slice(0, 24)}`;
}
