import { z } from 'zod';
import type { ModelInput } from '../../src/model/index.js';
import { flag, fullName, id, optionalId, optionalText } from './values.js';

/** user.get; `svodkaManagerId` is added by the pull from the department heads (see pull-org.ts). */
const rawUser = z.looseObject({
  ID: id,
  ACTIVE: flag,
  NAME: optionalText,
  LAST_NAME: optionalText,
  SECOND_NAME: optionalText,
  EMAIL: optionalText,
  PERSONAL_MOBILE: optionalText,
  WORK_PHONE: optionalText,
  WORK_POSITION: optionalText,
  UF_DEPARTMENT: z.union([z.array(id), z.literal(false), z.null()]).optional(),
  USER_TYPE: optionalText,
  svodkaManagerId: z.string().optional(),
});

/** Bots, e-mail and connector users are not staff: the model keeps employees (and users of unknown type). */
const staff = new Set(['employee', undefined]);

export function mapUser(raw: unknown): ModelInput<'users'> | null {
  const u = rawUser.parse(raw);
  if (!staff.has(u.USER_TYPE)) return null;
  return {
    externalId: u.ID,
    name: fullName(u.NAME, u.LAST_NAME) || u.EMAIL || `#${u.ID}`,
    email: u.EMAIL,
    phone: u.PERSONAL_MOBILE ?? u.WORK_PHONE,
    position: u.WORK_POSITION,
    active: u.ACTIVE,
    departmentIds: u.UF_DEPARTMENT || [],
    managerId: u.svodkaManagerId,
  };
}

const rawDepartment = z.looseObject({
  ID: id,
  NAME: z.string(),
  SORT: z.coerce.number().int().optional(),
  PARENT: optionalId,
  UF_HEAD: optionalId,
});

export function mapDepartment(raw: unknown): ModelInput<'departments'> {
  const d = rawDepartment.parse(raw);
  return { externalId: d.ID, name: d.NAME, parentId: d.PARENT, headUserId: d.UF_HEAD, sort: d.SORT };
}

/** crm.category.list (deals); leads have one funnel, which the pull adds as category 0 of entity type 1. */
const rawCategory = z.looseObject({
  id: z.coerce.number().int().nonnegative(),
  name: z.string(),
  sort: z.coerce.number().int().default(0),
  entityTypeId: z.union([z.literal(1), z.literal(2)]),
  isDefault: flag.optional(),
});

export const pipelineId = (entity: 'lead' | 'deal', category: number | string | null | undefined): string =>
  `${entity}:${category ?? 0}`;

export function mapPipeline(raw: unknown): ModelInput<'pipelines'> {
  const c = rawCategory.parse(raw);
  const entity = c.entityTypeId === 1 ? 'lead' : 'deal';
  return { externalId: pipelineId(entity, c.id), entity, name: c.name, sort: c.sort, isDefault: c.isDefault ?? c.id === 0 };
}

/** crm.status.list; only lead statuses (STATUS) and deal stages (DEAL_STAGE, DEAL_STAGE_<n>) are stages. */
const rawStatus = z.looseObject({
  ENTITY_ID: z.string(),
  STATUS_ID: z.string().min(1),
  NAME: z.string(),
  SORT: z.coerce.number().int(),
  CATEGORY_ID: z.union([z.coerce.number().int(), z.null()]).optional(),
  COLOR: optionalText,
  SEMANTICS: z.union([z.enum(['P', 'S', 'F', '']), z.null()]).optional(),
  EXTRA: z.looseObject({ SEMANTICS: z.string().optional(), COLOR: optionalText }).optional(),
});

export const stageId = (entity: 'lead' | 'deal', status: string): string => `${entity}:${status}`;

export function mapStage(raw: unknown): ModelInput<'stages'> | null {
  const s = rawStatus.parse(raw);
  const deal = /^DEAL_STAGE(_(\d+))?$/.exec(s.ENTITY_ID);
  if (!deal && s.ENTITY_ID !== 'STATUS') return null;
  const entity = deal ? 'deal' : 'lead';
  const category = deal ? (s.CATEGORY_ID ?? Number(deal[2] ?? 0)) : 0;
  const extra = s.EXTRA?.SEMANTICS;
  const semantics =
    s.SEMANTICS === 'S' || extra === 'success' ? 'won' : s.SEMANTICS === 'F' || extra === 'failure' || extra === 'apology' ? 'lost' : 'open';
  return {
    externalId: stageId(entity, s.STATUS_ID),
    entity,
    pipelineId: pipelineId(entity, category),
    sourceStageId: s.STATUS_ID,
    name: s.NAME,
    semantics,
    sort: s.SORT,
    color: s.COLOR ?? s.EXTRA?.COLOR,
  };
}
