-- Every change of a price, as it was stored: filled by a trigger on the prices table (see triggers.sql),
-- so no writer can forget it.
CREATE TABLE price_history (
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  price_id text NOT NULL,
  product_id text NOT NULL,
  price_type text NOT NULL,
  old_amount numeric,
  new_amount numeric,
  currency char(3) NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX price_history_price ON price_history (account_id, price_id, changed_at);
