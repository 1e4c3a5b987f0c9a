import { readFileSync } from 'node:fs';

/** A documented Bitrix24 response (tests/fixtures/bitrix24/docs), as the portal sends it. */
export function docs<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/bitrix24/docs/${name}`, import.meta.url), 'utf8')) as T;
}
