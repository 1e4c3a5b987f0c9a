import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseSpendFile, type SpendFilePlatform } from '../../../plugins/ad-analytics/spend/index.js';
import { spendRecords } from '../../../plugins/ad-analytics/spend/api/spend-records.js';
import { ValidationError } from '../../sdk/errors.js';
import { cliEnv, openStore, resolveAccount } from '../context.js';
import { emit } from '../output.js';

export interface ImportSpendOptions {
  account?: string;
  platform?: string;
  currency?: string;
}

/**
 * `svodka import spend FILE...`: ad platform report exports into the account's campaigns and daily
 * spend, all files in one transaction. Re-importing the same report changes nothing; a newer report
 * of the same days replaces their figures.
 */
export async function importSpendCommand(files: string[], o: ImportSpendOptions, json: boolean): Promise<void> {
  if (o.platform && !['yandex_direct', 'vk_ads', 'other'].includes(o.platform)) {
    throw new ValidationError(`--platform: yandex_direct, vk_ads or other, not ${o.platform}`);
  }
  const parsed = files.map((f) => {
    const path = resolve(f);
    if (!existsSync(path) || !statSync(path).isFile()) throw new ValidationError(`нет такого файла / no such file: ${f}`);
    return { file: f, report: parseSpendFile(readFileSync(path), { fileName: basename(path), ...(o.platform ? { platform: o.platform as SpendFilePlatform } : {}), ...(o.currency ? { currency: o.currency } : {}) }) };
  });
  const { env } = cliEnv();
  const store = await openStore(env);
  try {
    const account = await resolveAccount(store, o.account);
    const counts = await store.forAccount(account).together(async (w) => {
      const records = parsed.map(({ report }) => spendRecords(report));
      const campaigns = records.flatMap((r) => r.campaigns);
      const spend = records.flatMap((r) => r.spend);
      return { campaigns: await w.upsert('ad_campaigns', campaigns), spend: await w.upsert('ad_spend', spend) };
    });
    const out = {
      account,
      files: parsed.map(({ file, report }) => ({ file, platform: report.platform, format: report.format, rows: report.rows.length, campaigns: report.campaigns.length, skipped: report.skipped.length })),
      campaigns: counts.campaigns,
      spend: counts.spend,
    };
    emit(json, out, () =>
      [
        ...out.files.map((f) => `${f.file}: ${f.format}, ${f.rows} day(s) of ${f.campaigns} campaign(s), ${f.skipped} line(s) skipped`),
        `spend: ${counts.spend.inserted} new, ${counts.spend.updated} changed, ${counts.spend.unchanged} unchanged`,
      ].join('\n'),
    );
  } finally {
    await store.close();
  }
}
