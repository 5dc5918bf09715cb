-- Strategy advisor (docs/strategy.md): the retailer's answers, the scoring weights as versioned data
-- (every change kept with its reason), assessments kept with their inputs, and accepted actions.

-- The questionnaire: one per Plaza (the retailer), replaced as a whole.
CREATE TABLE strategy_answers (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  answers jsonb NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);

-- The model's weights: version 1 is Plaza's default (docs/strategy.md), each change a new version.
CREATE TABLE strategy_weights (
  version integer PRIMARY KEY CHECK (version >= 1),
  weights jsonb NOT NULL,
  reason text NOT NULL,
  changed_by text NOT NULL,
  changed_at timestamptz NOT NULL
);

CREATE TABLE strategy_assessments (
  id text PRIMARY KEY,
  trigger text NOT NULL CHECK (trigger IN ('manual', 'monthly')),
  -- The month (YYYY-MM) a monthly re-run is for: one per month, whichever worker gets there first.
  month text CHECK ((trigger = 'monthly') = (month IS NOT NULL)),
  weights_version integer NOT NULL REFERENCES strategy_weights (version),
  answers jsonb NOT NULL,
  measures jsonb NOT NULL,
  result jsonb NOT NULL,
  strategy text NOT NULL CHECK (strategy IN ('omnichannel', 'multichannel', 'hybrid')),
  previous_id text REFERENCES strategy_assessments (id),
  -- Against the previous assessment: whether the recommendation changed, and why.
  change jsonb,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX strategy_assessments_month ON strategy_assessments (month) WHERE month IS NOT NULL;
CREATE INDEX strategy_assessments_created ON strategy_assessments (created_at DESC, id DESC);

CREATE TABLE strategy_action_acceptances (
  id text PRIMARY KEY,
  assessment_id text NOT NULL REFERENCES strategy_assessments (id),
  action_key text NOT NULL,
  accepted_by text NOT NULL,
  accepted_at timestamptz NOT NULL
);
CREATE INDEX strategy_action_acceptances_assessment ON strategy_action_acceptances (assessment_id);
