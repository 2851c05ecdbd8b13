// 004: plans. The passes, members' subscriptions and company hour quotas the hub sends down, so
// that a tap offline knows what pays for a member's workspace. Kept as the hub's JSON (parsed with
// the common schemas when read) plus the columns the station looks them up by.
import type { Migration } from './index.js';

export const migration004: Migration = {
  version: 4,
  name: 'plans',
  up: (db) => {
    db.exec(`
CREATE TABLE plan (
  id TEXT PRIMARY KEY,
  data TEXT NOT NULL
) STRICT;

CREATE TABLE subscription (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  data TEXT NOT NULL
) STRICT;
CREATE INDEX subscription_member ON subscription(member_id);

CREATE TABLE quota (
  id TEXT PRIMARY KEY,
  data TEXT NOT NULL
) STRICT;

-- Which members a quota allocates minutes to: the lookup at a tap.
CREATE TABLE quota_member (
  quota_id TEXT NOT NULL REFERENCES quota(id) ON DELETE CASCADE,
  member_id TEXT NOT NULL,
  PRIMARY KEY (member_id, quota_id)
) STRICT, WITHOUT ROWID;

-- What paid for each consumption line, as priced here: the coverage JSON of the
-- consumption.recorded event (NULL on lines from before plans: pay-as-you-go). A void copies the
-- coverage of the line it compensates. quota_id and quota_minutes (signed: a void gives the
-- minutes back) let a tap add up what this station drew from a quota without parsing JSON.
-- Columns added to an append-only table: its triggers refuse UPDATE and DELETE only.
ALTER TABLE consumption ADD COLUMN coverage TEXT;
ALTER TABLE consumption ADD COLUMN quota_id TEXT;
ALTER TABLE consumption ADD COLUMN quota_minutes INTEGER NOT NULL DEFAULT 0;
CREATE INDEX consumption_quota ON consumption(quota_id, member_id, at) WHERE quota_id IS NOT NULL;
`);
  },
};
