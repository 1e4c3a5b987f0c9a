import type { Table } from '../bitrix24/table.js';
import type { EventLog } from './data/event-log.js';

// Rows keep the wire's own names where that costs nothing; times are unix seconds, as on the wire.

export interface Group {
  id: number;
  name: string;
}

export interface User {
  id: number;
  name: string;
  email: string;
  lang: string;
  isActive: boolean;
  isAdmin: boolean;
  groupId: number | null;
  roleId: number | null;
}

export interface Status {
  id: number;
  name: string;
  sort: number;
  pipelineId: number;
  color: string;
  /** 1 = unsorted ("Неразобранное"), 0 = any other status, 142 and 143 included. */
  type: 0 | 1;
  isEditable: boolean;
}

export interface Pipeline {
  id: number;
  name: string;
  sort: number;
  isMain: boolean;
  isArchive: boolean;
  statuses: Status[];
}

export interface LossReason {
  id: number;
  name: string;
  sort: number;
  createdAt: number;
}

export type FieldEntity = 'leads' | 'contacts' | 'companies' | 'catalogs';

export interface FieldEnum {
  id: number;
  value: string;
  sort: number;
}

export interface CustomField {
  id: number;
  entity: FieldEntity;
  catalogId: number | null;
  name: string;
  code: string | null;
  type: string;
  sort: number;
  isPredefined: boolean;
  isApiOnly: boolean;
  enums: FieldEnum[] | null;
}

export interface CfItem {
  value: string | number | boolean;
  enum_id?: number;
  enum_code?: string;
}

/** Values of one field; name, code and type are looked up from the field at render time. */
export interface CfValue {
  fieldId: number;
  values: CfItem[];
}

export interface Tag {
  id: number;
  name: string;
  color: string | null;
}

interface Owned {
  id: number;
  responsibleUserId: number;
  groupId: number;
  createdBy: number;
  updatedBy: number;
  createdAt: number;
  updatedAt: number;
}

export interface Lead extends Owned {
  name: string;
  price: number;
  statusId: number;
  pipelineId: number;
  lossReasonId: number | null;
  closedAt: number | null;
  closestTaskAt: number | null;
  isDeleted: boolean;
  cf: CfValue[];
  tags: number[];
  /** Contact ids, the main contact first. */
  contacts: number[];
  companyId: number | null;
  catalogElements: { id: number; catalogId: number; quantity: number }[];
}

export interface Contact extends Owned {
  name: string;
  firstName: string;
  lastName: string;
  closestTaskAt: number | null;
  isDeleted: boolean;
  cf: CfValue[];
  tags: number[];
  companyId: number | null;
  leads: number[];
}

export interface Company extends Owned {
  name: string;
  closestTaskAt: number | null;
  isDeleted: boolean;
  cf: CfValue[];
  tags: number[];
  contacts: number[];
  leads: number[];
}

export type NoteEntity = 'leads' | 'contacts' | 'companies';

export interface Task extends Owned {
  entityId: number | null;
  entityType: NoteEntity | null;
  duration: number;
  isCompleted: boolean;
  taskTypeId: number;
  text: string;
  result: string | null;
  completeTill: number;
}

export interface Note extends Owned {
  entity: NoteEntity;
  entityId: number;
  noteType: string;
  params: Record<string, unknown>;
}

export type EventEntity = 'lead' | 'contact' | 'company';

export interface AmoEvent {
  id: string;
  type: string;
  entityType: EventEntity;
  entityId: number;
  createdBy: number;
  createdAt: number;
  /** Compact payload, read by type: status change [fromStatus, fromPipeline, toStatus, toPipeline]; responsible [from, to]; note [noteId]. */
  v: number[];
}

export interface Catalog {
  id: number;
  name: string;
  type: 'regular' | 'invoices' | 'products';
  sort: number;
  createdBy: number;
  createdAt: number;
  updatedAt: number;
}

export interface CatalogElement {
  id: number;
  catalogId: number;
  name: string;
  createdBy: number;
  updatedBy: number;
  createdAt: number;
  updatedAt: number;
  isDeleted: boolean;
  cf: CfValue[];
}

export interface Unsorted {
  uid: string;
  category: 'forms' | 'sip';
  sourceName: string;
  pipelineId: number;
  createdAt: number;
  leadId: number;
  contactId: number | null;
  metadata: Record<string, unknown>;
}

export interface Webhook {
  id: number;
  destination: string;
  settings: string[];
  sort: number;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  createdBy: number;
}

export interface AmocrmData {
  accountId: number;
  subdomain: string;
  name: string;
  /** The admin who installed the integration; the API acts as this user. */
  currentUserId: number;
  /** Where generated history ends, unix seconds. */
  anchor: number;
  groups: Group[];
  users: Table<User>;
  pipelines: Pipeline[];
  lossReasons: LossReason[];
  fields: Table<CustomField>;
  tags: Table<Tag>;
  leads: Table<Lead>;
  contacts: Table<Contact>;
  companies: Table<Company>;
  tasks: Table<Task>;
  notes: Table<Note>;
  events: EventLog;
  catalogs: Catalog[];
  catalogElements: Table<CatalogElement>;
  unsorted: Unsorted[];
  webhooks: Webhook[];
  /** Ids the next write will use, per kind. */
  next: { enumId: number; fieldId: number; webhookId: number };
}
