import type { Call } from '../context.js';
import type { Reply } from '../http.js';
import { getEvent, getTask, listCatalogs, listElements, listEvents, listNotes, listTasks, listUnsorted } from './activity.js';
import { getCompany, getContact, getLead, listCompanies, listContacts, listLeads } from './crm.js';
import { account, customFields, lossReasons, pipeline, pipelines, statuses, user, users } from './setup.js';
import { addHook, deleteHook, listHooks } from './webhooks.js';
import { patchElements, patchLeads, postFields, postNotes, postTasks } from './writes.js';

export interface Route {
  method: string;
  path: RegExp;
  handle: (c: Call) => Reply;
}

const r = (method: string, path: string, handle: Route['handle']): Route => ({ method, path: new RegExp(`^/api/v4/${path}$`), handle });
const ENTITY = '(?:leads|contacts|companies)';

/** Every endpoint the sandbox serves; order matters only where a literal segment could match `(\d+)`. */
export const routes: Route[] = [
  r('GET', 'account', account),
  r('GET', 'users', users),
  r('GET', 'users/(\\d+)', user),
  r('GET', 'leads/pipelines', pipelines),
  r('GET', 'leads/pipelines/(\\d+)', pipeline),
  r('GET', 'leads/pipelines/(\\d+)/statuses', statuses),
  r('GET', 'leads/loss_reasons', lossReasons),
  r('GET', 'leads/unsorted', listUnsorted),
  r('GET', `${ENTITY}/custom_fields`, customFields),
  r('POST', `${ENTITY}/custom_fields`, postFields),
  r('GET', 'catalogs/(\\d+)/custom_fields', customFields),
  r('GET', `${ENTITY}/notes`, listNotes),
  r('GET', `${ENTITY}/(\\d+)/notes`, listNotes),
  r('POST', `${ENTITY}/notes`, postNotes),
  r('POST', `${ENTITY}/(\\d+)/notes`, postNotes),
  r('GET', 'leads', listLeads),
  r('GET', 'leads/(\\d+)', getLead),
  r('PATCH', 'leads', patchLeads),
  r('PATCH', 'leads/(\\d+)', patchLeads),
  r('GET', 'contacts', listContacts),
  r('GET', 'contacts/(\\d+)', getContact),
  r('GET', 'companies', listCompanies),
  r('GET', 'companies/(\\d+)', getCompany),
  r('GET', 'tasks', listTasks),
  r('GET', 'tasks/(\\d+)', getTask),
  r('POST', 'tasks', postTasks),
  r('GET', 'events', listEvents),
  r('GET', 'events/([0-9a-z]+)', getEvent),
  r('GET', 'catalogs', listCatalogs),
  r('GET', 'catalogs/(\\d+)/elements', listElements),
  r('PATCH', 'catalogs/(\\d+)/elements', patchElements),
  r('GET', 'webhooks', listHooks),
  r('POST', 'webhooks', addHook),
  r('DELETE', 'webhooks', deleteHook),
];
