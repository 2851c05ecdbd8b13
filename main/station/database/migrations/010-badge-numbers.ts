// 010: badge numbers. The site's badge formats (site.badge_formats: JSON of
// common/readers/badge-formats.ts, NULL for the default), what a keyboard-wedge read must fit to
// be a tap. And the stored numbers in their canonical spelling (common/badge-uid.ts: trimmed, upper case), so a
// lower-case number read or typed finds its badge. The reference copy of the badges and the
// sign-ups waiting for the hub are rewritten; visits keep the number as it was read (append-only
// history, not a key anything looks up).
//
// Two rows whose numbers differ only in case become one badge. The row already in canonical form
// wins: readers wrote upper case by default, so it is the one taps matched. Without one, the row
// written last (highest rowid) wins. The others are dropped from this copy — the hub makes the
// same decision in its own migration (server/store/migrations/004) and stations take its result
// at their next reference pull, so the copy converges on the network's choice.
//
// Frozen: the canonical spelling is written out as it was at 010 (upper() is ASCII-only in
// SQLite, as canonicalBadgeUid is, and no stored number has surrounding blanks: the schema never
// allowed them).
import type { Migration } from './index.js';

export const migration010: Migration = {
  version: 10,
  name: 'badge numbers',
  up: (db) => {
    db.exec(`
ALTER TABLE site ADD COLUMN badge_formats TEXT;
DELETE FROM badge WHERE uid <> upper(uid) AND (
  EXISTS (SELECT 1 FROM badge c WHERE c.uid = upper(badge.uid))
  OR EXISTS (SELECT 1 FROM badge o WHERE o.uid <> upper(o.uid) AND upper(o.uid) = upper(badge.uid) AND o.rowid > badge.rowid)
);
UPDATE badge SET uid = upper(uid) WHERE uid <> upper(uid);
UPDATE member_signup SET badge_uid = upper(badge_uid) WHERE badge_uid <> upper(badge_uid);
`);
  },
};
