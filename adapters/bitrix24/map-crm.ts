import { z } from 'zod';
import type { ModelInput } from '../../src/model/index.js';
import { pipelineId, stageId } from './map-org.js';
import { currencyCode, flag, fullName, id, money, optionalId, optionalText, requiredWhen, when } from './values.js';

/** crm.item multi-fields: phones and e-mails. */
const fm = z
  .array(z.looseObject({ typeId: z.string(), value: z.union([z.string(), z.null()]) }))
  .optional()
  .nullable();

const values = (list: z.infer<typeof fm>, type: string): string[] =>
  (list ?? []).filter((f) => f.typeId === type && f.value).map((f) => f.value!.slice(0, 1000));

const utm = {
  sourceId: optionalText,
  utmSource: optionalText,
  utmMedium: optionalText,
  utmCampaign: optionalText,
  utmContent: optionalText,
  utmTerm: optionalText,
};

const marks = (i: { [K in keyof typeof utm]: string | undefined }) => ({
  sourceId: i.sourceId,
  utmSource: i.utmSource,
  utmMedium: i.utmMedium,
  utmCampaign: i.utmCampaign,
  utmContent: i.utmContent,
  utmTerm: i.utmTerm,
});

const rawLead = z.looseObject({
  id,
  title: z.string().nullish(),
  stageId: z.string().min(1),
  assignedById: optionalId,
  contactId: optionalId,
  companyId: optionalId,
  opportunity: money,
  currencyId: currencyCode,
  ...utm,
  createdTime: requiredWhen,
  updatedTime: requiredWhen,
  dateClosed: when,
});

export function mapLead(raw: unknown): ModelInput<'leads'> {
  const l = rawLead.parse(raw);
  return {
    externalId: l.id,
    title: l.title || `Лид #${l.id}`,
    pipelineId: pipelineId('lead', 0),
    stageId: stageId('lead', l.stageId),
    responsibleId: l.assignedById,
    contactId: l.contactId,
    companyId: l.companyId,
    amount: l.opportunity,
    currency: l.opportunity === undefined ? undefined : l.currencyId,
    ...marks(l),
    createdAt: l.createdTime,
    closedAt: l.dateClosed,
    updatedAt: l.updatedTime,
  };
}

const rawDeal = z.looseObject({
  id,
  title: z.string().nullish(),
  categoryId: z.coerce.number().int().nonnegative().default(0),
  stageId: z.string().min(1),
  opportunity: money,
  currencyId: z.string().regex(/^[A-Za-z]{3}$/, 'a currency code'),
  assignedById: optionalId,
  contactId: optionalId,
  companyId: optionalId,
  leadId: optionalId,
  ...utm,
  closed: flag.optional(),
  closedate: when,
  movedTime: when,
  createdTime: requiredWhen,
  updatedTime: requiredWhen,
});

export function mapDeal(raw: unknown): ModelInput<'deals'> {
  const d = rawDeal.parse(raw);
  return {
    externalId: d.id,
    title: d.title || `Сделка #${d.id}`,
    pipelineId: pipelineId('deal', d.categoryId),
    stageId: stageId('deal', d.stageId),
    amount: d.opportunity ?? '0',
    currency: d.currencyId.toUpperCase(),
    responsibleId: d.assignedById,
    contactId: d.contactId,
    companyId: d.companyId,
    leadId: d.leadId,
    ...marks(d),
    createdAt: d.createdTime,
    closeDate: d.closedate,
    // A closed deal moved to its final stage last: that move is when it closed.
    closedAt: d.closed ? (d.movedTime ?? d.closedate) : undefined,
    updatedAt: d.updatedTime,
  };
}

const rawContact = z.looseObject({
  id,
  name: optionalText,
  lastName: optionalText,
  secondName: optionalText,
  fm,
  assignedById: optionalId,
  companyId: optionalId,
  sourceId: optionalText,
  createdTime: requiredWhen,
  updatedTime: requiredWhen,
});

export function mapContact(raw: unknown): ModelInput<'contacts'> {
  const c = rawContact.parse(raw);
  return {
    externalId: c.id,
    name: fullName(c.lastName, c.name, c.secondName) || `Контакт #${c.id}`,
    phones: values(c.fm, 'PHONE'),
    emails: values(c.fm, 'EMAIL'),
    responsibleId: c.assignedById,
    companyId: c.companyId,
    sourceId: c.sourceId,
    createdAt: c.createdTime,
    updatedAt: c.updatedTime,
  };
}

const rawCompany = z.looseObject({
  id,
  title: optionalText,
  fm,
  assignedById: optionalId,
  createdTime: requiredWhen,
  updatedTime: requiredWhen,
});

