// 010: the sync state of the station's running sync client, kept where any process reads it: the
// command line's `sync-status` beside a running `run`, or the app beside the CLI, would otherwise
// only see its own (absent) client and say "offline, never synced". One row, written by the sync
// client through its port on state changes and at most every few seconds (never on the tap path);
// `seen_at` is its heartbeat, so a reader tells a running client from one that is gone. Working
// state, updated in place; nothing billable.
import type { Migration } from './index.js';

export const migration010: Migration = {
  version: 10,
  name: 'sync state',
  up: (db) => {
    db.exec(`
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  -- The writer: its process and machine (a pid means nothing on another machine).
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  hub_url TEXT NOT NULL,
  online INTEGER NOT NULL CHECK (online IN (0, 1)),
  last_success_at TEXT,
  last_error TEXT,
  started_at TEXT NOT NULL,
  -- The writer's last heartbeat (station clock, ISO).
  seen_at TEXT NOT NULL,
  -- Set when the client stopped cleanly: its last word, not a crash.
  stopped_at TEXT
) STRICT;
`);
  },
};
