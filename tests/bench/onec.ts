import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { CommerceMlOffersParser } from 'commerceml-parser';
import { SaxesParser } from 'saxes';
import { decodeXml } from '../../adapters/onec/parse/decode.js';
import { readCml } from '../../adapters/onec/parse/index.js';
import { recordsOf, type FileSummary } from '../../adapters/onec/records.js';
import { applyCml } from '../../src/onec/apply.js';
import { Store, type AccountStore, type Writer } from '../../src/store/index.js';
import { envInt, log, mib } from './measure.js';
import { freshDatabase } from './db.js';

const OFFERS = envInt('BENCH_ONEC_OFFERS', 200_000);
/** The commerceml-parser package reads ~2 MB/s: it gets this long, then its rate over what it read counts. */
const PACKAGE_SECONDS = envInt('BENCH_ONEC_PACKAGE_SECONDS', 60);
const TARGET_RATIO = 0.5;
const TARGET_RSS_MIB = 250;
const FILE_NAME = 'offers0_1.xml';
const here = fileURLToPath(import.meta.url);

// ---- The file: CommerceML 2.08 offers, 3 price types, 5 warehouses, every other offer a variant (GUID#GUID),
// ~2.1 KB an offer (200,000 offers ≈ 420 MB), written by 1C's layout: tabs, a line per element.

const guid = (prefix: string, i: number): string => `${prefix}-0000-4000-8000-${i.toString().padStart(12, '0')}`;
const PRICE_TYPES = [1, 2, 3].map((i) => guid('b1f0c0de', i));
const WAREHOUSES = [1, 2, 3, 4, 5].map((i) => guid('5c1ad000', i));

const head = `\ufeff<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" xmlns:xs="http://www.w3.org/2001/XMLSchema" ВерсияСхемы="2.08" ДатаФормирования="2025-01-01T00:00:00">
\t<ПакетПредложений СодержитТолькоИзменения="false">
\t\t<Ид>bench-catalog#</Ид>
\t\t<Наименование>Пакет предложений (Основной каталог товаров)</Наименование>
\t\t<ИдКаталога>bench-catalog</ИдКаталога>
\t\t<ИдКлассификатора>bench-catalog</ИдКлассификатора>
\t\t<ТипыЦен>
${PRICE_TYPES.map((id, i) => `\t\t\t<ТипЦены>\n\t\t\t\t<Ид>${id}</Ид>\n\t\t\t\t<Наименование>Цена ${i + 1}</Наименование>\n\t\t\t\t<Валюта>RUB</Валюта>\n\t\t\t</ТипЦены>`).join('\n')}
\t\t</ТипыЦен>
\t\t<Склады>
${WAREHOUSES.map((id, i) => `\t\t\t<Склад>\n\t\t\t\t<Ид>${id}</Ид>\n\t\t\t\t<Наименование>Склад ${i + 1}</Наименование>\n\t\t\t</Склад>`).join('\n')}
\t\t</Склады>
\t\t<Предложения>
`;
const tail = '\t\t</Предложения>\n\t</ПакетПредложений>\n</КоммерческаяИнформация>\n';

function offerXml(i: number): string {
  const product = `${i.toString(16).padStart(8, '0')}-1111-4000-8000-${i.toString().padStart(12, '0')}`;
  const variant = i % 2 === 1;
  const id = variant ? `${product}#${guid((i * 7).toString(16).padStart(8, '0'), i)}` : product;
  const t = '\t\t\t\t';
  const prices = PRICE_TYPES.map((pt, k) => {
    const amount = `${100 + ((i * (k + 3)) % 99_900)}.${String((i + k) % 100).padStart(2, '0')}`;
    return `${t}\t<Цена><ИдТипаЦены>${pt}</ИдТипаЦены><ЦенаЗаЕдиницу>${amount}</ЦенаЗаЕдиницу><Валюта>RUB</Валюта><Единица>шт</Единица><Коэффициент>1</Коэффициент></Цена>\n`;
  }).join('');
  const stock = WAREHOUSES.map((w, k) => ({ w, q: (i + k * 3) % 17 }));
  return `\t\t\t<Предложение>
${t}<Ид>${id}</Ид>
${t}<Штрихкод>46${i.toString().padStart(11, '0')}</Штрихкод>
${t}<Артикул>A-${i}</Артикул>
${t}<Наименование>Товар номер ${i} (размер ${40 + (i % 20)})</Наименование>
${t}<БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница>
${t}<Цены>
${prices}${t}</Цены>
${t}<Количество>${stock.reduce((a, s) => a + s.q, 0)}</Количество>
${stock.map((s) => `${t}<Склад ИдСклада="${s.w}" КоличествоНаСкладе="${s.q}"/>\n`).join('')}\t\t\t</Предложение>
`;
}

