-- The core tables: accounts, sync cursors, the outbox of write-back intents, the inbox of webhooks.
-- Entity tables are generated from the model (schema.generated.sql) and applied after the migrations.

CREATE TABLE accounts (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('bitrix24', 'amocrm', 'onec', 'demo')),
  name text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'blocked')),
  status_reason text,
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Where an adapter's pull of one entity stands; written in the same transaction as the page it describes.
CREATE TABLE sync_cursors (
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  adapter text NOT NULL,
  entity text NOT NULL,
  cursor jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, adapter, entity)
);

-- Write-back intents produced by plugins; the core sends them to the CRM exactly once per idempotency key.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  idempotency_key text NOT NULL,
  adapter text NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, idempotency_key)
);
CREATE INDEX outbox_pending ON outbox (account_id, status, id);

-- Webhooks as received, deduplicated; processing happens in jobs.
CREATE TABLE inbox (
  id bigserial PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  source text NOT NULL,
  dedupe_key text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processed', 'failed')),
  error text,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  UNIQUE (account_id, source, dedupe_key)
);
