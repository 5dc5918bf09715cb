-- Customer data (issue 11, identity processing): a failed identify/alias message is retried later
-- (exponential back-off) instead of at every tick, and never lost.
ALTER TABLE event_identity_queue ADD COLUMN retry_at timestamptz;
CREATE INDEX event_identity_queue_retry ON event_identity_queue (retry_at) WHERE retry_at IS NOT NULL;
