import type { Table } from '../table.js';

export interface User {
  id: number;
  active: boolean;
  name: string;
  lastName: string;
  secondName: string;
  email: string;
  gender: 'M' | 'F';
  workPosition: string;
  departments: number[];
  dateRegister: number;
  lastLogin: number;
  isAdmin: boolean;
}

export interface Department {
  id: number;
  name: string;
  sort: number;
  parent: number | null;
  head: number | null;
}

export interface Category {
  id: number;
  name: string;
  sort: number;
  isDefault: boolean;
}

/** A crm.status row: deal stages, lead statuses, sources. */
export interface Status {
  id: number;
  entityId: string;
  statusId: string;
  name: string;
  sort: number;
  system: boolean;
  categoryId: number | null;
  color: string | null;
  /** 'P' in progress, 'S' success, 'F' failure (stages only). */
  semantic: 'P' | 'S' | 'F' | null;
}

export interface Multifield {
  id: number;
  typeId: 'PHONE' | 'EMAIL';
  valueType: string;
  value: string;
}

/** One row shape for leads (1), deals (2), contacts (3) and companies (4); unused fields stay null. */
export interface CrmItem {
  id: number;
  entityTypeId: number;
  title: string | null;
  name: string | null;
  secondName: string | null;
  lastName: string | null;
  post: string | null;
  typeId: string | null;
  categoryId: number;
  stageId: string | null;
  opportunity: number | null;
  currencyId: string;
  assignedById: number;
  createdBy: number;
  updatedBy: number;
  movedBy: number;
  contactId: number | null;
  companyId: number | null;
  leadId: number | null;
  sourceId: string | null;
  sourceDescription: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmContent: string | null;
  utmTerm: string | null;
  begindate: number | null;
  closedate: number | null;
  createdTime: number;
  updatedTime: number;
  movedTime: number | null;
  opened: 'Y' | 'N';
  comments: string | null;
  fm: Multifield[];
  uf: Record<string, unknown> | null;
}

export interface StageHistory {
  id: number;
  entityTypeId: number;
  typeId: number;
  ownerId: number;
  createdTime: number;
  categoryId: number;
  stageId: string;
  semantic: 'P' | 'S' | 'F';
}

export interface Activity {
  id: number;
  ownerTypeId: number;
  ownerId: number;
  typeId: number;
  providerId: string;
  providerTypeId: string;
  direction: number;
  subject: string;
  responsibleId: number;
  authorId: number;
  deadline: number;
  startTime: number;
  endTime: number;
  completed: 'Y' | 'N';
  created: number;
  lastUpdated: number;
  description: string;
}

export interface ProductRow {
  id: number;
  ownerId: number;
  ownerType: string;
  productId: number;
  productName: string;
  price: number;
  quantity: number;
  discountSum: number;
  taxRate: number | null;
  sort: number;
}

export interface Product {
  id: number;
  iblockId: number;
  name: string;
  active: 'Y' | 'N';
  code: string;
  measure: number;
  dateCreate: number;
  timestampX: number;
}

export interface Price {
  id: number;
  productId: number;
  catalogGroupId: number;
  price: number;
  currency: string;
  timestampX: number;
}

export interface Store {
  id: number;
  title: string;
  active: 'Y' | 'N';
  address: string;
  sort: number;
  dateCreate: number;
}

export interface StoreProduct {
  id: number;
  productId: number;
  storeId: number;
  amount: number;
  quantityReserved: number;
}

export interface UserField {
  id: number;
  entityId: string; // CRM_DEAL, CRM_LEAD, CRM_CONTACT, CRM_COMPANY
  fieldName: string; // UF_CRM_...
  userTypeId: string;
  multiple: 'Y' | 'N';
  mandatory: 'Y' | 'N';
  label: string;
  sort: number;
  xmlId: string | null;
}

export interface SandboxData {
  users: Table<User>;
  departments: Table<Department>;
  categories: Table<Category>;
  statuses: Table<Status>;
  leads: Table<CrmItem>;
  deals: Table<CrmItem>;
  contacts: Table<CrmItem>;
  companies: Table<CrmItem>;
  stageHistory: Table<StageHistory>;
  activities: Table<Activity>;
  productRows: Table<ProductRow>;
  products: Table<Product>;
  prices: Table<Price>;
  stores: Table<Store>;
  storeProducts: Table<StoreProduct>;
  userFields: Table<UserField>;
  /** Stage/status id -> semantic, for every pipeline and for leads. */
  semantics: Map<string, 'P' | 'S' | 'F'>;
  /** The product catalog's iblock id (CRM_PRODUCT_CATALOG). */
  catalogIblockId: number;
  nextMultifieldId: number;
}