/** Writes the file in ~64 KB chunks, so that it is never held whole. */
export async function writeOffers(path: string, count: number): Promise<void> {
  async function* chunks(): AsyncGenerator<Buffer> {
    let batch = head;
    for (let i = 0; i < count; i++) {
      batch += offerXml(i);
      if (batch.length > 32_000) {
        yield Buffer.from(batch);
        batch = '';
      }
    }
    yield Buffer.from(batch + tail);
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), createWriteStream(path));
}

// ---- Memory: each phase runs in a process of its own, sampled every 100 ms.

class MemorySampler {
  peakRss = 0;
  peakHeap = 0;
  readonly startRss = process.memoryUsage.rss();
  readonly startHeap = process.memoryUsage().heapUsed;
  private readonly timer = setInterval(() => this.sample(), 100);

  constructor() {
    this.timer.unref();
    this.sample();
  }

  sample(): { rss: number; heap: number } {
    const m = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.peakHeap = Math.max(this.peakHeap, m.heapUsed);
    return { rss: m.rss, heap: m.heapUsed };
  }

  stop(): { peakRssMiB: number; startRssMiB: number; heapGrowthMiB: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakRssMiB: mib(this.peakRss), startRssMiB: mib(this.startRss), heapGrowthMiB: mib(this.peakHeap - this.startHeap) };
  }
}

export interface Pass {
  /** Bytes of the file read (all of it, except for a time-boxed package run). */
  bytes: number;
  seconds: number;
  /** MB = 10^6 bytes. */
  mbPerSec: number;
  startRssMiB: number;
  peakRssMiB: number;
  /** Highest heapUsed during the pass less heapUsed at its start. */
  heapGrowthMiB: number;
}

export interface ApplyPass extends Pass {
  summary: FileSummary;
  stored: { products: number; prices: number; stock: number };
  /** Time in the store's writer (upserts, deletes, the final reconcile) inside the one transaction. */
  writer: { upserts: number; upsertSeconds: number; reconcileSeconds: number; rssAtReconcileMiB: number; heapAtReconcileMiB: number };
}

type Phase = 'raw' | 'parse' | 'records' | 'apply' | 'package';
type PhaseResult = Pass & { count: number; complete?: boolean; apply?: Omit<ApplyPass, keyof Pass> };

export interface OnecResult {
  benchmark: 'onec-import';
  file: { offers: number; priceTypes: number; warehouses: number; mb: number; generateSeconds: number };
  /** saxes alone, with no-op handlers, over the text our decoder gives: the bound. */
  rawSax: Pass & { elements: number };
  /** readCml: items out of the file, no store. */
  parse: Pass & { offers: number; ratioToRaw: number };
  /** readCml + recordsOf: model records, no store. Not `records`: run.ts tells upsert results by that key. */
  mapped: Pass & { records: number; ratioToRaw: number };
  /** applyCml into a fresh Postgres database, one transaction for the file. */
  apply: ApplyPass & { ratioToRaw: number };
  /** The commerceml-parser package's offers parser, time-boxed. */
  commercemlParser: Pass & { version: string; offers: number; complete: boolean; timeBoxS: number; ratioToRaw: number };
  speedupOverPackage: number;
  targets: { ratioToRaw: number; peakRssMiB: number; ratioMet: boolean; rssMet: boolean };
  peakRssMiB: number;
  problems: string[];
  notes: string[];
}

const mbps = (bytes: number, ms: number): number => Math.round((bytes / 1e6 / Math.max(ms, 1)) * 1000 * 10) / 10;
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

function pass(bytes: number, t0: number, mem: MemorySampler): Pass {
  const ms = performance.now() - t0;
  return { bytes, seconds: round(ms / 1000, 1), mbPerSec: mbps(bytes, ms), ...mem.stop() };
}

async function rawSax(file: string): Promise<PhaseResult> {
  const mem = new MemorySampler();
  const t0 = performance.now();
  // The same options and decoding as CmlReader, and the three events it listens to, doing nothing.
  const p = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  let elements = 0;
  p.on('opentag', () => void (elements += 1));
  p.on('closetag', () => undefined);
  p.on('text', () => undefined);
  for await (const text of decodeXml(createReadStream(file))) p.write(text);
  p.close();
  return { ...pass(statSync(file).size, t0, mem), count: elements };
}

