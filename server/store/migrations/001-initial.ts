// 001: the hub's schema as the stores created it before migrations existed (commit 7b1d41f): the
// ledger of events, streams and their watermarks, quarantine, alerts, open visits and overlap cases,
// reference data by cursor, closed periods, erasures and sign-up decisions.
//
// Written with IF NOT EXISTS, as those stores ran it at every open: besides making a new database,
// the runner runs it over a database made before migrations (run.ts, legacy.ts), completing what an
// older hub may lack (stream.caught_up_at, added then by an ALTER at open) before recording its version.
//
// Frozen, like every migration: the device-event types of the partial index event_device are written
// out as they were (DEVICE_TYPES_SQL in ../store.ts then); a change to that list needs a migration
// that rebuilds the index, or the queries that use it stop matching it.
import type { HubMigration } from './index.js';

export const DEVICE_TYPES_AT_001 = `type IN ('device.monitored', 'device.fault', 'device.recovered', 'print.failed')`;

const sqlite = `
CREATE TABLE IF NOT EXISTS hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS station (
  id TEXT PRIMARY KEY, site_id TEXT NOT NULL, name TEXT NOT NULL, secret_hash TEXT NOT NULL, enrolled_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS ref_entity (
  entity TEXT NOT NULL, key TEXT NOT NULL, data TEXT, cursor INTEGER NOT NULL UNIQUE, updated_at TEXT NOT NULL,
  PRIMARY KEY (entity, key)
);
CREATE TABLE IF NOT EXISTS stream (
  site_id TEXT NOT NULL, epoch TEXT NOT NULL, acked_seq INTEGER NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
  last_clock_offset_ms INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (site_id, epoch)
);
CREATE TABLE IF NOT EXISTS event (
  id TEXT PRIMARY KEY, site_id TEXT NOT NULL, epoch TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('accepted','rejected')), reason TEXT, payload TEXT NOT NULL,
  wall_time TEXT, hlc TEXT, received_at TEXT NOT NULL, clock_offset_ms INTEGER NOT NULL, flags TEXT NOT NULL,
  UNIQUE (site_id, epoch, seq)
);
CREATE TABLE IF NOT EXISTS quarantine (
  id INTEGER PRIMARY KEY, site_id TEXT NOT NULL, epoch TEXT NOT NULL, seq INTEGER NOT NULL, event_id TEXT, reason TEXT NOT NULL,
  raw TEXT NOT NULL, received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quarantine_stream ON quarantine(site_id, epoch, seq);
CREATE TABLE IF NOT EXISTS alert (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, site_id TEXT NOT NULL, detail TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS open_visit (visit_id TEXT PRIMARY KEY, member_id TEXT NOT NULL, site_id TEXT NOT NULL, checked_in_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS open_visit_member ON open_visit(member_id);
CREATE TABLE IF NOT EXISTS closed_period (period TEXT PRIMARY KEY, closed_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS overlap_case (
  id INTEGER PRIMARY KEY, member_id TEXT NOT NULL, visit_a TEXT NOT NULL, site_a TEXT NOT NULL, visit_b TEXT NOT NULL, site_b TEXT NOT NULL,
  detected_at TEXT NOT NULL
);
-- Guests' registrations by guest, and those still holding personal data by retention date: the
-- purges find them without scanning the ledger. Partial: the other events never touch them.
CREATE INDEX IF NOT EXISTS event_guest ON event (json_extract(payload, '$.guestId')) WHERE type = 'guest.registered';
CREATE INDEX IF NOT EXISTS event_guest_due ON event (json_extract(payload, '$.retentionUntil'))
  WHERE type = 'guest.registered' AND json_extract(payload, '$.purgedAt') IS NULL;
-- Device-health events by site: a site's first one says since when it reports its devices.
CREATE INDEX IF NOT EXISTS event_device ON event (site_id, wall_time) WHERE ${DEVICE_TYPES_AT_001};
CREATE TABLE IF NOT EXISTS member_erasure (
  id INTEGER PRIMARY KEY, member_id TEXT NOT NULL, erased_by TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL, cursor INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS member_erasure_member ON member_erasure(member_id);
-- Agent sale: each sign-up's decision. The sign-ups still to decide are the member.signed_up
-- events without a row here (found through the partial index, at start and after each upload).
CREATE TABLE IF NOT EXISTS signup (
  member_id TEXT PRIMARY KEY, site_id TEXT NOT NULL, event_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('confirmed','duplicate_case','merged','refused')),
  reason TEXT, detail TEXT, duplicate_of TEXT, merged_into TEXT, payload TEXT NOT NULL, decided_at TEXT NOT NULL,
  resolved_at TEXT, resolved_by TEXT
);
CREATE INDEX IF NOT EXISTS signup_state ON signup(state, decided_at);
CREATE INDEX IF NOT EXISTS event_signup ON event (json_extract(payload, '$.memberId')) WHERE type = 'member.signed_up';
`;

