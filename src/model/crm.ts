import { z } from 'zod';
import { defineEntity } from './entity.js';
import { count, currency, decimal, attributes, instant, integer, ref, text, texts } from './primitives.js';

export const stageSemantics = z.enum(['open', 'won', 'lost']);
export const activityKind = z.enum(['call', 'email', 'meeting', 'task', 'message']);
export const activityDirection = z.enum(['incoming', 'outgoing']);
export const ownerType = z.enum(['lead', 'deal', 'contact', 'company']);
export const funnelEntity = z.enum(['lead', 'deal']);

export const users = defineEntity(
  'users',
  {
    name: text,
    email: text.optional(),
    phone: text.optional(),
    position: text.optional(),
    /** false when the employee is dismissed or deactivated in the CRM. */
    active: z.boolean(),
    dismissedAt: instant.optional(),
    departmentIds: texts,
    /** The head this user reports to, when the source knows it. */
    managerId: ref.optional(),
    isAdmin: z.boolean().optional(),
    updatedAt: instant.optional(),
  },
  { updatedAt: 'updatedAt' },
);

export const departments = defineEntity('departments', {
  name: text,
  parentId: ref.optional(),
  headUserId: ref.optional(),
  sort: integer.optional(),
});

export const pipelines = defineEntity('pipelines', {
  entity: funnelEntity,
  name: text,
  sort: integer,
  isDefault: z.boolean(),
});

export const stages = defineEntity('stages', {
  entity: funnelEntity,
  /** Stage ids are unique only inside a pipeline in amoCRM: adapters build externalId from both. */
  pipelineId: ref,
  sourceStageId: text,
  name: text,
  semantics: stageSemantics,
  sort: integer,
  color: text.optional(),
});

/** Marks that tie a lead or deal to its ad source. */
const attribution = {
  sourceId: text.optional(),
  utmSource: text.optional(),
  utmMedium: text.optional(),
  utmCampaign: text.optional(),
  utmContent: text.optional(),
  utmTerm: text.optional(),
  /** yandexClientId, yclid, gclid, fbclid, b24trace, ... */
  visitorIds: attributes.optional(),
};

export const leads = defineEntity(
  'leads',
  {
    title: text,
    pipelineId: ref.optional(),
    stageId: ref,
    responsibleId: ref.optional(),
    contactId: ref.optional(),
    companyId: ref.optional(),
    amount: decimal.optional(),
    currency: currency.optional(),
    ...attribution,
    createdAt: instant,
    closedAt: instant.optional(),
    updatedAt: instant,
  },
  { updatedAt: 'updatedAt', indexes: ['responsibleId', 'createdAt'] },
);

export const deals = defineEntity(
  'deals',
  {
    title: text,
    pipelineId: ref,
    stageId: ref,
    amount: decimal,
    currency: currency,
    responsibleId: ref.optional(),
    contactId: ref.optional(),
    companyId: ref.optional(),
    leadId: ref.optional(),
    ...attribution,
    lossReason: text.optional(),
    tags: texts.optional(),
    createdAt: instant,
    /** The planned close date the manager set. */
    closeDate: instant.optional(),
    closedAt: instant.optional(),
    updatedAt: instant,
  },
  { updatedAt: 'updatedAt', indexes: ['stageId', 'responsibleId', 'contactId'] },
);

export const contacts = defineEntity(
  'contacts',
  {
    name: text,
    phones: texts,
    emails: texts,
    responsibleId: ref.optional(),
    companyId: ref.optional(),
    sourceId: text.optional(),
    createdAt: instant,
    updatedAt: instant,
  },
  { updatedAt: 'updatedAt' },
);

export const companies = defineEntity(
  'companies',
  {
    name: text,
    phones: texts,
    emails: texts,
    inn: text.optional(),
    responsibleId: ref.optional(),
    createdAt: instant,
    updatedAt: instant,
  },
  { updatedAt: 'updatedAt' },
);

export const activities = defineEntity(
  'activities',
  {
    kind: activityKind,
    direction: activityDirection.optional(),
    subject: text.optional(),
    ownerType: ownerType.optional(),
    ownerId: ref.optional(),
    responsibleId: ref.optional(),
    deadline: instant.optional(),
    completed: z.boolean(),
    completedAt: instant.optional(),
    durationSeconds: count.optional(),
    createdAt: instant,
    updatedAt: instant,
  },
  { updatedAt: 'updatedAt', indexes: ['ownerId', 'responsibleId'] },
);

export const stageChanges = defineEntity('stage_changes', {
  entity: funnelEntity,
  /** The lead or deal whose stage changed. */
  ownerId: ref,
  pipelineId: ref.optional(),
  fromStageId: ref.optional(),
  toStageId: ref,
  at: instant,
  byUserId: ref.optional(),
}, { indexes: ['ownerId'] });
