// 001: the station ledger. Reference tables mirror what the hub sends down; visits, checkouts,
// voids, consumption and the outbox are append-only (triggers refuse UPDATE and DELETE), so a
// billable fact is only ever corrected by a compensating entry.
import type { Migration } from './index.js';

const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correction instead'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correction instead'); END;
`;

export const migration001: Migration = {
  version: 1,
  name: 'initial station ledger',
  up: (db) => {
    db.exec(`
CREATE TABLE station_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE site (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  region TEXT NOT NULL CHECK (region IN ('brussels','wallonia','flanders')),
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 3),
  time_zone TEXT NOT NULL,
  opening_hours TEXT NOT NULL,
  membership TEXT NOT NULL
) STRICT;

CREATE TABLE payer (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('company','self')),
  name TEXT NOT NULL,
  vat_number TEXT,
  language TEXT NOT NULL
) STRICT;

CREATE TABLE member (
  id TEXT PRIMARY KEY,
  payer_id TEXT NOT NULL REFERENCES payer(id),
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,
  language TEXT NOT NULL CHECK (language IN ('fr','nl','en','de')),
  status TEXT NOT NULL CHECK (status IN ('active','blocked')),
  blocked_reason TEXT,
  home_site_id TEXT NOT NULL,
  agent_site_id TEXT,
  search_text TEXT NOT NULL
) STRICT;
CREATE INDEX member_payer ON member(payer_id);

CREATE TABLE badge (
  uid TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES member(id),
  kind TEXT NOT NULL CHECK (kind IN ('rfid','qr','barcode')),
  status TEXT NOT NULL CHECK (status IN ('active','lost','revoked')),
  assigned_here_at TEXT
) STRICT;
CREATE INDEX badge_member ON badge(member_id);

CREATE TABLE service (
  code TEXT PRIMARY KEY,
  names TEXT NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('hour','half_day','day','item','page')),
  category TEXT NOT NULL
) STRICT;

CREATE TABLE tariff_version (id TEXT PRIMARY KEY, effective_from TEXT NOT NULL UNIQUE) STRICT;
CREATE TABLE tariff_price (
  tariff_version_id TEXT NOT NULL REFERENCES tariff_version(id),
  service_code TEXT NOT NULL REFERENCES service(code),
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 3),
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  vat_rate_bp INTEGER NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  billing_increment_minutes INTEGER,
  daily_cap_cents INTEGER,
  PRIMARY KEY (tariff_version_id, service_code, stars)
) STRICT;

CREATE TABLE staff (id TEXT PRIMARY KEY, name TEXT NOT NULL, pin_hash TEXT NOT NULL) STRICT;
-- Working state of the PIN lockout: not a fact to sync, so it may be updated.
CREATE TABLE staff_lockout (
  staff_id TEXT PRIMARY KEY REFERENCES staff(id),
  failed_attempts INTEGER NOT NULL,
  locked_until TEXT
) STRICT;
CREATE TABLE staff_shift (
  id TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  started_at TEXT NOT NULL,
  ended_at TEXT
) STRICT;
CREATE INDEX staff_shift_open ON staff_shift(staff_id) WHERE ended_at IS NULL;

CREATE TABLE guest (
  id TEXT PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  company TEXT,
  email TEXT,
  language TEXT NOT NULL CHECK (language IN ('fr','nl','en','de')),
  search_text TEXT NOT NULL,
  host_member_id TEXT REFERENCES member(id),
  consent_at TEXT NOT NULL,
  retention_until TEXT NOT NULL,
  registered_at TEXT NOT NULL
) STRICT;

CREATE TABLE visit (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  member_id TEXT REFERENCES member(id),
  guest_id TEXT REFERENCES guest(id),
  badge_uid TEXT,
  checked_in_at TEXT NOT NULL,
  checked_in_by TEXT NOT NULL CHECK (checked_in_by IN ('badge','staff')),
  shift_id TEXT,
  CHECK ((member_id IS NULL) <> (guest_id IS NULL))
) STRICT, WITHOUT ROWID;
CREATE INDEX visit_member_time ON visit(member_id, checked_in_at) WHERE member_id IS NOT NULL;
CREATE INDEX visit_time ON visit(checked_in_at);

CREATE TABLE visit_checkout (
  visit_id TEXT PRIMARY KEY REFERENCES visit(id),
  checked_out_at TEXT NOT NULL,
  checked_out_by TEXT NOT NULL CHECK (checked_out_by IN ('badge','staff','auto')),
  shift_id TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE visit_void (
  visit_id TEXT PRIMARY KEY REFERENCES visit(id),
  reason TEXT NOT NULL,
  voided_at TEXT NOT NULL,
  shift_id TEXT
) STRICT, WITHOUT ROWID;

-- Who is on site now: a working index kept in the same transaction as check-in and check-out,
-- so the evacuation list never scans the year's visits. One open visit per member at most.
CREATE TABLE open_visit (
  visit_id TEXT PRIMARY KEY REFERENCES visit(id),
  member_id TEXT UNIQUE,
  checked_in_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE consumption (
  id TEXT PRIMARY KEY,
  visit_id TEXT NOT NULL REFERENCES visit(id),
  member_id TEXT,
  guest_id TEXT,
  service_code TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  billed_quantity INTEGER NOT NULL,
  tariff_version_id TEXT NOT NULL,
  stars INTEGER NOT NULL,
  unit_price_cents INTEGER NOT NULL,
  vat_rate_bp INTEGER NOT NULL,
  net_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  gross_cents INTEGER NOT NULL,
  cap_applied INTEGER NOT NULL,
  local_date TEXT NOT NULL,
  at TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('checkout','staff','void')),
  voids_id TEXT REFERENCES consumption(id),
  reason TEXT,
  shift_id TEXT,
  CHECK ((source = 'void') = (voids_id IS NOT NULL))
) STRICT, WITHOUT ROWID;
-- A line is voided at most once; partial, so the ordinary lines never touch this index.
CREATE UNIQUE INDEX consumption_voids ON consumption(voids_id) WHERE voids_id IS NOT NULL;
CREATE INDEX consumption_visit ON consumption(visit_id);
CREATE INDEX consumption_day ON consumption(local_date, service_code);
CREATE INDEX consumption_member_day ON consumption(member_id, service_code, local_date) WHERE member_id IS NOT NULL;
CREATE INDEX consumption_guest_day ON consumption(guest_id, service_code, local_date) WHERE guest_id IS NOT NULL;

-- The outbox: the queue of events for the hub. (epoch, seq) is gap-free per install epoch. The
-- event id is a UUIDv7 made here and unique by construction (the hub enforces it): no index, one
-- fewer page to write per event on the tap path.
CREATE TABLE outbox (
  position INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  site_id TEXT NOT NULL,
  epoch TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  wall_time TEXT NOT NULL,
  hlc TEXT NOT NULL,
  UNIQUE (epoch, seq)
) STRICT;
${['visit', 'visit_checkout', 'visit_void', 'consumption', 'outbox'].map(appendOnly).join('\n')}
`);
  },
};
