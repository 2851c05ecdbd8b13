// 003: sync with the hub. How far the hub acknowledged each stream (install epoch), the events it
// rejected or quarantined (shown to an operator), and the keys seen during a reference snapshot.
import type { Migration } from './index.js';

export const migration003: Migration = {
  version: 3,
  name: 'sync with the hub',
  up: (db) => {
    db.exec(`
CREATE TABLE sync_stream (
  epoch TEXT PRIMARY KEY,
  acked_seq INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE sync_problem (
  epoch TEXT NOT NULL,
  seq INTEGER NOT NULL,
  event_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('rejected','quarantined')),
  reason TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (epoch, seq, kind)
) STRICT;

CREATE TABLE reference_snapshot_seen (
  entity TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (entity, key)
) STRICT, WITHOUT ROWID;
`);
  },
};
