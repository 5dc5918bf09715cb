-- A merge moves the merged profile's push devices (message_endpoints) to the survivor, and its undo
-- moves them back: the audit records them as moves of kind 'device'.
ALTER TABLE customer_merge_moves DROP CONSTRAINT customer_merge_moves_kind_check;
ALTER TABLE customer_merge_moves ADD CONSTRAINT customer_merge_moves_kind_check
  CHECK (kind IN ('identity', 'order', 'cart', 'points', 'consent', 'address', 'session', 'loyalty_account',
                  'device'));
