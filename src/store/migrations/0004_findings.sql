-- What checks found about an account's records (a deal sold below the current price, short of stock):
-- one row per finding key, kept while it holds; resolved_at is set when a later run no longer finds it.
CREATE TABLE findings (
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  source text NOT NULL,
  key text NOT NULL,
  kind text NOT NULL,
  subject_id text NOT NULL,
  details jsonb NOT NULL,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  PRIMARY KEY (account_id, source, key)
);
CREATE INDEX findings_open ON findings (account_id, source) WHERE resolved_at IS NULL;
