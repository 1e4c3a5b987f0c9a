-- The 1C "exchange with site" protocol: sessions opened by checkauth, files uploaded in chunks (1C splits
-- files above file_limit), and the state of each file's import, which 1C polls until success or failure.
-- Kept in Postgres so that any server process can answer any request of a session.
CREATE TABLE onec_sessions (
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, id)
);

CREATE TABLE onec_uploads (
  account_id text NOT NULL,
  session_id text NOT NULL,
  file_name text NOT NULL,
  chunk integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (account_id, session_id, file_name, chunk),
  FOREIGN KEY (account_id, session_id) REFERENCES onec_sessions (account_id, id) ON DELETE CASCADE
);

CREATE TABLE onec_imports (
  account_id text NOT NULL,
  session_id text NOT NULL,
  file_name text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'success', 'failure')),
  message text,
  summary jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, session_id, file_name),
  FOREIGN KEY (account_id, session_id) REFERENCES onec_sessions (account_id, id) ON DELETE CASCADE
);
