-- Per-account secrets (tokens, webhook keys), sealed with AES-256-GCM by the application; `version`
-- grows with every write, so a refresh can tell whether another process already replaced what it saw.
CREATE TABLE secrets (
  account_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  sealed text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Events waiting to be processed are read oldest first, per account and source.
CREATE INDEX inbox_received ON inbox (account_id, source, id) WHERE status = 'received';
