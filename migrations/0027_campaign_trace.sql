-- The "why not sent" trace pages a campaign's sends by id (GET /admin/campaigns/:id/sends); with only
-- (campaign_id, status) every page sorted all of a campaign's rows (1,000,000 at the benchmark's size).
CREATE INDEX message_sends_campaign_trace ON message_sends (campaign_id, id) WHERE campaign_id IS NOT NULL;
