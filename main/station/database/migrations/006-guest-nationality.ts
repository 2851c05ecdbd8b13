// 006: a walk-in guest's nationality, read from their eID (or typed by the clerk) at registration.
// Personal data like the names: kept until the guest's retention date, then erased by the privacy
// purge (guests/purge.ts sets it to NULL with the names). Nullable: guests registered before this
// migration, and guests who do not give it, have none. The guest table has no append-only
// triggers (only the ledger tables and the outbox do, 001), so the purge's UPDATE stays allowed.
import type { Migration } from './index.js';

export const migration006: Migration = {
  version: 6,
  name: 'guest nationality',
  up: (db) => {
    db.exec(`ALTER TABLE guest ADD COLUMN nationality TEXT;`);
  },
};
