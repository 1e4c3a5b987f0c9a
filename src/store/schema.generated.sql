-- Generated from src/model by `npm run generate`. Do not edit: change the model and regenerate.
-- `npm run check` fails when this file is stale.

CREATE TABLE IF NOT EXISTS users (
  account_id text NOT NULL,
  external_id text NOT NULL,
  name text NOT NULL,
  email text,
  phone text,
  position text,
  active boolean NOT NULL,
  dismissed_at timestamptz,
  department_ids text[] NOT NULL,
  manager_id text,
  is_admin boolean,
  updated_at timestamptz,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE users ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;
ALTER TABLE users ADD COLUMN IF NOT EXISTS phone text;
ALTER TABLE users ADD COLUMN IF NOT EXISTS position text;
ALTER TABLE users ADD COLUMN IF NOT EXISTS active boolean;
ALTER TABLE users ADD COLUMN IF NOT EXISTS dismissed_at timestamptz;
ALTER TABLE users ADD COLUMN IF NOT EXISTS department_ids text[];
ALTER TABLE users ADD COLUMN IF NOT EXISTS manager_id text;
ALTER TABLE users ADD COLUMN IF NOT EXISTS is_admin boolean;
ALTER TABLE users ADD COLUMN IF NOT EXISTS updated_at timestamptz;

CREATE TABLE IF NOT EXISTS departments (
  account_id text NOT NULL,
  external_id text NOT NULL,
  name text NOT NULL,
  parent_id text,
  head_user_id text,
  sort bigint,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE departments ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE departments ADD COLUMN IF NOT EXISTS parent_id text;
ALTER TABLE departments ADD COLUMN IF NOT EXISTS head_user_id text;
ALTER TABLE departments ADD COLUMN IF NOT EXISTS sort bigint;

CREATE TABLE IF NOT EXISTS pipelines (
  account_id text NOT NULL,
  external_id text NOT NULL,
  entity text NOT NULL,
  name text NOT NULL,
  sort bigint NOT NULL,
  is_default boolean NOT NULL,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE pipelines ADD COLUMN IF NOT EXISTS entity text;
ALTER TABLE pipelines ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE pipelines ADD COLUMN IF NOT EXISTS sort bigint;
ALTER TABLE pipelines ADD COLUMN IF NOT EXISTS is_default boolean;

CREATE TABLE IF NOT EXISTS stages (
  account_id text NOT NULL,
  external_id text NOT NULL,
  entity text NOT NULL,
  pipeline_id text NOT NULL,
  source_stage_id text NOT NULL,
  name text NOT NULL,
  semantics text NOT NULL,
  sort bigint NOT NULL,
  color text,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE stages ADD COLUMN IF NOT EXISTS entity text;
ALTER TABLE stages ADD COLUMN IF NOT EXISTS pipeline_id text;
ALTER TABLE stages ADD COLUMN IF NOT EXISTS source_stage_id text;
ALTER TABLE stages ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE stages ADD COLUMN IF NOT EXISTS semantics text;
ALTER TABLE stages ADD COLUMN IF NOT EXISTS sort bigint;
ALTER TABLE stages ADD COLUMN IF NOT EXISTS color text;

CREATE TABLE IF NOT EXISTS leads (
  account_id text NOT NULL,
  external_id text NOT NULL,
  title text NOT NULL,
  pipeline_id text,
  stage_id text NOT NULL,
  responsible_id text,
  contact_id text,
  company_id text,
  amount numeric,
  currency char(3),
  source_id text,
  utm_source text,
  utm_medium text,
  utm_campaign text,
  utm_content text,
  utm_term text,
  visitor_ids jsonb,
  created_at timestamptz NOT NULL,
  closed_at timestamptz,
  updated_at timestamptz NOT NULL,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE leads ADD COLUMN IF NOT EXISTS title text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS pipeline_id text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS stage_id text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS responsible_id text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS contact_id text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS company_id text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS amount numeric;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS currency char(3);
ALTER TABLE leads ADD COLUMN IF NOT EXISTS source_id text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS utm_source text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS utm_medium text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS utm_campaign text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS utm_content text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS utm_term text;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS visitor_ids jsonb;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS created_at timestamptz;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS closed_at timestamptz;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS updated_at timestamptz;
CREATE INDEX IF NOT EXISTS leads_responsible_id ON leads (account_id, responsible_id);
CREATE INDEX IF NOT EXISTS leads_created_at ON leads (account_id, created_at);

CREATE TABLE IF NOT EXISTS deals (
  account_id text NOT NULL,
  external_id text NOT NULL,
  title text NOT NULL,
  pipeline_id text NOT NULL,
  stage_id text NOT NULL,
  amount numeric NOT NULL,
  currency char(3) NOT NULL,
  responsible_id text,
  contact_id text,
  company_id text,
  lead_id text,
  source_id text,
  utm_source text,
  utm_medium text,
  utm_campaign text,
  utm_content text,
  utm_term text,
  visitor_ids jsonb,
  loss_reason text,
  tags text[],
  created_at timestamptz NOT NULL,
  close_date timestamptz,
  closed_at timestamptz,
  updated_at timestamptz NOT NULL,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE deals ADD COLUMN IF NOT EXISTS title text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS pipeline_id text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS stage_id text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS amount numeric;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS currency char(3);
ALTER TABLE deals ADD COLUMN IF NOT EXISTS responsible_id text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS contact_id text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS company_id text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS lead_id text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS source_id text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS utm_source text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS utm_medium text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS utm_campaign text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS utm_content text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS utm_term text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS visitor_ids jsonb;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS loss_reason text;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS tags text[];
ALTER TABLE deals ADD COLUMN IF NOT EXISTS created_at timestamptz;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS close_date timestamptz;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS closed_at timestamptz;
ALTER TABLE deals ADD COLUMN IF NOT EXISTS updated_at timestamptz;
CREATE INDEX IF NOT EXISTS deals_stage_id ON deals (account_id, stage_id);
CREATE INDEX IF NOT EXISTS deals_responsible_id ON deals (account_id, responsible_id);
CREATE INDEX IF NOT EXISTS deals_contact_id ON deals (account_id, contact_id);

CREATE TABLE IF NOT EXISTS contacts (
  account_id text NOT NULL,
  external_id text NOT NULL,
  name text NOT NULL,
  phones text[] NOT NULL,
  emails text[] NOT NULL,
  responsible_id text,
  company_id text,
  source_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS phones text[];
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS emails text[];
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS responsible_id text;
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS company_id text;
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS source_id text;
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS created_at timestamptz;
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS updated_at timestamptz;

CREATE TABLE IF NOT EXISTS companies (
  account_id text NOT NULL,
  external_id text NOT NULL,
  name text NOT NULL,
  phones text[] NOT NULL,
  emails text[] NOT NULL,
  inn text,
  responsible_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE companies ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE companies ADD COLUMN IF NOT EXISTS phones text[];
ALTER TABLE companies ADD COLUMN IF NOT EXISTS emails text[];
ALTER TABLE companies ADD COLUMN IF NOT EXISTS inn text;
ALTER TABLE companies ADD COLUMN IF NOT EXISTS responsible_id text;
ALTER TABLE companies ADD COLUMN IF NOT EXISTS created_at timestamptz;
ALTER TABLE companies ADD COLUMN IF NOT EXISTS updated_at timestamptz;

CREATE TABLE IF NOT EXISTS activities (
  account_id text NOT NULL,
  external_id text NOT NULL,
  kind text NOT NULL,
  direction text,
  subject text,
  owner_type text,
  owner_id text,
  responsible_id text,
  deadline timestamptz,
  completed boolean NOT NULL,
  completed_at timestamptz,
  duration_seconds bigint,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE activities ADD COLUMN IF NOT EXISTS kind text;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS direction text;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS subject text;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS owner_type text;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS owner_id text;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS responsible_id text;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS deadline timestamptz;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS completed boolean;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS completed_at timestamptz;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS duration_seconds bigint;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS created_at timestamptz;
ALTER TABLE activities ADD COLUMN IF NOT EXISTS updated_at timestamptz;
CREATE INDEX IF NOT EXISTS activities_owner_id ON activities (account_id, owner_id);
CREATE INDEX IF NOT EXISTS activities_responsible_id ON activities (account_id, responsible_id);

CREATE TABLE IF NOT EXISTS stage_changes (
  account_id text NOT NULL,
  external_id text NOT NULL,
  entity text NOT NULL,
  owner_id text NOT NULL,
  pipeline_id text,
  from_stage_id text,
  to_stage_id text NOT NULL,
  at timestamptz NOT NULL,
  by_user_id text,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE stage_changes ADD COLUMN IF NOT EXISTS entity text;
ALTER TABLE stage_changes ADD COLUMN IF NOT EXISTS owner_id text;
ALTER TABLE stage_changes ADD COLUMN IF NOT EXISTS pipeline_id text;
ALTER TABLE stage_changes ADD COLUMN IF NOT EXISTS from_stage_id text;
ALTER TABLE stage_changes ADD COLUMN IF NOT EXISTS to_stage_id text;
ALTER TABLE stage_changes ADD COLUMN IF NOT EXISTS at timestamptz;
ALTER TABLE stage_changes ADD COLUMN IF NOT EXISTS by_user_id text;
CREATE INDEX IF NOT EXISTS stage_changes_owner_id ON stage_changes (account_id, owner_id);

CREATE TABLE IF NOT EXISTS products (
  account_id text NOT NULL,
  external_id text NOT NULL,
  name text NOT NULL,
  crm_id text,
  onec_id text,
  article text,
  barcode text,
  unit text,
  active boolean NOT NULL,
  updated_at timestamptz,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE products ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE products ADD COLUMN IF NOT EXISTS crm_id text;
ALTER TABLE products ADD COLUMN IF NOT EXISTS onec_id text;
ALTER TABLE products ADD COLUMN IF NOT EXISTS article text;
ALTER TABLE products ADD COLUMN IF NOT EXISTS barcode text;
ALTER TABLE products ADD COLUMN IF NOT EXISTS unit text;
ALTER TABLE products ADD COLUMN IF NOT EXISTS active boolean;
ALTER TABLE products ADD COLUMN IF NOT EXISTS updated_at timestamptz;

CREATE TABLE IF NOT EXISTS price_types (
  account_id text NOT NULL,
  external_id text NOT NULL,
  name text NOT NULL,
  currency char(3),
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE price_types ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE price_types ADD COLUMN IF NOT EXISTS currency char(3);

CREATE TABLE IF NOT EXISTS prices (
  account_id text NOT NULL,
  external_id text NOT NULL,
  product_id text NOT NULL,
  price_type text NOT NULL,
  amount numeric NOT NULL,
  currency char(3) NOT NULL,
  updated_at timestamptz,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE prices ADD COLUMN IF NOT EXISTS product_id text;
ALTER TABLE prices ADD COLUMN IF NOT EXISTS price_type text;
ALTER TABLE prices ADD COLUMN IF NOT EXISTS amount numeric;
ALTER TABLE prices ADD COLUMN IF NOT EXISTS currency char(3);
ALTER TABLE prices ADD COLUMN IF NOT EXISTS updated_at timestamptz;

CREATE TABLE IF NOT EXISTS warehouses (
  account_id text NOT NULL,
  external_id text NOT NULL,
  name text NOT NULL,
  code text,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE warehouses ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE warehouses ADD COLUMN IF NOT EXISTS code text;

CREATE TABLE IF NOT EXISTS stock (
  account_id text NOT NULL,
  external_id text NOT NULL,
  product_id text NOT NULL,
  warehouse_id text NOT NULL,
  quantity numeric NOT NULL,
  updated_at timestamptz,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE stock ADD COLUMN IF NOT EXISTS product_id text;
ALTER TABLE stock ADD COLUMN IF NOT EXISTS warehouse_id text;
ALTER TABLE stock ADD COLUMN IF NOT EXISTS quantity numeric;
ALTER TABLE stock ADD COLUMN IF NOT EXISTS updated_at timestamptz;

CREATE TABLE IF NOT EXISTS deal_items (
  account_id text NOT NULL,
  external_id text NOT NULL,
  deal_id text NOT NULL,
  product_id text,
  name text NOT NULL,
  price numeric NOT NULL,
  currency char(3) NOT NULL,
  quantity numeric NOT NULL,
  discount numeric,
  tax_rate numeric,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE deal_items ADD COLUMN IF NOT EXISTS deal_id text;
ALTER TABLE deal_items ADD COLUMN IF NOT EXISTS product_id text;
ALTER TABLE deal_items ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE deal_items ADD COLUMN IF NOT EXISTS price numeric;
ALTER TABLE deal_items ADD COLUMN IF NOT EXISTS currency char(3);
ALTER TABLE deal_items ADD COLUMN IF NOT EXISTS quantity numeric;
ALTER TABLE deal_items ADD COLUMN IF NOT EXISTS discount numeric;
ALTER TABLE deal_items ADD COLUMN IF NOT EXISTS tax_rate numeric;

CREATE TABLE IF NOT EXISTS ad_campaigns (
  account_id text NOT NULL,
  external_id text NOT NULL,
  platform text NOT NULL,
  name text NOT NULL,
  status text,
  utm_campaign text,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE ad_campaigns ADD COLUMN IF NOT EXISTS platform text;
ALTER TABLE ad_campaigns ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE ad_campaigns ADD COLUMN IF NOT EXISTS status text;
ALTER TABLE ad_campaigns ADD COLUMN IF NOT EXISTS utm_campaign text;

CREATE TABLE IF NOT EXISTS ad_spend (
  account_id text NOT NULL,
  external_id text NOT NULL,
  platform text NOT NULL,
  campaign_id text NOT NULL,
  day date NOT NULL,
  cost numeric NOT NULL,
  currency char(3) NOT NULL,
  clicks bigint NOT NULL,
  impressions bigint NOT NULL,
  content_hash text NOT NULL,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, external_id)
);
ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS platform text;
ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS campaign_id text;
ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS day date;
ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS cost numeric;
ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS currency char(3);
ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS clicks bigint;
ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS impressions bigint;
