-- The sender's first claim takes due journey and transactional sends (campaign_id IS NULL). With only
-- message_sends_due (every planned row), a planned campaign of 1,000,000 recipients made each claim
-- walk its hundreds of thousands of due rows to find none (67 ms a claim, half the delivery rate in
-- BENCHMARKS.md "Campaigns"); campaign rows are claimed through message_sends_campaign instead.
CREATE INDEX message_sends_due_direct ON message_sends (due_at) WHERE status = 'planned' AND campaign_id IS NULL;
