// 006: payments are owned by the site that took them (site-references.ts, issue 16): only that
// site's station may refund a payment or withdraw its invoice. The owners of the payments the hub
// already holds are filled from their payment.recorded events, in the order they were stored (where
// two sites recorded one payment id, the first keeps it, as 003 did for the other kinds).
//
// Frozen: the creating event type is written out as it was at 006.
import type { HubMigration } from './index.js';

/** The event types that create an id since 006, the kind of id and the top-level payload field that holds it. */
export const CREATED_BY_AT_006: readonly { type: string; kind: string; field: string }[] = [{ type: 'payment.recorded', kind: 'payment', field: 'paymentId' }];

const sqliteBackfill = CREATED_BY_AT_006.map(
  (c) => `INSERT OR IGNORE INTO entity_owner (kind, id, site_id)
  SELECT '${c.kind}', json_extract(payload, '$.${c.field}'), site_id FROM event
  WHERE type = '${c.type}' AND status = 'accepted' AND json_extract(payload, '$.${c.field}') IS NOT NULL ORDER BY rowid`,
);

const postgresBackfill = CREATED_BY_AT_006.map(
  (c) => `INSERT INTO entity_owner (kind, id, site_id)
  SELECT DISTINCT ON (id) '${c.kind}', id, site_id FROM (
    SELECT (payload::jsonb) ->> '${c.field}' AS id, site_id, received_at, epoch, seq FROM event WHERE type = '${c.type}' AND status = 'accepted'
  ) AS created
  WHERE id IS NOT NULL ORDER BY id, received_at, site_id, epoch, seq
  ON CONFLICT DO NOTHING`,
);

export const migration006: HubMigration = {
  version: 6,
  name: 'payment owners',
  sqlite: '',
  postgres: '',
  data: {
    sqlite: (db) => {
      for (const s of sqliteBackfill) db.exec(s);
    },
    postgres: async (q) => {
      for (const s of postgresBackfill) await q(s);
    },
  },
};
