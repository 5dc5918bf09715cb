-- Audiences (issue 11): what keeps computed traits and segment memberships current (docs/segments.md).

-- A customer queued in audience_dirty wakes the audience workers at once (NOTIFY on commit; the
-- worker also polls every 250 ms, so a lost notification only costs that much).
CREATE FUNCTION plaza_audience_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('plaza_audience', '');
  RETURN NULL;
END $$;
CREATE TRIGGER audience_dirty_notify AFTER INSERT ON audience_dirty
  FOR EACH STATEMENT EXECUTE FUNCTION plaza_audience_notify();

-- When a computed trait was last computed for every customer (NULL: after a change of definition,
-- waiting for its full computation). Time windows move, so the worker recomputes every trait hourly.
ALTER TABLE computed_traits ADD COLUMN last_full_at timestamptz;
CREATE INDEX computed_traits_due ON computed_traits (last_full_at NULLS FIRST) WHERE archived_at IS NULL;

-- A segment whose full evaluation is wanted before its schedule (a computed trait it may read was
-- recomputed for everyone); cleared by the next full evaluation.
ALTER TABLE segments ADD COLUMN full_due_at timestamptz;
