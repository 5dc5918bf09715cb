-- Data rights that hold (issue 20): exports expire, erasure records what was decided about balances.
ALTER TABLE privacy_requests
  ADD COLUMN result_expires_at timestamptz,
  ADD COLUMN balance_decision text CHECK (balance_decision IN ('refund', 'forfeit', 'wait'));

-- Idempotency records repeat personal data from answers: they are kept 24 hours (swept by age).
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
