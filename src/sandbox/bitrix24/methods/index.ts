import type { Handler } from '../context.js';
import { activities } from './activity.js';
import { app } from './app.js';
import { catalog } from './catalog.js';
import { catalogDocs } from './catalog-docs.js';
import { crmItem } from './crm-item.js';
import { crmStatus } from './crm-status.js';
import { events } from './events.js';
import { misc } from './misc.js';
import { productRows } from './productrow.js';
import { stageHistory } from './stagehistory.js';
import { users } from './user.js';
import { userFields } from './userfield.js';

/** Every REST method the sandbox answers; anything else is ERROR_METHOD_NOT_FOUND. */
export const methods: Record<string, Handler> = {
  ...crmItem,
  ...crmStatus,
  ...users,
  ...activities,
  ...stageHistory,
  ...productRows,
  ...catalog,
  ...catalogDocs,
  ...events,
  ...app,
  ...misc,
  ...userFields,
};
