import { redactSecrets } from '../log/redact.js';
import { SvodkaError } from '../sdk/errors.js';

/** --json: one JSON value on stdout and nothing else there; logs and progress go to stderr. */
export function emit(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}

/** The one place the CLI turns an error into words and an exit code; no stack dump for expected failures. */
export function fail(e: unknown, json: boolean): never {
  const known = e instanceof SvodkaError;
  const code = known ? e.code : 'internal';
  const message = redactSecrets(e instanceof Error ? e.message : String(e));
  if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  process.stderr.write(`svodka: ${message}${known ? '' : `\n${redactSecrets((e as Error)?.stack ?? '')}`}\n`);
  process.exit(code === 'config_invalid' || code === 'usage' ? 2 : 1);
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (!rows.length) return '(none)';
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}
