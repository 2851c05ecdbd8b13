// 007: device health. What the station last reported of each configured device, so a fault is
// reported once per down period — not again on every retry, after a restart or when the devices
// are reopened for a configuration change — and its recovery says how long it was down. Working
// state (updated in place, removed with the device); the facts are the device.* events.
import type { Migration } from './index.js';

export const migration007: Migration = {
  version: 7,
  name: 'device health',
  up: (db) => {
    db.exec(`
CREATE TABLE device_health (
  device_id TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('up','down')),
  -- When it went into this state (station clock, ISO).
  since TEXT NOT NULL,
  -- 1 when a device.fault was appended for this down period (a device never seen working gets none).
  fault_reported INTEGER NOT NULL DEFAULT 0 CHECK (fault_reported IN (0, 1))
) STRICT, WITHOUT ROWID;
`);
  },
};
