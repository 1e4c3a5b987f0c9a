import type { CrmItem, SandboxData } from '../data/types.js';
import { stageEntity } from '../data/stages.js';
import type { Field, Fields, Kind } from '../query.js';
import { isoOrNull } from '../time.js';

export const entityNames: Record<number, { name: string; uf: string; event: string }> = {
  1: { name: 'Лид', uf: 'CRM_LEAD', event: 'LEAD' },
  2: { name: 'Сделка', uf: 'CRM_DEAL', event: 'DEAL' },
  3: { name: 'Контакт', uf: 'CRM_CONTACT', event: 'CONTACT' },
  4: { name: 'Компания', uf: 'CRM_COMPANY', event: 'COMPANY' },
};

export function semanticOf(data: SandboxData, r: CrmItem): 'P' | 'S' | 'F' {
  if (!r.stageId) return 'P';
  const entity = r.entityTypeId === 1 ? 'STATUS' : stageEntity(r.categoryId);
  return data.semantics.get(`${entity}|${r.stageId}`) ?? 'P';
}

/** UF_CRM_2_1639669411830 -> ufCrm2_1639669411830, UF_CRM_1721244707107 -> ufCrm_1721244707107, UF_CRM_MY_FIELD -> ufCrmMyField. */
export function ufCamel(fieldName: string): string {
  const parts = fieldName.toLowerCase().split('_').slice(2);
  let out = 'ufCrm';
  parts.forEach((p, i) => {
    const digits = /^\d+$/.test(p);
    if (digits && /^\d+$/.test(parts[i + 1] ?? '')) out += p;
    else if (digits) out += `_${p}`;
    else out += p.charAt(0).toUpperCase() + p.slice(1);
  });
  return out;
}

const f = <R>(kind: Kind, get: (r: R) => unknown): Field<R> => ({ kind, get });
const yn = (v: boolean) => (v ? 'Y' : 'N');

function common(): Fields<CrmItem> {
  return {
    id: f('int', (r) => r.id),
    createdTime: f('date', (r) => r.createdTime),
    updatedTime: f('date', (r) => r.updatedTime),
    createdBy: f('int', (r) => r.createdBy),
    updatedBy: f('int', (r) => r.updatedBy),
    assignedById: f('int', (r) => r.assignedById),
    opened: f('yn', (r) => r.opened),
  };
}
const utm: Fields<CrmItem> = {
  utmSource: f('string', (r) => r.utmSource),
  utmMedium: f('string', (r) => r.utmMedium),
  utmCampaign: f('string', (r) => r.utmCampaign),
  utmContent: f('string', (r) => r.utmContent),
  utmTerm: f('string', (r) => r.utmTerm),
};
const person: Fields<CrmItem> = {
  name: f('string', (r) => r.name),
  secondName: f('string', (r) => r.secondName),
  lastName: f('string', (r) => r.lastName),
};
const fmField = f<CrmItem>('list', (r) => r.fm.map((m) => ({ id: m.id, valueType: m.valueType, value: m.value, typeId: m.typeId })));
const source: Fields<CrmItem> = {
  sourceId: f('string', (r) => r.sourceId),
  sourceDescription: f('string', (r) => r.sourceDescription),
};

function stage(data: SandboxData): Fields<CrmItem> {
  return {
    stageId: f('string', (r) => r.stageId),
    stageSemanticId: f('string', (r) => semanticOf(data, r)),
  };
}

