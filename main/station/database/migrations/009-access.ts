// 009: who may do what at the station.
// - staff.role: a supervisor (the hub connection, reference data, devices, unlocking a clerk) is a
//   staff member whose reference data says so; everyone else is a clerk.
// - staff_lockout.locks: how many times wrong PINs have locked the clerk since their last good PIN.
//   A lock that expires no longer gives five fresh tries: the next wrong PIN locks again, for
//   longer (see main/station/staff/lockout.ts), until a supervisor unlocks.
// - host_pairing: one-time tickets that pair a browser with the station's local host as its kiosk
//   or reception screen (only their SHA-256 is kept; a ticket is used once, within minutes).
// - printer_file_allow: the files a supervisor allowed, from the command line, as "file printers"
//   besides device nodes: nothing printed is written anywhere else.
import type { Migration } from './index.js';

export const migration009: Migration = {
  version: 9,
  name: 'access',
  up: (db) => {
    db.exec(`
ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'clerk' CHECK (role IN ('clerk','supervisor'));
ALTER TABLE staff_lockout ADD COLUMN locks INTEGER NOT NULL DEFAULT 0;
CREATE TABLE host_pairing (
  ticket_sha256 TEXT PRIMARY KEY,
  window TEXT NOT NULL CHECK (window IN ('kiosk','reception')),
  expires_at TEXT NOT NULL,
  used_at TEXT
) STRICT, WITHOUT ROWID;
CREATE TABLE printer_file_allow (
  path TEXT PRIMARY KEY,
  added_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
`);
  },
};
