import { aggregate } from './aggregate.js';
import { parseCsv, separatorCandidates } from './csv-reader.js';
import { decodeText, sniffContainer } from './decode.js';
import { detectLayout, type Detected, type DetectFailure } from './detect-format.js';
import { Problems, SpendFileError } from './errors.js';
import { mapRows } from './map-rows.js';
import { parseSpendOptions, spendImport, type AdPlatform, type ParseSpendOptions, type SpendImport } from './schema.js';
import type { Table } from './table.js';
import { readXlsx } from './xlsx-reader.js';

export { SpendFileError, MAX_PROBLEMS, type SpendErrorCode, type SpendProblem } from './errors.js';
export { derivedCampaignId } from './campaign-id.js';
export {
  campaignRow,
  spendImport,
  spendRow,
  spendUtm,
  type CampaignRow,
  type ParseSpendOptions,
  type SpendFilePlatform,
  type SpendImport,
  type SpendRow,
  type SpendUtm,
} from './schema.js';

const LAYOUT_NAMES = 'a Yandex Direct Reports API TSV, a Yandex Direct web report, a VK Ads export, or the generic CSV (date, campaign, cost, ...)';

/**
 * Reads an advertising spend export (Yandex Direct Reports API TSV, Yandex Direct "Мастер отчётов"
 * CSV/XLSX, VK Ads CSV/XLSX, or svodka's generic CSV) into one row per campaign and day. The layout is
 * recognised by its header; lines of the same campaign and day are summed exactly; total lines are
 * skipped. Any bad value refuses the whole file with a SpendFileError listing up to 20 problems.
 */
export function parseSpendFile(bytes: Buffer, options: ParseSpendOptions): SpendImport {
  const opts = checkOptions(options);
  const name = opts.fileName;
  const tables = readTables(bytes, name);
  let failure: DetectFailure = { ok: false, kind: 'unknown' };
  let found: { table: Table; detected: Detected } | undefined;
  for (const table of tables()) {
    const d = detectLayout(table, opts);
    if (d.ok) {
      found = { table, detected: d };
      break;
    }
    if (rank(d) > rank(failure)) failure = d;
  }
  if (!found) throw detectError(failure, name);
  const { table, detected } = found;
  const fixed = detected.layout.platform;
  // "other" claims nothing about a layout that names its platform; yandex_direct or vk_ads must agree with it.
  if (opts.platform && opts.platform !== 'other' && fixed && opts.platform !== fixed) {
    throw new SpendFileError('spend_platform_mismatch', `${name}: this is a ${detected.layout.id} report (platform ${fixed}), but platform ${opts.platform} was given`);
  }
  const problems = new Problems();
  const { entries, skipped } = mapRows(table, detected, opts, problems);
  const { rows, campaigns } = aggregate(entries, problems);
  problems.throwIfAny(name);
  const platforms = new Set(rows.map((r) => r.platform));
  const platform: AdPlatform = fixed ?? (platforms.size === 1 ? [...platforms][0] : undefined) ?? opts.platform ?? 'other';
  return spendImport.parse({ platform, format: `${detected.layout.id}_${table.container}`, rows, campaigns, skipped });
}

function checkOptions(options: ParseSpendOptions): ParseSpendOptions {
  const r = parseSpendOptions.safeParse(options);
  if (r.success) return r.data;
  const why = r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
  throw new SpendFileError('spend_bad_options', `bad options for parseSpendFile: ${why}`);
}

/** The file as tables to look for a header in: each sheet of a workbook, or the text under each likely separator. */
function readTables(bytes: Buffer, name: string): () => Iterable<Table> {
  const kind = sniffContainer(bytes);
  if (kind === 'ole') {
    throw new SpendFileError('spend_unsupported_file', `${name}: this is an old Excel .xls file; save it as .xlsx or .csv and upload again`);
  }
  if (kind === 'zip') {
    const sheets = readXlsx(bytes, name);
    return () => sheets;
  }
  const { text } = decodeText(bytes);
  if (text.trim() === '') throw new SpendFileError('spend_empty_file', `${name}: the file is empty`);
  return function* () {
    for (const sep of separatorCandidates(text)) {
      yield { rows: parseCsv(text, sep, name), container: sep === '\t' ? 'tsv' : 'csv' };
    }
  };
}

function rank(f: DetectFailure): number {
  return f.kind === 'ambiguous' ? 3 : f.kind === 'missing' ? 2 : 1;
}

function detectError(f: DetectFailure, name: string): SpendFileError {
  if (f.kind === 'ambiguous') {
    const which = f.layouts.map((l) => l.id).join(' or ');
    return new SpendFileError(
      'spend_ambiguous_format',
      `${name}: line ${f.line}: the header fits ${which} equally well; say which platform the file is from`,
      [{ line: f.line, message: `the header fits ${which}` }],
    );
  }
  if (f.kind === 'missing') {
    const what = f.missing.join(', ');
    return new SpendFileError(
      'spend_missing_column',
      `${name}: line ${f.line} looks like the header of ${f.layout.id} but has no ${what} column`,
      [{ line: f.line, message: `no ${what} column` }],
    );
  }
  return new SpendFileError('spend_unknown_format', `${name}: no header of a known spend report in the first 40 lines; expected ${LAYOUT_NAMES}`, [
    { line: 1, message: 'unknown header' },
  ]);
}
