-- Abuse limits shared by every API process (src/platform/rate-limit.ts, docs/configuration.md#abuse-limits):
-- one counter per limit (bucket), subject and fixed window. The subject is a keyed hash (HMAC with
-- PLAZA_PRIVACY_KEY) of what is counted: an IP address, an e-mail, a channel, a write key, an order.
-- UNLOGGED: counters are short-lived and not worth the WAL; after a crash PostgreSQL empties the
-- table, which forgives at most one window of counts. Expired windows are deleted by a job.
CREATE UNLOGGED TABLE rate_limit_counters (
  bucket text NOT NULL,
  subject text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (bucket, subject, window_start)
);

CREATE INDEX rate_limit_counters_expires ON rate_limit_counters (expires_at);
