// 008: a smaller write set for a tap. Every page a commit writes is a WAL frame synced before the
// tap is answered, so indexes the tap path writes but nothing needs are dropped:
// - consumption_day and consumption_member_day: a line's local day is always its visit's
//   check-in day (priceConsumption prices it so), so the day's figures and a member's charges of
//   the day are found through the day's visits (visit_time, visit_member_time) and
//   consumption_visit instead;
// - open_visit's UNIQUE(member_id): open_visit holds only who is on site now (a few hundred rows
//   at most), so a member's open visit is found by scanning it. "One open visit per member" is
//   kept by check-in, which looks for one in the same IMMEDIATE transaction before inserting.
// A check-out now writes 6 B-tree pages instead of 9, a check-in 6 instead of 7.
import type { Migration } from './index.js';

export const migration008: Migration = {
  version: 8,
  name: 'tap write set',
  up: (db) => {
    db.exec(`
DROP INDEX consumption_day;
DROP INDEX consumption_member_day;
CREATE TABLE open_visit_008 (
  visit_id TEXT PRIMARY KEY REFERENCES visit(id),
  member_id TEXT,
  checked_in_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO open_visit_008 (visit_id, member_id, checked_in_at) SELECT visit_id, member_id, checked_in_at FROM open_visit;
DROP TABLE open_visit;
ALTER TABLE open_visit_008 RENAME TO open_visit;
`);
  },
};
