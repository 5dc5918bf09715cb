-- Planning lanes (issue 12.8): a campaign's audience is cut into ranges of customer ids, planned by as
-- many planners at once (worker loops and processes). A lane's row lock is its planner's lease; where a
-- lane resumes is read from the ledger (the last customer with rows in its range), as before.
CREATE TABLE campaign_plan_lanes (
  campaign_id text NOT NULL REFERENCES campaigns (id),
  lane integer NOT NULL,
  after_id text,           -- the range starts after this customer id (NULL: at the start)
  upto_id text,            -- and ends with this one (NULL: at the end)
  done_at timestamptz,     -- its last chunk is planned (or the audience went away)
  PRIMARY KEY (campaign_id, lane)
);
