// Reference data goes down by cursor over the hub's change log, tombstones included; a cursor the
// log no longer covers (tombstones compacted) gets a full snapshot of the live entities, page by
// page (../shared/BRIEF.md, "Sync protocol"). The rule, once for both stores: what a page reads
// (referencePageRead, and its query text per dialect) and the page made of what was read
// (referencePageOf). Pure: each store reads the log's first and newest cursors and the rows in one
// consistent view, its own way (SQLite: a read transaction over hub_meta; PostgreSQL: a REPEATABLE
// READ snapshot over hub_counter, whose row lock orders the writers), so the reading stays there.
import type { ReferenceEntity } from '../../common/sync/protocol.js';
import type { SqlDialect } from './sql-dialect.js';
import type { ReferencePage } from './store.js';

/** What a page reads: the changes after `after` (live entities only in a snapshot), `take` rows at most. */
export interface ReferencePageRead {
  /** The station's cursor (0 for none). */
  from: number;
  /** The page is (part of) a full snapshot. */
  snapshot: boolean;
  after: number;
  /** A snapshot holds no tombstones. */
  liveOnly: boolean;
  /** One more row than the page holds: whether more follow. */
  take: number;
  limit: number;
}

/** A row of the change log (ref_entity), data as stored (JSON text, null for a tombstone). */
export interface ReferenceRow {
  entity: ReferenceEntity;
  key: string;
  data: string | null;
  cursor: number;
}

/**
 * The read of a page after `cursor` (null: the station holds nothing), `snapshot` when the
 * station is continuing a snapshot, given the oldest cursor the log still covers.
 */
export function referencePageRead(cursor: number | null, snapshot: boolean, limit: number, minCursor: number): ReferencePageRead {
  const from = cursor ?? 0;
  // Changes the log no longer holds (compacted tombstones) mean a full snapshot.
  const asSnapshot = snapshot || cursor === null || from < minCursor;
  // A snapshot starts from the beginning, unless the station is continuing one (snapshot = true).
  const after = asSnapshot && !snapshot ? 0 : from;
  return { from, snapshot: asSnapshot, after, liveOnly: asSnapshot, take: limit + 1, limit };
}

/** The page's rows, in cursor order: parameters (after, take). */
export function referencePageSql(read: ReferencePageRead, d: SqlDialect): string {
  return `SELECT entity, key, data, cursor FROM ref_entity WHERE cursor > ${d.param(1)}${read.liveOnly ? ' AND data IS NOT NULL' : ''} ORDER BY cursor LIMIT ${d.param(2)}`;
}

/** The page, from the rows read and the newest cursor of the log, read in the same view. */
export function referencePageOf(read: ReferencePageRead, rows: readonly ReferenceRow[], newest: number): ReferencePage {
  const more = rows.length > read.limit;
  const page = more ? rows.slice(0, read.limit) : rows;
  return {
    changes: page.map((r) => ({ entity: r.entity, key: r.key, data: r.data === null ? null : JSON.parse(r.data), cursor: r.cursor })),
    // The last page brings the station up to the newest change.
    cursor: more ? page[page.length - 1]!.cursor : Math.max(read.from, newest),
    snapshot: read.snapshot,
    more,
  };
}
