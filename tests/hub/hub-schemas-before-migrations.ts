// Hub databases as the stores made them before migrations, for tests/hub/migrations.test.ts to
// upgrade: what each store ran when it opened a new database, copied verbatim from git history (the
// SCHEMA constant of server/store/sqlite-store.ts and postgres-store.ts at the commit named, with
// DEVICE_TYPES_SQL and CREATED_BY written out as they were), then what its constructor ran after it.
// Text, not database files: one fixture makes both a SQLite file and a PostgreSQL database, and a
// reviewer can diff it against `git show COMMIT:server/store/sqlite-store.ts`. Never edit one to
// follow the code: they are what the old code did.

export interface HubBeforeMigrations {
  commit: string;
  what: string;
  /** The statements the SQLite store ran on a new database, in order. */
  sqlite: string[];
  /** The statements the PostgreSQL store ran on a new database, in order (one transaction). */
  postgres: string[];
}

/** The first hub with both stores (1e65738, before watermarks): no stream.caught_up_at, closed periods, erasures nor sign-ups. */
export const FIRST_HUB: HubBeforeMigrations = {
  commit: '1e65738',
  what: 'the first hub with both stores',
  sqlite: [
    `
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
CREATE TABLE IF NOT EXISTS overlap_case (
  id INTEGER PRIMARY KEY, member_id TEXT NOT NULL, visit_a TEXT NOT NULL, site_a TEXT NOT NULL, visit_b TEXT NOT NULL, site_b TEXT NOT NULL,
  detected_at TEXT NOT NULL
);
`,
  ],
  postgres: [
    `
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
`,
  ],
};

/** The hub of 7b1d41f, before this week's additions: no index event_rejected, no entity_owner (nor, on PostgreSQL, hub_meta). */
export const HUB_7B1D41F: HubBeforeMigrations = {
  commit: '7b1d41f',
  what: 'the hub before event_rejected and entity_owner',
  sqlite: [
    `
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
CREATE INDEX IF NOT EXISTS event_device ON event (site_id, wall_time) WHERE type IN ('device.monitored', 'device.fault', 'device.recovered', 'print.failed');
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
`,
    // "Hub stores made before watermarks existed get the column": a new database too.
    'ALTER TABLE stream ADD COLUMN caught_up_at TEXT',
  ],
  postgres: [
    `
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
CREATE INDEX IF NOT EXISTS event_device ON event (site_id, wall_time COLLATE "C") WHERE type IN ('device.monitored', 'device.fault', 'device.recovered', 'print.failed');
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
`,
  ],
};

/**
 * The hub of fe3e93a, the last before migrations: everything up to entity_owner, filled at its first
 * open (nothing to fill in a new database) and marked so in hub_meta (at a fixed time here).
 */
export const HUB_FE3E93A: HubBeforeMigrations = {
  commit: 'fe3e93a',
  what: 'the last hub before migrations',
  sqlite: [
    `
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
CREATE INDEX IF NOT EXISTS event_device ON event (site_id, wall_time) WHERE type IN ('device.monitored', 'device.fault', 'device.recovered', 'print.failed');
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
-- Rejected uploads (their raw text kept for an operator): a purge or an erasure looks through them
-- for the person's copies without scanning the ledger. Partial: accepted events never touch it.
CREATE INDEX IF NOT EXISTS event_rejected ON event (received_at) WHERE status = 'rejected';
-- Which site created each visit, consumption line, guest and provisional member (site-references.ts):
-- an upload may name only its own site's. Ids only, no personal data.
CREATE TABLE IF NOT EXISTS entity_owner (kind TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
`,
    'ALTER TABLE stream ADD COLUMN caught_up_at TEXT',
    `INSERT OR IGNORE INTO entity_owner (kind, id, site_id)
  SELECT kind, id, site_id FROM (SELECT 'visit' AS kind, json_extract(payload, '$.visitId') AS id, site_id, rowid AS n FROM event WHERE type = 'visit.checked_in' AND status = 'accepted' UNION ALL SELECT 'line' AS kind, json_extract(payload, '$.consumptionId') AS id, site_id, rowid AS n FROM event WHERE type = 'consumption.recorded' AND status = 'accepted' UNION ALL SELECT 'line' AS kind, json_extract(payload, '$.consumptionId') AS id, site_id, rowid AS n FROM event WHERE type = 'consumption.voided' AND status = 'accepted' UNION ALL SELECT 'guest' AS kind, json_extract(payload, '$.guestId') AS id, site_id, rowid AS n FROM event WHERE type = 'guest.registered' AND status = 'accepted' UNION ALL SELECT 'member' AS kind, json_extract(payload, '$.memberId') AS id, site_id, rowid AS n FROM event WHERE type = 'member.signed_up' AND status = 'accepted')
  WHERE id IS NOT NULL ORDER BY n`,
    "INSERT INTO hub_meta (key, value) VALUES ('entity_owner_backfilled_at', '2026-12-01T09:00:00.000Z')",
  ],
  postgres: [
    `
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
CREATE INDEX IF NOT EXISTS event_device ON event (site_id, wall_time COLLATE "C") WHERE type IN ('device.monitored', 'device.fault', 'device.recovered', 'print.failed');
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
-- Rejected uploads (their raw text kept for an operator): a purge or an erasure looks through them
-- for the person's copies without scanning the ledger. Partial: accepted events never touch it.
CREATE INDEX IF NOT EXISTS event_rejected ON event (received_at) WHERE status = 'rejected';
CREATE TABLE IF NOT EXISTS hub_meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
-- Which site created each visit, consumption line, guest and provisional member (site-references.ts):
-- an upload may name only its own site's. Ids only, no personal data.
CREATE TABLE IF NOT EXISTS entity_owner (
  kind text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, site_id text COLLATE "C" NOT NULL, PRIMARY KEY (kind, id)
);
`,
    `INSERT INTO entity_owner (kind, id, site_id)
  SELECT DISTINCT ON (kind, id) kind, id, site_id FROM (SELECT 'visit' AS kind, (payload::jsonb) ->> 'visitId' AS id, site_id, received_at, epoch, seq FROM event WHERE type = 'visit.checked_in' AND status = 'accepted' UNION ALL SELECT 'line' AS kind, (payload::jsonb) ->> 'consumptionId' AS id, site_id, received_at, epoch, seq FROM event WHERE type = 'consumption.recorded' AND status = 'accepted' UNION ALL SELECT 'line' AS kind, (payload::jsonb) ->> 'consumptionId' AS id, site_id, received_at, epoch, seq FROM event WHERE type = 'consumption.voided' AND status = 'accepted' UNION ALL SELECT 'guest' AS kind, (payload::jsonb) ->> 'guestId' AS id, site_id, received_at, epoch, seq FROM event WHERE type = 'guest.registered' AND status = 'accepted' UNION ALL SELECT 'member' AS kind, (payload::jsonb) ->> 'memberId' AS id, site_id, received_at, epoch, seq FROM event WHERE type = 'member.signed_up' AND status = 'accepted') AS created
  WHERE id IS NOT NULL ORDER BY kind, id, received_at, site_id, epoch, seq
  ON CONFLICT DO NOTHING`,
    "INSERT INTO hub_meta (key, value) VALUES ('entity_owner_backfilled_at', '2026-12-01T09:00:00.000Z')",
  ],
};