// Ids and keys sort byte-wise (COLLATE "C") as in SQLite, whatever the database's locale. Payloads,
// reference data and raw uploads are kept as the exact JSON text received (text, not jsonb, which
// would reorder keys): a resend is recognised by comparing that text.
const postgres = `
CREATE TABLE IF NOT EXISTS hub_counter (name text COLLATE "C" PRIMARY KEY, value bigint NOT NULL);
INSERT INTO hub_counter (name, value) VALUES ('ref_cursor', 0), ('ref_min_cursor', 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS station (
  id text COLLATE "C" PRIMARY KEY, site_id text COLLATE "C" NOT NULL, name text NOT NULL, secret_hash text NOT NULL,
  enrolled_at timestamptz NOT NULL, revoked_at timestamptz
);
CREATE TABLE IF NOT EXISTS ref_entity (
  entity text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, data text, cursor bigint NOT NULL UNIQUE, updated_at timestamptz NOT NULL,
  PRIMARY KEY (entity, key)
);
CREATE TABLE IF NOT EXISTS stream (
  site_id text COLLATE "C" NOT NULL, epoch text COLLATE "C" NOT NULL, acked_seq bigint NOT NULL, first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL, last_clock_offset_ms bigint NOT NULL DEFAULT 0, PRIMARY KEY (site_id, epoch)
);
CREATE TABLE IF NOT EXISTS event (
  id text COLLATE "C" PRIMARY KEY, site_id text COLLATE "C" NOT NULL, epoch text COLLATE "C" NOT NULL, seq bigint NOT NULL, type text NOT NULL,
  status text NOT NULL CHECK (status IN ('accepted','rejected')), reason text, payload text NOT NULL,
  wall_time text, hlc text, received_at timestamptz NOT NULL, clock_offset_ms bigint NOT NULL, flags jsonb NOT NULL,
  UNIQUE (site_id, epoch, seq)
);
ALTER TABLE stream ADD COLUMN IF NOT EXISTS caught_up_at text;
CREATE TABLE IF NOT EXISTS closed_period (period text COLLATE "C" PRIMARY KEY, closed_at timestamptz NOT NULL, data jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS quarantine (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, site_id text COLLATE "C" NOT NULL, epoch text COLLATE "C" NOT NULL, seq bigint NOT NULL,
  event_id text, reason text NOT NULL, raw text NOT NULL, received_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS quarantine_stream ON quarantine (site_id, epoch, seq);
CREATE TABLE IF NOT EXISTS alert (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text NOT NULL, site_id text COLLATE "C" NOT NULL, detail text NOT NULL, at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS open_visit (
  visit_id text COLLATE "C" PRIMARY KEY, member_id text COLLATE "C" NOT NULL, site_id text COLLATE "C" NOT NULL, checked_in_at text NOT NULL
);
CREATE INDEX IF NOT EXISTS open_visit_member ON open_visit (member_id);
CREATE TABLE IF NOT EXISTS overlap_case (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, member_id text COLLATE "C" NOT NULL, visit_a text NOT NULL, site_a text COLLATE "C" NOT NULL,
  visit_b text NOT NULL, site_b text COLLATE "C" NOT NULL, detected_at timestamptz NOT NULL
);
-- Guests' registrations by guest, and those still holding personal data by retention date: the
-- purges find them without scanning the ledger. Partial: the other events never touch them.
CREATE INDEX IF NOT EXISTS event_guest ON event (((payload::jsonb) ->> 'guestId')) WHERE type = 'guest.registered';
CREATE INDEX IF NOT EXISTS event_guest_due ON event (((payload::jsonb) ->> 'retentionUntil'))
  WHERE type = 'guest.registered' AND ((payload::jsonb) ->> 'purgedAt') IS NULL;
-- Device-health events by site: a site's first one says since when it reports its devices.
CREATE INDEX IF NOT EXISTS event_device ON event (site_id, wall_time COLLATE "C") WHERE ${DEVICE_TYPES_AT_001};
CREATE TABLE IF NOT EXISTS member_erasure (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, member_id text COLLATE "C" NOT NULL, erased_by text NOT NULL, reason text NOT NULL,
  at timestamptz NOT NULL, cursor bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS member_erasure_member ON member_erasure (member_id);
-- Agent sale: each sign-up's decision. The sign-ups still to decide are the member.signed_up
-- events without a row here (found through the partial index, at start and after each upload).
CREATE TABLE IF NOT EXISTS signup (
  member_id text COLLATE "C" PRIMARY KEY, site_id text COLLATE "C" NOT NULL, event_id text COLLATE "C" NOT NULL,
  state text NOT NULL CHECK (state IN ('confirmed','duplicate_case','merged','refused')),
  reason text, detail text, duplicate_of text, merged_into text, payload text NOT NULL, decided_at text NOT NULL,
  resolved_at text, resolved_by text
);
CREATE INDEX IF NOT EXISTS signup_state ON signup (state, decided_at);
CREATE INDEX IF NOT EXISTS event_signup ON event (((payload::jsonb) ->> 'memberId')) WHERE type = 'member.signed_up';
`;

export const migration001: HubMigration = {
  version: 1,
  name: 'initial',
  sqlite,
  postgres,
  data: {
    // SQLite has no ADD COLUMN IF NOT EXISTS (PostgreSQL's is in the statements): a stream table of a
    // hub older than watermarks gets the column here.
    sqlite: (db) => {
      const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all('stream') as { name: string }[]).map((c) => c.name);
      if (!columns.includes('caught_up_at')) db.exec('ALTER TABLE stream ADD COLUMN caught_up_at TEXT');
    },
  },
};
