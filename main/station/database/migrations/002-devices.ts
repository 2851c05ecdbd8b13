// 002: devices and print jobs. Device configuration is station-local (not reference data); print
// jobs survive restarts and printer outages. A job keeps the document it prints, so a reprint
// shows exactly what the first print showed.
import type { Migration } from './index.js';

export const migration002: Migration = {
  version: 2,
  name: 'devices and print jobs',
  up: (db) => {
    db.exec(`
CREATE TABLE device (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('reader','printer')),
  config TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE print_job (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('receipt','badge','test')),
  visit_id TEXT REFERENCES visit(id),
  printer_id TEXT NOT NULL,
  document TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued','printing','printed','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  printed_on TEXT,
  created_at TEXT NOT NULL,
  printed_at TEXT,
  reprint_of TEXT REFERENCES print_job(id)
) STRICT;
CREATE INDEX print_job_pending ON print_job(created_at) WHERE state IN ('queued','printing');
CREATE INDEX print_job_visit ON print_job(visit_id);
`);
  },
};
