// The reference paging rule alone (server/store/reference-page.ts); the stores' paging runs in the
// store contract (store-contract.ts, "reference data") on both engines.
import { describe, expect, it } from 'vitest';
import { referencePageOf, referencePageRead, referencePageSql, type ReferenceRow } from '../../server/store/reference-page.js';
import { POSTGRES_DIALECT, SQLITE_DIALECT } from '../../server/store/sql-dialect.js';

const rows = (...cursors: number[]): ReferenceRow[] => cursors.map((cursor) => ({ entity: 'site', key: `s${cursor}`, data: cursor % 2 ? JSON.stringify({ n: cursor }) : null, cursor }));

describe('reference paging', () => {
  it('follows a cursor the log covers: tombstones included, the last page up to the newest change', () => {
    const read = referencePageRead(4, false, 3, 2);
    expect(read).toEqual({ from: 4, snapshot: false, after: 4, liveOnly: false, take: 4, limit: 3 });
    expect(referencePageSql(read, SQLITE_DIALECT)).toBe('SELECT entity, key, data, cursor FROM ref_entity WHERE cursor > ? ORDER BY cursor LIMIT ?');
    expect(referencePageOf(read, rows(5, 6), 9)).toEqual({
      changes: [
        { entity: 'site', key: 's5', data: { n: 5 }, cursor: 5 },
        { entity: 'site', key: 's6', data: null, cursor: 6 },
      ],
      cursor: 9,
      snapshot: false,
      more: false,
    });
    // A full page and one more row: the next page starts after the page's last change.
    expect(referencePageOf(read, rows(5, 6, 7, 8), 9)).toMatchObject({ cursor: 7, more: true });
    expect(referencePageOf(read, rows(5, 6, 7, 8), 9).changes).toHaveLength(3);
    // Nothing new: the cursor stays where the station is, never goes back.
    expect(referencePageOf(referencePageRead(12, false, 3, 0), [], 9)).toMatchObject({ cursor: 12, more: false, changes: [] });
  });

  it('answers a cursor older than the log, or none, with a snapshot of the live entities from the start; a station continuing one goes on from its cursor', () => {
    for (const read of [referencePageRead(1, false, 10, 5), referencePageRead(null, false, 10, 0)]) {
      expect(read).toMatchObject({ snapshot: true, after: 0, liveOnly: true });
      expect(referencePageSql(read, POSTGRES_DIALECT)).toBe('SELECT entity, key, data, cursor FROM ref_entity WHERE cursor > $1 AND data IS NOT NULL ORDER BY cursor LIMIT $2');
    }
    expect(referencePageRead(7, true, 10, 5)).toMatchObject({ snapshot: true, after: 7, liveOnly: true });
    expect(referencePageOf(referencePageRead(7, true, 10, 5), rows(9), 9)).toMatchObject({ snapshot: true, cursor: 9, more: false });
  });
});
