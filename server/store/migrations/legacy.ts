// A hub database made before migrations has tables and no version record: the version it is at is
// read from the objects the later migrations create (002: the index event_rejected; 003: the table
// entity_owner and the mark of its backfill). Frozen at 003: no database without a record holds more.
import type { Database } from 'better-sqlite3';
import type { PgQuery } from './index.js';
import { OWNERS_BACKFILLED } from './003-entity-owner.js';
import { HubSchemaError } from './errors.js';

/** What a database without a version record holds. */
export interface LegacyFacts {
  /** A table every hub store has made since the first (station, ref_entity, stream, event). */
  hub: boolean;
  /** The index of migration 002. */
  rejectedIndex: boolean;
  /** The table of migration 003. */
  owners: boolean;
  /** Rows in it (0 without it). */
  ownerRows: number;
  /** The hub_meta key its backfill set. */
  ownersFilled: boolean;
  /** PostgreSQL: a hub_meta table (created with entity_owner there; SQLite has it from 001). */
  postgresMeta?: boolean;
}

/** Where a database without a version record stands: nothing of a hub (a new one), or a version. */
export type LegacyVersion = { made: false } | { made: true; version: number; dropEmptyOwners: boolean };

const unrecognised = (what: string) =>
  new HubSchemaError(
    'DATABASE_UNRECOGNISED',
    `This hub database has no schema version and ${what}: no Escale hub made it so. Nothing was changed; restore a backup or ask an engineer.`,
  );

/**
 * The version a database made before migrations is at. The hubs of that time created entity_owner
 * and filled it at open: on PostgreSQL in one transaction, on SQLite in two steps, so a SQLite hub
 * stopped between them left the table empty and unmarked; it is dropped and made again by 003.
 */
export function legacyVersion(f: LegacyFacts, engine: 'sqlite' | 'postgres'): LegacyVersion {
  if (!f.hub) {
    if (f.owners || f.rejectedIndex || f.postgresMeta) throw unrecognised('only some of the hub tables');
    return { made: false };
  }
  let owners = f.owners;
  let dropEmptyOwners = false;
  if (owners && !f.ownersFilled) {
    if (engine === 'postgres' || f.ownerRows > 0) throw unrecognised(`a table entity_owner of ${f.ownerRows} rows never marked as filled`);
    owners = false;
    dropEmptyOwners = true;
  }
  if (owners && !f.rejectedIndex) throw unrecognised('the table entity_owner without the index event_rejected');
  if (engine === 'postgres' && !owners && f.postgresMeta) throw unrecognised('a table hub_meta without entity_owner');
  return { made: true, version: owners ? 3 : f.rejectedIndex ? 2 : 1, dropEmptyOwners };
}

export function sqliteLegacyFacts(db: Database): LegacyFacts {
  const names = new Set(
    (db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('station', 'ref_entity', 'stream', 'event', 'event_rejected', 'entity_owner', 'hub_meta')`).all() as { name: string }[]).map(
      (r) => r.name,
    ),
  );
  const owners = names.has('entity_owner');
  return {
    hub: ['station', 'ref_entity', 'stream', 'event'].some((t) => names.has(t)),
    rejectedIndex: names.has('event_rejected'),
    owners,
    ownerRows: owners ? (db.prepare('SELECT count(*) AS n FROM entity_owner').get() as { n: number }).n : 0,
    ownersFilled: names.has('hub_meta') && db.prepare('SELECT 1 FROM hub_meta WHERE key = ?').get(OWNERS_BACKFILLED) !== undefined,
  };
}

export async function postgresLegacyFacts(q: PgQuery): Promise<LegacyFacts> {
  // to_regclass looks names up on the search path, as the unqualified statements of the migrations do.
  const [r] = (await q(`SELECT to_regclass('station') IS NOT NULL OR to_regclass('ref_entity') IS NOT NULL OR to_regclass('stream') IS NOT NULL
      OR to_regclass('event') IS NOT NULL AS hub,
    to_regclass('event_rejected') IS NOT NULL AS rejected_index, to_regclass('entity_owner') IS NOT NULL AS owners,
    to_regclass('hub_meta') IS NOT NULL AS meta`)) as [{ hub: boolean; rejected_index: boolean; owners: boolean; meta: boolean }];
  const ownerRows = r.owners ? Number((await q('SELECT count(*) AS n FROM entity_owner'))[0]!.n) : 0;
  const ownersFilled = r.meta && (await q('SELECT 1 FROM hub_meta WHERE key = $1', [OWNERS_BACKFILLED])).length > 0;
  return { hub: r.hub, rejectedIndex: r.rejected_index, owners: r.owners, ownerRows, ownersFilled, postgresMeta: r.meta };
}
