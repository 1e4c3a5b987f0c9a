import { boundEvents } from '../../adapters/bitrix24/events.js';
import { bitrix24App } from './app.js';

/** Prints what to type into the Bitrix24 partner console, for the server at the given public URL. */
const base = (process.argv[2] ?? process.env.SVODKA_PUBLIC_URL ?? 'https://svodka.example.com').replace(/\/$/, '');
const out = {
  code: bitrix24App.code,
  title: bitrix24App.title,
  scopes: bitrix24App.scopes.join(','),
  installUrl: `${base}${bitrix24App.handlers.install}`,
  appUrl: `${base}${bitrix24App.handlers.app}`,
  appEventsUrl: `${base}${bitrix24App.handlers.appEvents}`,
  placements: bitrix24App.placements.map((p) => ({ ...p, handler: `${base}${p.path}` })),
  events: Object.keys(boundEvents),
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
