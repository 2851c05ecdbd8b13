// 003: which site created each visit, consumption line, guest and provisional member
// (site-references.ts): an upload may name only its own site's. Ids only, no personal data. Filled
// here from the events the database already holds, in the order they were stored: where two sites
// created the same id before the rule existed, the first keeps it. (Commit 3afcd28; PostgreSQL got
// hub_meta then, SQLite had it from 001.) The hub_meta key says when the owners were filled.
//
// Frozen: the creating event types are written out as they were (CREATED_BY in site-references.ts
// then). A type that creates ids later needs a migration that fills its owners.
import type { HubMigration } from './index.js';

/** The event types that created an id at 003, the kind of id and the top-level payload field that holds it. */
export const CREATED_BY_AT_003: readonly { type: string; kind: string; field: string }[] = [
  { type: 'visit.checked_in', kind: 'visit', field: 'visitId' },
  { type: 'consumption.recorded', kind: 'line', field: 'consumptionId' },
  { type: 'consumption.voided', kind: 'line', field: 'consumptionId' },
  { type: 'guest.registered', kind: 'guest', field: 'guestId' },
  { type: 'member.signed_up', kind: 'member', field: 'memberId' },
];

/** The hub_meta key set when entity_owner was filled from the events stored before it existed. */
export const OWNERS_BACKFILLED = 'entity_owner_backfilled_at';

const sqliteBackfill = `INSERT OR IGNORE INTO entity_owner (kind, id, site_id)
  SELECT kind, id, site_id FROM (${CREATED_BY_AT_003.map(
    (c) => `SELECT '${c.kind}' AS kind, json_extract(payload, '$.${c.field}') AS id, site_id, rowid AS n FROM event WHERE type = '${c.type}' AND status = 'accepted'`,
  ).join(' UNION ALL ')})
  WHERE id IS NOT NULL ORDER BY n`;

const postgresBackfill = `INSERT INTO entity_owner (kind, id, site_id)
  SELECT DISTINCT ON (kind, id) kind, id, site_id FROM (${CREATED_BY_AT_003.map(
    (c) => `SELECT '${c.kind}' AS kind, (payload::jsonb) ->> '${c.field}' AS id, site_id, received_at, epoch, seq FROM event WHERE type = '${c.type}' AND status = 'accepted'`,
  ).join(' UNION ALL ')}) AS created
  WHERE id IS NOT NULL ORDER BY kind, id, received_at, site_id, epoch, seq
  ON CONFLICT DO NOTHING`;

export const migration003: HubMigration = {
  version: 3,
  name: 'entity owners',
  sqlite: `CREATE TABLE entity_owner (kind TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;`,
  postgres: `
CREATE TABLE hub_meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
CREATE TABLE entity_owner (
  kind text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, site_id text COLLATE "C" NOT NULL, PRIMARY KEY (kind, id)
);`,
  data: {
    sqlite: (db) => {
      db.exec(sqliteBackfill);
      db.prepare('INSERT INTO hub_meta (key, value) VALUES (?, ?)').run(OWNERS_BACKFILLED, new Date().toISOString());
    },
    postgres: async (q) => {
      await q(postgresBackfill);
      await q('INSERT INTO hub_meta (key, value) VALUES ($1, $2)', [OWNERS_BACKFILLED, new Date().toISOString()]);
    },
  },
};
