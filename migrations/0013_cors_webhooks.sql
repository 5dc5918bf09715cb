-- Standard Webhooks: during a secret rotation the previous secret keeps signing (a second
-- signature in webhook-signature) until previous_secret_expires_at.
-- Existing secrets are kept as they are: they are already `whsec_` + base64url of 24 random bytes,
-- and the Standard Webhooks key is the decoded bytes, which are the same in either base64 alphabet
-- (docs/webhooks.md says how to use an old secret with a strict base64 library).
ALTER TABLE webhook_endpoints
  ADD COLUMN previous_secret text,
  ADD COLUMN previous_secret_expires_at timestamptz,
  ADD CONSTRAINT webhook_endpoints_previous_secret_pair
    CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL));
