import { Rng } from '../../bitrix24/rng.js';
import { Table } from '../../bitrix24/table.js';
import * as n from '../../bitrix24/names.js';
import type { AmocrmData, CatalogElement } from '../types.js';
import { buildElements, buildNotes, buildTasks, buildUnsorted } from './activity.js';
import { EventLog } from './event-log.js';
import { buildLeads } from './leads.js';
import { buildCompanies, buildContacts, fieldLookup } from './people.js';
import { buildCatalogs, buildFields, buildLossReasons, buildPipelines, buildTags, buildUsers } from './setup.js';

export interface DataOptions {
  seed: number;
  users: number;
  inactiveUsers: number;
  pipelines: number;
  leads: number;
  contacts: number;
  companies: number;
  tasks: number;
  notes: number;
  /** A floor: if history and notes give fewer events, extra call notes (with their events) fill the gap. */
  events: number;
  catalogElements: number;
  /** End of generated history, unix seconds. */
  anchor: number;
}

/** The whole account from one seed; each part draws from its own PRNG stream. */
export function generateData(o: DataOptions): AmocrmData {
  const stream = (k: number) => new Rng((o.seed * 7919 + k * 104_729) >>> 0);
  const idRng = stream(1);
  const word = n.latin(idRng.pick(n.companyWords)).replace(/[^a-z]/g, '') || 'sandbox';
  const subdomain = `${word}${idRng.int(10, 99)}`;
  const accountId = idRng.int(28_000_000, 32_000_000);
  const { groups, users } = buildUsers(stream(2), o.users, Math.min(o.inactiveUsers, Math.max(0, o.users - 1)));
  const admin = (users.rows[0] as { id: number }).id;
  const pipelines = buildPipelines(stream(3), o.pipelines);
  const catalogs = buildCatalogs(stream(4), o.anchor, admin);
  const products = catalogs[0] as AmocrmData['catalogs'][number];
  const { fields, nextFieldId, nextEnumId } = buildFields(stream(5), products.id);
  const ids = fieldLookup(fields);
  const tags = buildTags(stream(6));
  const lossReasons = buildLossReasons(stream(7), o.anchor);
  const elements = buildElements(stream(8), o.catalogElements, products, ids, admin);
  const companies = buildCompanies(stream(9), o.anchor, o.companies, users.rows, ids);
  const contacts = buildContacts(stream(10), o.anchor, o.contacts, users.rows, ids, companies);
  const { leads, events } = buildLeads(stream(11), o.anchor, o.leads, { users: users.rows, pipelines, lossReasons, tags, contacts, companies, elements, ids });
  const tasks = buildTasks(stream(12), o.anchor, o.tasks, leads.rows);
  for (const t of tasks.rows) {
    if (t.isCompleted || t.entityId === null) continue;
    const lead = leads.get(t.entityId);
    if (lead && (lead.closestTaskAt === null || t.completeTill < lead.closestTaskAt)) lead.closestTaskAt = t.completeTill;
  }
  // Nine notes in ten leave an event, so an events floor above the natural count means more notes.
  const noteCount = Math.max(o.notes, Math.ceil((o.events - events.length) / 0.9));
  const { notes, events: noteEvents } = buildNotes(stream(13), o.anchor, noteCount, { leads: leads.rows, contacts: contacts.rows });
  const log = new EventLog();
  log.load(events.concat(noteEvents));
  const catalogElements = new Table<CatalogElement>();
  for (const e of elements) catalogElements.add(e);
  return {
    accountId,
    subdomain,
    name: subdomain,
    currentUserId: admin,
    anchor: o.anchor,
    groups,
    users,
    pipelines,
    lossReasons,
    fields,
    tags,
    leads,
    contacts,
    companies,
    tasks,
    notes,
    events: log,
    catalogs,
    catalogElements,
    unsorted: buildUnsorted(stream(14), leads.rows, pipelines),
    webhooks: [],
    next: { enumId: nextEnumId, fieldId: nextFieldId, webhookId: stream(15).int(800_000, 900_000) },
  };
}
