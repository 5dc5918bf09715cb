-- Local defaults of a store location (issue 19):
--  * default_country: the country whose phone numbers need no country code at this location's
--    counters (a number typed as 09171234567 in Manila). NULL: the address country. A channel's
--    default country is its `default_country` setting (channels.settings, no column needed).
--  * closures: dates the location is closed besides its weekly hours (public holidays, stock-taking,
--    works): a JSON array of {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "yearly": bool, "reason": text},
--    in the location's own time zone, checked by the application (locations/validate.ts).
ALTER TABLE locations ADD COLUMN default_country char(2) CHECK (default_country ~ '^[A-Z]{2}$');
ALTER TABLE locations ADD COLUMN closures jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(closures) = 'array');
