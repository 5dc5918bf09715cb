-- No money kept for a failed sale (issue 18, point 3).
--
-- A payment remembers the provider call it is waiting for (`charge` at the POS, `capture` when
-- shipping or handing over, `void` after a cancellation, `compensate` when giving money back failed),
-- committed before the call is made. The call's outcome clears it in the transaction that records it.
-- A mark that outlives its request (the process was killed, or the commit failed) is picked up by
-- the payment reconciler, which asks the provider what really happened (by Plaza's payment id) and
-- records it, voiding or refunding money that belongs to a cancelled order.
ALTER TABLE payments
  ADD COLUMN provider_action text
    CHECK (provider_action IN ('charge', 'capture', 'void', 'compensate')),
  ADD COLUMN provider_action_at timestamptz;

CREATE INDEX payments_provider_action ON payments (provider_action_at) WHERE provider_action IS NOT NULL;

-- The `test-card` sandbox's own ledger, as a real provider keeps its own database: what it captured,
-- voided and refunded per Plaza payment id. Written outside Plaza's transactions, so that a Plaza
-- process killed after a capture cannot roll it back, and any process can ask the sandbox about it.
CREATE TABLE sandbox_card_payments (
  payment_id text PRIMARY KEY,
  reference text NOT NULL,
  status text NOT NULL CHECK (status IN ('captured', 'voided', 'refunded')),
  amount bigint NOT NULL,
  captured_amount bigint NOT NULL DEFAULT 0,
  refunded_amount bigint NOT NULL DEFAULT 0,
  capture_reference text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