async function parseOnly(file: string): Promise<PhaseResult> {
  const mem = new MemorySampler();
  const t0 = performance.now();
  let offers = 0;
  for await (const item of readCml(createReadStream(file), { fileName: FILE_NAME })) if (item.type === 'offer') offers += 1;
  return { ...pass(statSync(file).size, t0, mem), count: offers };
}

async function recordsOnly(file: string): Promise<PhaseResult> {
  const mem = new MemorySampler();
  const t0 = performance.now();
  let records = 0;
  for await (const b of recordsOf(readCml(createReadStream(file), { fileName: FILE_NAME }), () => undefined)) records += b.records.length;
  return { ...pass(statSync(file).size, t0, mem), count: records };
}

/** The account store with its `together` writer timed, to tell the store's share and the end-of-file reconcile apart. */
function timed(acc: AccountStore, w: ApplyPass['writer'], mem: MemorySampler): AccountStore {
  const wrap = (inner: Writer): Writer => ({
    upsert: async (entity, records) => {
      const t = performance.now();
      const c = await inner.upsert(entity, records);
      w.upserts += 1;
      w.upsertSeconds += (performance.now() - t) / 1000;
      return c;
    },
    delete: (entity, ids) => inner.delete(entity, ids),
    keep: (entity, ids) => inner.keep(entity, ids),
    reconcileKept: async (entity, options) => {
      if (!w.reconcileSeconds) {
        const m = mem.sample();
        w.rssAtReconcileMiB = mib(m.rss);
        w.heapAtReconcileMiB = mib(m.heap);
      }
      const t = performance.now();
      const n = await inner.reconcileKept(entity, options);
      w.reconcileSeconds += (performance.now() - t) / 1000;
      return n;
    },
  });
  return new Proxy(acc, {
    get(target, prop) {
      if (prop === 'together') return <T>(fn: (w: Writer) => Promise<T>) => target.together((inner) => fn(wrap(inner)));
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}


async function applyToPostgres(file: string): Promise<PhaseResult> {
  const db = await freshDatabase();
  try {
    const store = await Store.open({ databaseUrl: db.url });
    try {
      await store.accounts.save({ id: 'bench', kind: 'onec', name: 'Bench 1C', settings: { login: 'onec' } });
      const acc = store.forAccount('bench');
      const writer = { upserts: 0, upsertSeconds: 0, reconcileSeconds: 0, rssAtReconcileMiB: 0, heapAtReconcileMiB: 0 };
      const progress = setInterval(() => log(`  apply: rss ${mib(process.memoryUsage.rss())} MiB, ${writer.upserts} upserts`), 10_000);
      const mem = new MemorySampler();
      const t0 = performance.now();
      try {
        const summary = await applyCml(timed(acc, writer, mem), createReadStream(file), FILE_NAME);
        const p = pass(statSync(file).size, t0, mem);
        const stored = { products: await acc.count('products'), prices: await acc.count('prices'), stock: await acc.count('stock') };
        writer.upsertSeconds = round(writer.upsertSeconds, 1);
        writer.reconcileSeconds = round(writer.reconcileSeconds, 1);
        return { ...p, count: summary.prices + summary.stockRows, apply: { summary, stored, writer } };
      } finally {
        clearInterval(progress);
        mem.stop();
      }
    } finally {
      await store.close();
    }
  } finally {
    await db.drop();
  }
}

async function packageParser(file: string): Promise<PhaseResult> {
  const mem = new MemorySampler();
  const t0 = performance.now();
  const deadline = t0 + PACKAGE_SECONDS * 1000;
  let bytes = 0;
  let complete = true;
  async function* boxed(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      if (performance.now() > deadline) {
        complete = false;
        return;
      }
      bytes += chunk.length;
      yield chunk;
    }
  }
  const parser = new CommerceMlOffersParser();
  let offers = 0;
  parser.onOffer(() => void (offers += 1));
  // Its documented use: a Readable it decodes itself (setEncoding('utf8')). A cut file simply ends there.
  await parser.parse(Readable.from(boxed(), { objectMode: false }));
  return { ...pass(bytes, t0, mem), count: offers, complete };
}

const phases: Record<Phase, (file: string) => Promise<PhaseResult>> = {
  raw: rawSax,
  parse: parseOnly,
  records: recordsOnly,
  apply: applyToPostgres,
  package: packageParser,
};

/** One phase in a process of its own (this file, forked), so that its peak RSS is its own. */
function runPhase(phase: Phase, file: string): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(here, ['--onec-phase', phase, file], { stdio: 'inherit' });
    let result: PhaseResult | undefined;
    child.on('message', (m) => (result = m as PhaseResult));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`onec ${phase} exited with code ${code} and no result`))));
  });
}