/** Field specs of crm.item per entity type, in the order the docs' examples list them. */
export function itemFields(data: SandboxData, entityTypeId: number): Fields<CrmItem> {
  let fields: Fields<CrmItem>;
  if (entityTypeId === 2) {
    fields = {
      ...common(),
      leadId: f('int', (r) => r.leadId),
      companyId: f('int', (r) => r.companyId ?? 0),
      contactId: f('int', (r) => r.contactId ?? 0),
      quoteId: f('int', () => null),
      title: f('string', (r) => r.title),
      categoryId: f('int', (r) => r.categoryId),
      ...stage(data),
      isNew: f('yn', (r) => yn(r.movedTime === r.createdTime)),
      isRecurring: f('yn', () => 'N'),
      isReturnCustomer: f('yn', () => 'N'),
      isRepeatedApproach: f('yn', () => 'N'),
      closed: f('yn', (r) => yn(semanticOf(data, r) !== 'P')),
      typeId: f('string', (r) => r.typeId),
      opportunity: f('float', (r) => r.opportunity),
      isManualOpportunity: f('yn', () => 'N'),
      taxValue: f('float', () => 0),
      currencyId: f('string', (r) => r.currencyId),
      probability: f('int', () => null),
      comments: f('string', (r) => r.comments),
      begindate: f('date', (r) => r.begindate),
      closedate: f('date', (r) => r.closedate),
      ...source,
      movedBy: f('int', (r) => r.movedBy),
      movedTime: f('date', (r) => r.movedTime),
      ...utm,
      observers: f('list', () => []),
      contactIds: f('list', (r) => (r.contactId ? [r.contactId] : [])),
    };
  } else if (entityTypeId === 1) {
    fields = {
      ...common(),
      companyId: f('int', (r) => r.companyId ?? 0),
      contactId: f('int', (r) => r.contactId ?? 0),
      title: f('string', (r) => r.title),
      ...person,
      post: f('string', (r) => r.post),
      ...stage(data),
      isReturnCustomer: f('yn', () => 'N'),
      opportunity: f('float', (r) => r.opportunity),
      isManualOpportunity: f('yn', () => 'N'),
      currencyId: f('string', (r) => r.currencyId),
      comments: f('string', (r) => r.comments),
      ...source,
      movedBy: f('int', (r) => r.movedBy),
      movedTime: f('date', (r) => r.movedTime),
      ...utm,
      observers: f('list', () => []),
      contactIds: f('list', (r) => (r.contactId ? [r.contactId] : [])),
      fm: fmField,
    };
  } else if (entityTypeId === 3) {
    fields = {
      ...common(),
      companyId: f('int', (r) => r.companyId ?? 0),
      companyIds: f('list', (r) => (r.companyId ? [r.companyId] : [])),
      leadId: f('int', (r) => r.leadId),
      honorific: f('string', () => null),
      ...person,
      birthdate: f('date', () => null),
      post: f('string', (r) => r.post),
      typeId: f('string', (r) => r.typeId),
      comments: f('string', (r) => r.comments),
      ...source,
      ...utm,
      observers: f('list', () => []),
      fm: fmField,
    };
  } else {
    fields = {
      ...common(),
      title: f('string', (r) => r.title),
      typeId: f('string', (r) => r.typeId),
      industry: f('string', () => 'IT'),
      employees: f('string', () => 'EMPLOYEES_2'),
      revenue: f('float', () => null),
      currencyId: f('string', (r) => r.currencyId),
      leadId: f('int', (r) => r.leadId),
      comments: f('string', (r) => r.comments),
      ...utm,
      observers: f('list', () => []),
      fm: fmField,
    };
  }
  const ufEntity = entityNames[entityTypeId]?.uf;
  for (const uf of data.userFields.rows) {
    if (uf.entityId !== ufEntity) continue;
    const name = ufCamel(uf.fieldName);
    const kind: Kind = uf.multiple === 'Y' ? 'list' : uf.userTypeId === 'double' ? 'float' : uf.userTypeId === 'integer' ? 'int' : uf.userTypeId === 'date' || uf.userTypeId === 'datetime' ? 'date' : 'string';
    fields[name] = f(kind, (r) => r.uf?.[name] ?? (uf.multiple === 'Y' ? [] : null));
  }
  fields.entityTypeId = f('int', () => entityTypeId);
  return fields;
}

/** A row as crm.item spells it. */
export function itemWire(fields: Fields<CrmItem>, r: CrmItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    const v = spec.get(r);
    out[name] = spec.kind === 'date' ? isoOrNull(v as number | null) : v;
  }
  return out;
}
