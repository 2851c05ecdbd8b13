// 005: agent sale. The members this reception signed up for the network, with what they accepted
// and where each sign-up stands at the hub. The member, their self-paying payer and their badge go
// into the ordinary reference tables at once (so they can check in offline), under ids the station
// made (m-/p-<UUIDv7>); the hub's copy of them later lands on the same rows, so visits keep their
// member. The outcome columns are the hub's answer (working state, updated when it arrives); the
// fact itself is the member.signed_up event in the outbox.
import type { Migration } from './index.js';

export const migration005: Migration = {
  version: 5,
  name: 'sign-ups at the reception',
  up: (db) => {
    db.exec(`
CREATE TABLE member_signup (
  member_id TEXT PRIMARY KEY REFERENCES member(id),
  payer_id TEXT NOT NULL REFERENCES payer(id),
  payer_kind TEXT NOT NULL CHECK (payer_kind IN ('company','self')),
  phone TEXT,
  -- JSON (street, postalCode, city, country) of a self-paying member; NULL when a company pays.
  billing_address TEXT,
  terms_version TEXT NOT NULL,
  privacy_version TEXT NOT NULL,
  accepted_at TEXT NOT NULL,
  badge_uid TEXT,
  badge_kind TEXT CHECK (badge_kind IN ('rfid','qr','barcode')),
  signed_up_at TEXT NOT NULL,
  signed_up_on TEXT NOT NULL,
  shift_id TEXT,
  state TEXT NOT NULL DEFAULT 'awaiting' CHECK (state IN ('awaiting','confirmed','duplicate_case','merged','refused')),
  reason TEXT,
  detail TEXT,
  duplicate_of TEXT,
  merged_into TEXT,
  decided_at TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX member_signup_time ON member_signup(signed_up_at);
`);
  },
};
