#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { SvodkaError } from '../sdk/errors.js';
import { accountsCommand } from './commands/accounts.js';
import { connectAmocrmCommand, connectBitrix24Command } from './commands/connect.js';
import { syncCommand } from './commands/sync.js';
import { onecCredentialsCommand, onecImportCommand } from './commands/onec.js';
import { exportCommand } from './commands/export.js';
import { roleCommand } from './commands/roles.js';
import { runCommand, undoCommand } from './commands/run.js';
import { importSpendCommand } from './commands/import-spend.js';
import { fetchSpendCommand, type FetchSpendOptions } from './commands/fetch-spend.js';
import { dashboardLinkCommand } from './commands/dashboard.js';
import { fail } from './output.js';

const program = new Command('svodka')
  .description('Analytics for the CRM you already have: Bitrix24, amoCRM and 1C in one model')
  .option('--json', 'print one JSON value on stdout; logs go to stderr')
  .showHelpAfterError()
  .exitOverride();

const json = (): boolean => Boolean(program.opts<{ json?: boolean }>().json);

program
  .command('start')
  .description('server and worker in one process (embedded database and queue unless DATABASE_URL / REDIS_URL)')
  .action(() => roleCommand('start', json()));
program.command('serve').description('the HTTP role: webhooks, dashboard, health').action(() => roleCommand('serve', json()));
program.command('worker').description('the job role: sync, plugins, write-back').action(() => roleCommand('worker', json()));
const connect = program.command('connect').description('connect a CRM account');
connect
  .command('bitrix24')
  .description('connect a Bitrix24 portal by its inbound webhook URL; prints the account id')
  .requiredOption('--webhook <url>', 'https://<portal>/rest/<user id>/<key>/')
  .option('--per-second <n>', "the portal's request rate (2; 5 on Enterprise)")
  .option('--burst <n>', "the portal's burst (50; 250 on Enterprise)")
  .option('--events-token <token>', "the application token of the portal's outbound webhook, to accept its events")
  .action((opts: { webhook: string; perSecond?: string; burst?: string; eventsToken?: string }) => connectBitrix24Command(opts, json()));
connect
  .command('amocrm')
  .description('connect an amoCRM account with a long-lived token (private integration); prints the account id')
  .requiredOption('--base-url <url>', 'https://<subdomain>.amocrm.ru')
  .requiredOption('--token <token>', 'the long-lived token of a private integration')
  .action((opts: { baseUrl: string; token: string }) => connectAmocrmCommand(opts, json()));
program
  .command('sync')
  .description('sync an account now; --json prints {"account","counts","requests","seconds"}')
  .option('--account <id>', 'account id (may be left out when there is exactly one)')
  .option('--full', 'read everything again instead of what changed')
  .action((opts: { account?: string; full?: boolean }) => syncCommand(opts, json()));
const onec = program.command('1c').description('1C:Enterprise: CommerceML files and the exchange');
onec
  .command('import')
  .description('apply CommerceML files (xml or zip) as the exchange would; creates a local 1C account if there is none')
  .argument('<files...>', 'import*.xml, offers*.xml, prices*.xml, rests*.xml or a zip of them')
  .option('--account <id>', '1C account id (may be left out when there is at most one)')
  .action((files: string[], opts: { account?: string }) => onecImportCommand(files, opts, json()));
onec
  .command('credentials')
  .description('print the URL, login and password to enter in 1C')
  .option('--account <id>', '1C account id')
  .action((opts: { account?: string }) => onecCredentialsCommand(opts, json()));
program
  .command('run')
  .description('run a plugin (dry run unless --apply); --json prints {"plugin","account","runId","results","writes"}')
  .argument('<plugin>', 'ad-analytics, stale-data, kpi, forecast')
  .option('--account <id>', 'account id (may be left out when there is exactly one)')
  .option('--apply', 'send the planned writes to the CRM')
  .option('--set <key=value...>', "a setting for this run only (the plugin's README lists them)")
  .action((plugin: string, opts: { account?: string; apply?: boolean; set?: string[] }) => runCommand(plugin, opts, json()));
program
  .command('undo')
  .description("take back an applied plugin run: reassigned records go back to their previous owners")
  .argument('<run-id>', 'the run id `svodka run` printed')
  .option('--account <id>', 'account id (may be left out when there is exactly one)')
  .action((runId: string, opts: { account?: string }) => undoCommand(runId, opts, json()));
program
  .command('dashboard')
  .description('the dashboard outside the CRM')
  .command('link')
  .description('print a sign-in link (valid 7 days): as a CRM user with their role, or as the account admin')
  .option('--account <id>', 'account id (may be left out when there is exactly one)')
  .option('--user <id>', 'the CRM user id to sign in as (default: the account admin)')
  .option('--lang <lang>', 'ru or en')
  .action((opts: Record<string, unknown>) => dashboardLinkCommand(opts, json()));
program
  .command('fetch')
  .description('fetch data from ad platform APIs')
  .command('spend')
  .description('daily ad spend from the Yandex Direct Reports API or VK Ads statistics into the account; --json prints the counts')
  .requiredOption('--platform <name>', 'yandex_direct or vk_ads')
  .requiredOption('--token-env <var>', 'environment variable holding the OAuth token (the token itself is never an argument)')
  .requiredOption('--from <day>', 'first day, YYYY-MM-DD')
  .requiredOption('--to <day>', 'last day, YYYY-MM-DD (inclusive)')
  .option('--client-login <login>', "Yandex Direct: the advertiser's login when an agency's token is used")
  .option('--sandbox', 'Yandex Direct: use the API sandbox')
  .option('--vk-level <level>', 'VK Ads: ad_plans (campaigns, default) or campaigns (myTarget-era objects)')
  .option('--currency <code>', "the account's currency (RUB)")
  .option('--account <id>', 'account id (may be left out when there is exactly one)')
  .action((opts: FetchSpendOptions) => fetchSpendCommand(opts, json()));
program
  .command('import')
  .description('import data from files')
  .command('spend')
  .description('ad spend report exports (Yandex Direct, VK Ads, generic CSV) into the account; --json prints the counts')
  .argument('<files...>', 'CSV, TSV or XLSX files')
  .option('--account <id>', 'account id (may be left out when there is exactly one)')
  .option('--platform <name>', 'yandex_direct, vk_ads or other, when the file does not say')
  .option('--currency <code>', 'the currency when the file does not say (RUB)')
  .action((files: string[], opts: { account?: string; platform?: string; currency?: string }) => importSpendCommand(files, opts, json()));
program.command('accounts').description('list connected accounts').action(() => accountsCommand(json()));
program
  .command('export')
  .description('write one entity of the common model as CSV (Excel-friendly) or JSON')
  .argument('<entity>', 'deals, leads, contacts, ... (the model entities)')
  .option('--account <id>', 'account id (may be left out when there is exactly one)')
  .option('--format <format>', 'csv or json', 'csv')
  .option('--delimiter <char>', "',' or ';' (';' also writes decimals with a comma, for Excel in Russian)", ',')
  .option('--out <file>', 'write to a file instead of stdout')
  .action((entity: string, opts: Record<string, unknown>) => exportCommand({ ...opts, entity }));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0) process.exit(0);
    fail(new SvodkaError('usage', e.message.replace(/^error: /, '')), json());
  }
  fail(e, json());
}
