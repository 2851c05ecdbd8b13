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
`);
  },
};
