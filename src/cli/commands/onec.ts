import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { detectKind } from '../../../adapters/onec/parse/index.js';
import type { FileSummary } from '../../../adapters/onec/records.js';
import { onecCredentials, onecSettings } from '../../../adapters/onec/config.js';
import { onecAccount } from '../../onec/accounts.js';
import { applyCml } from '../../onec/apply.js';
import { zipEntry, zipNames } from '../../onec/zip.js';
import { ValidationError } from '../../sdk/errors.js';
import { cliEnv, openStore } from '../context.js';
import { emit, table } from '../output.js';

/** import before offers before prices before rests: what refers to what. */
const order = { import: 0, offers: 1, prices: 2, rests: 3 } as const;
const rank = (name: string) => {
  const base = basename(name).toLowerCase();
  const kind = detectKind(base) ?? (/^(import|offers|prices|rests)/.exec(base)?.[1] as keyof typeof order | undefined);
  return kind ? order[kind] : 4;
};

interface Planned {
  file: string;
  bytes: () => Promise<AsyncIterable<Buffer>>;
}

async function plan(files: string[]): Promise<Planned[]> {
  const out: Planned[] = [];
  for (const f of files) {
    const path = resolve(f);
    if (!existsSync(path) || !statSync(path).isFile()) throw new ValidationError(`нет такого файла / no such file: ${f}`);
    if (/\.zip$/i.test(path)) {
      const names = (await zipNames(path)).filter((n) => /\.xml$/i.test(n)).sort((a, b) => rank(a) - rank(b));
      if (!names.length) throw new ValidationError(`${f}: в архиве нет XML-файлов / the archive holds no XML file`);
      for (const n of names) out.push({ file: `${f}:${n}`, bytes: async () => (await zipEntry(path, n))! });
    } else {
      out.push({ file: f, bytes: async () => createReadStream(path) as AsyncIterable<Buffer> });
    }
  }
  return out.sort((a, b) => rank(a.file) - rank(b.file));
}

/** `svodka 1c import FILE...`: applies CommerceML files (xml or zip) as the exchange would, each all or nothing. */
export async function onecImportCommand(files: string[], o: { account?: string }, json: boolean): Promise<void> {
  const { env } = cliEnv();
  const store = await openStore(env);
  try {
    const planned = await plan(files);
    const account = await onecAccount(store, o.account);
    const results: ({ file: string } & Omit<FileSummary, 'kind' | 'deleted'>)[] = [];
    for (const p of planned) {
      let s: FileSummary;
      try {
        s = await applyCml(store.forAccount(account.id), await p.bytes(), basename(p.file));
      } catch (e) {
        const applied = results.length ? ` (applied before it: ${results.map((r) => r.file).join(', ')})` : '';
        throw new ValidationError(`${p.file}: ${(e as Error).message}${applied}`);
      }
      results.push({
        file: p.file,
        schemaVersion: s.schemaVersion,
        onlyChanges: s.onlyChanges,
        products: s.products,
        offers: s.offers,
        priceTypes: s.priceTypes,
        warehouses: s.warehouses,
        prices: s.prices,
        stockRows: s.stockRows,
      });
    }
    emit(json, { files: results }, () =>
      [`imported into ${account.id}${account.created ? ' (created)' : ''}`, table(results, ['file', 'schemaVersion', 'onlyChanges', 'products', 'offers', 'priceTypes', 'warehouses', 'prices', 'stockRows'])].join('\n'),
    );
  } finally {
    await store.close();
  }
}

/** `svodka 1c credentials`: what to type into 1C's exchange settings. */
export async function onecCredentialsCommand(o: { account?: string }, json: boolean): Promise<void> {
  const { env } = cliEnv();
  const store = await openStore(env);
  try {
    const account = await onecAccount(store, o.account);
    const a = (await store.accounts.get(account.id))!;
    const login = onecSettings.parse(a.settings).login;
    const { password, hmacKey } = onecCredentials.parse((await store.forAccount(account.id).secrets.read())?.value);
    const base = env.SVODKA_PUBLIC_URL?.replace(/\/$/, '') ?? `http://${env.HOST}:${env.PORT}`;
    const out = { account: account.id, url: `${base}/webhooks/onec/${account.id}/exchange`, login, password, jsonUrl: `${base}/webhooks/onec/${account.id}`, hmacKey };
    emit(json, out, () =>
      [
        `1C exchange for ${account.id}${account.created ? ' (created)' : ''}:`,
        `  адрес / URL:      ${out.url}`,
        `  логин / login:    ${login}`,
        `  пароль / password: ${password}`,
        `  JSON (HTTP-сервис / HTTP service): POST ${out.jsonUrl}, подпись / signature: X-Svodka-Signature = hex HMAC-SHA256(key, timestamp + "." + body), X-Svodka-Timestamp = unix seconds`,
        `  ключ / key:        ${hmacKey ?? '(none)'}`,
      ].join('\n'),
    );
  } finally {
    await store.close();
  }
}