export async function onecBench(): Promise<OnecResult> {
  const file = join(os.tmpdir(), `svodka-bench-offers-${OFFERS}-${process.pid}.xml`);
  try {
    log(`  onec: writing ${OFFERS} offers to ${file}`);
    const g0 = performance.now();
    await writeOffers(file, OFFERS);
    const size = statSync(file).size;
    const generateSeconds = round((performance.now() - g0) / 1000, 1);
    log(`  onec: ${round(size / 1e6, 1)} MB in ${generateSeconds} s`);
    const run = async (phase: Phase): Promise<PhaseResult> => {
      const r = await runPhase(phase, file);
      log(`  onec ${phase}: ${r.mbPerSec} MB/s over ${round(r.bytes / 1e6, 1)} MB in ${r.seconds} s, count ${r.count}, peak RSS ${r.peakRssMiB} MiB, heap +${r.heapGrowthMiB} MiB`);
      return r;
    };
    const raw = await run('raw');
    const parsed = await run('parse');
    const records = await run('records');
    const applied = await run('apply');
    const pkg = await run('package');

    const apply = applied.apply;
    if (!apply) throw new Error('the apply phase returned no details');
    const applyPass = strip(applied);
    const ratio = (p: Pass): number => round(p.mbPerSec / raw.mbPerSec);
    const problems: string[] = [];
    const s = apply.summary;
    const variants = Math.floor(OFFERS / 2);
    const expect = { offers: OFFERS, prices: OFFERS * PRICE_TYPES.length, stockRows: OFFERS * WAREHOUSES.length };
    for (const [k, v] of Object.entries(expect)) {
      const got = s[k as keyof typeof expect];
      if (got !== v) problems.push(`summary ${k}: expected ${v}, got ${got}`);
    }
    const st = apply.stored;
    if (st.prices !== expect.prices || st.stock !== expect.stockRows || st.products !== variants) {
      problems.push(`stored ${JSON.stringify(st)}, expected prices ${expect.prices}, stock ${expect.stockRows}, products ${variants}`);
    }
    if (parsed.count !== OFFERS) problems.push(`readCml gave ${parsed.count} offers, expected ${OFFERS}`);
    if (pkg.complete && pkg.count !== OFFERS) problems.push(`commerceml-parser gave ${pkg.count} offers over the whole file, expected ${OFFERS}`);
    const applyRatio = ratio(applyPass);
    const ratioMet = applyRatio >= TARGET_RATIO;
    const rssMet = applyPass.peakRssMiB < TARGET_RSS_MIB;
    if (!ratioMet) problems.push(`target missed: parse and apply at ${applyRatio} of the raw SAX speed (target ${TARGET_RATIO})`);
    if (!rssMet) problems.push(`target missed: peak RSS ${applyPass.peakRssMiB} MiB while applying (target < ${TARGET_RSS_MIB} MiB)`);
    const pkgPass = strip(pkg);
    const complete = pkg.complete ?? true;
    return {
      benchmark: 'onec-import',
      file: { offers: OFFERS, priceTypes: PRICE_TYPES.length, warehouses: WAREHOUSES.length, mb: round(size / 1e6, 1), generateSeconds },
      rawSax: { ...strip(raw), elements: raw.count },
      parse: { ...strip(parsed), offers: parsed.count, ratioToRaw: ratio(parsed) },
      mapped: { ...strip(records), records: records.count, ratioToRaw: ratio(records) },
      apply: { ...applyPass, ...apply, ratioToRaw: applyRatio },
      commercemlParser: { ...pkgPass, version: packageVersion(), offers: pkg.count, complete, timeBoxS: PACKAGE_SECONDS, ratioToRaw: ratio(pkgPass) },
      speedupOverPackage: round(applyPass.mbPerSec / Math.max(pkgPass.mbPerSec, 0.01), 1),
      targets: { ratioToRaw: TARGET_RATIO, peakRssMiB: TARGET_RSS_MIB, ratioMet, rssMet },
      peakRssMiB: applyPass.peakRssMiB,
      problems,
      notes: [
        'Each pass runs in a process of its own over the same file; RSS and heap are sampled every 100 ms in that process. MB = 10^6 bytes.',
        `commerceml-parser: its offers parser on a Readable of the same file, stopped at the first chunk after ${PACKAGE_SECONDS} s when not done; its rate is over the bytes it was given (up to two 64 KiB chunks may sit unread in the stream's buffer).`,
        'apply: applyCml(store.forAccount(account), createReadStream(file)) into a fresh database; the whole file is one transaction, and the full snapshot ends with a reconcile per entity.',
      ],
    };
  } finally {
    rmSync(file, { force: true });
  }
}

