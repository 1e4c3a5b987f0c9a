import type { Handler, Params } from '../context.js';
import type { UserField } from '../data/types.js';
import { errors, RestError } from '../errors.js';
import { ufCamel } from './crm-item-fields.js';

const TYPES = new Set(['string', 'integer', 'double', 'boolean', 'date', 'datetime', 'enumeration', 'money', 'url', 'address', 'file', 'employee', 'crm', 'crm_status']);

function create(data: Parameters<Handler>[1]['ctx']['data'], entityId: string, fl: Params): UserField {
  const raw = String(fl.FIELD_NAME ?? fl.fieldName ?? '');
  if (!raw) throw errors.required('FIELD_NAME');
  const fieldName = raw.startsWith('UF_CRM_') ? raw : `UF_CRM_${raw}`;
  const userTypeId = String(fl.USER_TYPE_ID ?? fl.userTypeId ?? 'string');
  if (!TYPES.has(userTypeId)) throw errors.argValue(`Unknown USER_TYPE_ID "${userTypeId}"`);
  if (data.userFields.rows.some((u) => u.entityId === entityId && u.fieldName === fieldName)) throw new RestError(400, 'ERROR_CORE', `Поле с кодом ${fieldName} уже существует`);
  const label = fl.EDIT_FORM_LABEL ?? fl.LABEL ?? fl.editFormLabel ?? fieldName;
  return data.userFields.add({
    id: data.userFields.nextId,
    entityId,
    fieldName,
    userTypeId,
    multiple: fl.MULTIPLE === 'Y' || fl.multiple === 'Y' ? 'Y' : 'N',
    mandatory: fl.MANDATORY === 'Y' || fl.mandatory === 'Y' ? 'Y' : 'N',
    label: typeof label === 'string' ? label : String(Object.values(label as object)[0] ?? fieldName),
    sort: Number(fl.SORT ?? fl.sort ?? 100),
    xmlId: fl.XML_ID ? String(fl.XML_ID) : null,
  });
}

const legacy = (u: UserField) => ({ ID: String(u.id), ENTITY_ID: u.entityId, FIELD_NAME: u.fieldName, USER_TYPE_ID: u.userTypeId, XML_ID: u.xmlId, SORT: String(u.sort), MULTIPLE: u.multiple, MANDATORY: u.mandatory, SHOW_FILTER: 'N', SHOW_IN_LIST: 'Y', EDIT_IN_LIST: 'Y', IS_SEARCHABLE: 'N', SETTINGS: {} });
const modern = (u: UserField) => ({ id: String(u.id), entityId: u.entityId, fieldName: u.fieldName, userTypeId: u.userTypeId, xmlId: u.xmlId, sort: String(u.sort), multiple: u.multiple, mandatory: u.mandatory, showFilter: 'N', showInList: 'Y', editInList: 'Y', isSearchable: 'N', settings: {}, crmItemFieldName: ufCamel(u.fieldName) });

function perEntity(entity: string, uf: string): Record<string, Handler> {
  return {
    [`crm.${entity}.userfield.add`]: (p, { ctx }) => ({ result: create(ctx.data, uf, (p.fields ?? {}) as Params).id }),
    [`crm.${entity}.userfield.list`]: (_p, { ctx }) => ({ result: ctx.data.userFields.rows.filter((u) => u.entityId === uf).map(legacy) }),
  };
}

// apidocs: api-reference/crm/deals/user-defined-fields/crm-deal-userfield-add.md, api-reference/user-field-config/userfieldconfig-add.md
export const userFields: Record<string, Handler> = {
  ...perEntity('deal', 'CRM_DEAL'),
  ...perEntity('lead', 'CRM_LEAD'),
  ...perEntity('contact', 'CRM_CONTACT'),
  ...perEntity('company', 'CRM_COMPANY'),
  'userfieldconfig.add': (p, { ctx }) => {
    if (p.moduleId !== 'crm') throw errors.argValue('moduleId must be "crm"');
    const fl = (p.field ?? {}) as Params;
    const entityId = String(fl.entityId ?? '');
    if (!['CRM_DEAL', 'CRM_LEAD', 'CRM_CONTACT', 'CRM_COMPANY'].includes(entityId)) throw errors.argValue('field.entityId is not supported');
    return { result: { field: modern(create(ctx.data, entityId, fl)) } };
  },
  'userfieldconfig.list': (p, { ctx }) => {
    const filter = (p.filter ?? {}) as Params;
    const rows = ctx.data.userFields.rows.filter((u) => !filter.entityId || u.entityId === filter.entityId);
    return { result: { fields: rows.map(modern) }, total: rows.length };
  },
};
