import { dayStart } from '../time.js';
import type { CrmItem } from './types.js';

/** A blank row of the shared CRM item shape; callers fill what their entity has. */
export function blankItem(entityTypeId: number, id: number, createdTime: number, by: number): CrmItem {
  return {
    id,
    entityTypeId,
    title: null,
    name: null,
    secondName: null,
    lastName: null,
    post: null,
    typeId: null,
    categoryId: 0,
    stageId: null,
    opportunity: null,
    currencyId: 'RUB',
    assignedById: by,
    createdBy: by,
    updatedBy: by,
    movedBy: by,
    contactId: null,
    companyId: null,
    leadId: null,
    sourceId: null,
    sourceDescription: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmContent: null,
    utmTerm: null,
    begindate: entityTypeId === 2 ? dayStart(createdTime) : null,
    closedate: entityTypeId === 2 ? dayStart(createdTime) + 7 * 86_400_000 : null,
    createdTime,
    updatedTime: createdTime,
    movedTime: entityTypeId === 1 || entityTypeId === 2 ? createdTime : null,
    opened: 'Y',
    comments: null,
    fm: [],
    uf: null,
  };
}