const strip = ({ count: _c, complete: _d, apply: _a, ...p }: PhaseResult): Pass => p;

function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)('commerceml-parser/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

// ---- For run.ts: one line, the SUMMARY.md section, the command that reproduces it.

export function describeOnec(r: OnecResult): string {
  const a = r.apply;
  return `${r.file.mb} MB, ${r.file.offers.toLocaleString('en-US')} offers: raw SAX ${r.rawSax.mbPerSec} MB/s; readCml ${r.parse.mbPerSec} MB/s; apply ${a.mbPerSec} MB/s = ${a.ratioToRaw} of raw (${a.summary.prices.toLocaleString('en-US')} prices, ${a.summary.stockRows.toLocaleString('en-US')} stock rows in ${a.seconds} s); commerceml-parser ${r.commercemlParser.mbPerSec} MB/s (apply is ${r.speedupOverPackage}× that); peak RSS ${r.peakRssMiB} MiB`;
}

export function reproduceOnec(r: OnecResult): string {
  return `BENCH_ONEC_OFFERS=${r.file.offers} BENCH_ONEC_PACKAGE_SECONDS=${r.commercemlParser.timeBoxS} `;
}

export interface SavedOnec {
  name: string;
  date: string;
  commit: string;
  stealPct?: number;
  result: OnecResult;
}

export function summaryOnec(saved: readonly SavedOnec[]): string[] {
  const row = ({ name, date, commit, stealPct, result: r }: SavedOnec): string => {
    const a = r.apply;
    const p = r.commercemlParser;
    const status = r.problems.length ? `FAILED: ${r.problems.join('; ')}` : 'ok';
    return `| ${name} | ${r.file.offers.toLocaleString('en-US')} | ${r.file.mb} | ${r.rawSax.mbPerSec} | ${r.parse.mbPerSec} (${r.parse.ratioToRaw}) | ${r.mapped.mbPerSec} (${r.mapped.ratioToRaw}) | ${a.mbPerSec} (${a.ratioToRaw}) | ${a.seconds} | ${a.summary.prices.toLocaleString('en-US')} / ${a.summary.stockRows.toLocaleString('en-US')} | ${p.mbPerSec} over ${Math.round(p.bytes / 1e6)} MB${p.complete ? '' : ` (${p.timeBoxS} s box)`} | ${a.peakRssMiB} (heap +${a.heapGrowthMiB}) | ${date.slice(0, 16).replace('T', ' ')} UTC | ${commit} | ${stealPct === undefined ? '' : `${stealPct}%`} | ${status} |`;
  };
  return [
    '## 1C offers import',
    '',
    `A generated CommerceML 2.08 offers file (${PRICE_TYPES.length} price types, ${WAREHOUSES.length} warehouses, every other offer a GUID#GUID variant, each with ${PRICE_TYPES.length} prices and ${WAREHOUSES.length} \`Склад@КоличествоНаСкладе\`) on disk, read by each pass in a process of its own. Raw SAX: saxes with no-op handlers over the text our decoder gives, the bound. readCml: our parser, no store. Records: readCml + recordsOf. Apply: \`applyCml\` into a fresh Postgres database, one transaction for the file. commerceml-parser: the npm package's offers parser on the same file, time-boxed. MB/s with MB = 10^6 bytes; in brackets the share of the raw SAX speed. Targets: apply ≥ ${TARGET_RATIO} of raw SAX, peak RSS of the apply process < ${TARGET_RSS_MIB} MiB.`,
    '',
    '| Benchmark | Offers | File MB | Raw SAX MB/s | readCml MB/s | Records MB/s | Apply MB/s | Apply s | Prices / stock rows | commerceml-parser MB/s | Apply peak RSS MiB | Date | Commit | CPU steal | Status |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|---|',
    ...saved.map(row),
    '',
  ];
}

// ---- Forked by onecBench: `tsx bench/onec.ts --onec-phase <phase> <file>`.

if (process.argv[1] === here && process.argv[2] === '--onec-phase') {
  const phase = phases[process.argv[3] as Phase];
  const send = process.send?.bind(process);
  if (!phase || !send) throw new Error('--onec-phase is for onecBench itself');
  phase(process.argv[4] ?? '').then(
    (r) => send(r, undefined, undefined, (e) => process.exit(e ? 1 : 0)),
    (e: unknown) => {
      log(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(1);
    },
  );
}
