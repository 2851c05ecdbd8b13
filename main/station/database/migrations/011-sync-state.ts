// 011: the sync state of the station's running sync clients, kept where any process reads it: the
// command line's `sync-status` beside a running `run`, or the app beside the CLI, would otherwise
// only see its own (absent) client and say "offline, never synced". One row per client run (a
// `sync` may run beside `run`: neither overwrites the other), written by the client through its
// port on state changes and at least every few seconds (its heartbeat, `seen_at`), never on the tap
// path; a reader tells a running client from one that is gone. Rows of clients that ended are
// removed by the next client. Working state, updated in place; nothing billable.
import type { Migration } from './index.js';

export const migration011: Migration = {
  version: 11,
  name: 'sync state',
  up: (db) => {
    db.exec(`
CREATE TABLE sync_state (
  client_id TEXT PRIMARY KEY,
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
) STRICT, WITHOUT ROWID;
`);
  },
};
