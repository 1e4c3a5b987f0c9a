-- Each run of a plugin: what it found and the writes it planned; applied_at once they went to the
-- outbox, undone_at once their reverse did. The dashboard reads the latest run of each plugin.
CREATE TABLE plugin_runs (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  plugin text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  summary jsonb NOT NULL,
  results jsonb NOT NULL,
  writes jsonb NOT NULL,
  applied_at timestamptz,
  undone_at timestamptz
);
CREATE INDEX plugin_runs_latest ON plugin_runs (account_id, plugin, started_at DESC);