export function mapCompany(raw: unknown): ModelInput<'companies'> {
  const c = rawCompany.parse(raw);
  return {
    externalId: c.id,
    name: c.title || `Компания #${c.id}`,
    phones: values(c.fm, 'PHONE'),
    emails: values(c.fm, 'EMAIL'),
    responsibleId: c.assignedById,
    createdAt: c.createdTime,
    updatedAt: c.updatedTime,
  };
}

const owners = { '1': 'lead', '2': 'deal', '3': 'contact', '4': 'company' } as const;

/** TYPE_ID 1 meeting, 2 call, 3 task, 4 e-mail; 6 is a provider's activity, read by its PROVIDER_ID. */
function activityKind(type: string, provider: string | undefined): 'call' | 'email' | 'meeting' | 'task' | 'message' {
  if (type === '1') return 'meeting';
  if (type === '2') return 'call';
  if (type === '4') return 'email';
  if (type === '3') return 'task';
  const p = provider ?? '';
  if (/CALL|VOXIMPLANT/.test(p)) return 'call';
  if (/EMAIL/.test(p)) return 'email';
  if (/MEETING/.test(p)) return 'meeting';
  if (/IMOPENLINES|SMS|NOTIFICATION|WHATSAPP|TELEGRAM|MESSAGE/.test(p)) return 'message';
  return 'task';
}

const rawActivity = z.looseObject({
  ID: id,
  OWNER_TYPE_ID: z.coerce.string().optional(),
  OWNER_ID: optionalId,
  TYPE_ID: z.coerce.string(),
  PROVIDER_ID: optionalText,
  DIRECTION: z.coerce.string().optional(),
  SUBJECT: optionalText,
  RESPONSIBLE_ID: optionalId,
  DEADLINE: when,
  COMPLETED: flag,
  CREATED: requiredWhen,
  LAST_UPDATED: requiredWhen,
});

export function mapActivity(raw: unknown): ModelInput<'activities'> {
  const a = rawActivity.parse(raw);
  const ownerType = a.OWNER_TYPE_ID ? owners[a.OWNER_TYPE_ID as keyof typeof owners] : undefined;
  return {
    externalId: a.ID,
    kind: activityKind(a.TYPE_ID, a.PROVIDER_ID),
    direction: a.DIRECTION === '1' ? 'incoming' : a.DIRECTION === '2' ? 'outgoing' : undefined,
    subject: a.SUBJECT,
    ownerType,
    ownerId: ownerType ? a.OWNER_ID : undefined,
    responsibleId: a.RESPONSIBLE_ID,
    // Bitrix24 writes far-future placeholders (9999-...) for "no deadline" on some providers.
    deadline: a.DEADLINE && !a.DEADLINE.startsWith('9999') ? a.DEADLINE : undefined,
    completed: a.COMPLETED,
    createdAt: a.CREATED,
    updatedAt: a.LAST_UPDATED,
  };
}

/** crm.stagehistory.list; the pull adds `entityTypeId` (1 lead, 2 deal), which the item itself lacks. */
const rawHistory = z.looseObject({
  ID: id,
  TYPE_ID: z.coerce.number().int(),
  OWNER_ID: id,
  CREATED_TIME: requiredWhen,
  CATEGORY_ID: z.union([z.coerce.number().int(), z.null()]).optional(),
  STAGE_ID: optionalText,
  STATUS_ID: optionalText,
  entityTypeId: z.union([z.literal(1), z.literal(2)]),
});

export function mapStageChange(raw: unknown): ModelInput<'stage_changes'> | null {
  const h = rawHistory.parse(raw);
  const entity = h.entityTypeId === 1 ? 'lead' : 'deal';
  const to = entity === 'lead' ? (h.STATUS_ID ?? h.STAGE_ID) : h.STAGE_ID;
  if (!to) return null;
  return {
    externalId: `${entity}:${h.ID}`,
    entity,
    ownerId: h.OWNER_ID,
    pipelineId: pipelineId(entity, entity === 'lead' ? 0 : h.CATEGORY_ID),
    toStageId: stageId(entity, to),
    at: h.CREATED_TIME,
  };
}

/** crm.item.productrow.list; the pull adds the deal's `currencyId` (rows carry none). */
const rawRow = z.looseObject({
  id,
  ownerId: id,
  ownerType: z.string(),
  productId: optionalId,
  productName: z.string().nullish(),
  price: money,
  quantity: money,
  discountRate: money,
  taxRate: money,
  currencyId: z.string().regex(/^[A-Za-z]{3}$/, 'a currency code'),
});

export function mapDealItem(raw: unknown): ModelInput<'deal_items'> | null {
  const r = rawRow.parse(raw);
  if (r.ownerType !== 'D') return null;
  return {
    externalId: r.id,
    dealId: r.ownerId,
    productId: r.productId,
    name: r.productName || `#${r.productId ?? r.id}`,
    price: r.price ?? '0',
    currency: r.currencyId.toUpperCase(),
    quantity: r.quantity ?? '0',
    discount: r.discountRate,
    taxRate: r.taxRate,
  };
}
