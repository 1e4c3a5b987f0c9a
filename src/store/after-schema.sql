-- Applied after the generated entity schema on every start (idempotent): what the model cannot say of
-- entity tables, triggers and partial indexes.

CREATE OR REPLACE FUNCTION svodka_price_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO price_history (account_id, price_id, product_id, price_type, old_amount, new_amount, currency)
    VALUES (NEW.account_id, NEW.external_id, NEW.product_id, NEW.price_type, NULL, NEW.amount, NEW.currency);
  ELSIF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
    INSERT INTO price_history (account_id, price_id, product_id, price_type, old_amount, new_amount, currency)
    VALUES (NEW.account_id, NEW.external_id, NEW.product_id, NEW.price_type, OLD.amount, NULL, NEW.currency);
  ELSIF NEW.amount IS DISTINCT FROM OLD.amount OR NEW.currency IS DISTINCT FROM OLD.currency OR (OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL) THEN
    INSERT INTO price_history (account_id, price_id, product_id, price_type, old_amount, new_amount, currency)
    VALUES (NEW.account_id, NEW.external_id, NEW.product_id, NEW.price_type, CASE WHEN OLD.deleted_at IS NULL THEN OLD.amount END, NEW.amount, NEW.currency);
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS prices_history ON prices;
CREATE TRIGGER prices_history AFTER INSERT OR UPDATE ON prices FOR EACH ROW EXECUTE FUNCTION svodka_price_history();

-- Open activities are a small share of all (most are done) and what the plugins ask about most: overdue
-- ones, deals with no next step, a dismissed manager's tasks. A partial index keeps those questions off a
-- scan of every activity ever logged.
CREATE INDEX IF NOT EXISTS activities_open ON activities (account_id, owner_id) INCLUDE (owner_type, deadline, responsible_id)
  WHERE NOT completed AND deleted_at IS NULL;

-- The same open activities by responsible manager and deadline: a dismissed manager's open tasks
-- (stale-data hands them over) and the overdue ones (deadline before now) are otherwise found by reading
-- every activity of those managers, or the whole table, for a few percent of it. One entry per open
-- activity, about 30 bytes: a few percent of the table's size (7 MB for the benchmark's 1,000,000 open
-- of 10,000,000 activities, whose managers and deadlines repeat).
CREATE INDEX IF NOT EXISTS activities_open_responsible ON activities (account_id, responsible_id, deadline)
  WHERE NOT completed AND deleted_at IS NULL;
