// Applies reference changes pulled from the hub: each page and its cursor in one transaction, each
// entity parsed with its schema (it crossed a network boundary). A snapshot (the cursor was too
// old) ends by removing what the hub no longer has.
import { REFERENCE_ENTITY_SCHEMAS as SCHEMAS, type Member } from '../../../common/reference-data.js';
import type { ReferenceChange, ReferenceEntity } from '../../../common/sync/protocol.js';
import { loadSite, type StationContext } from '../context.js';
import { referenceWriters } from '../reference/writers.js';
import { eraseSignUpsHere } from '../signups/erase.js';
import type { AppliedPage } from '../ports.js';

/** The order that satisfies the foreign keys inside one page. */
const ORDER: ReferenceEntity[] = ['site', 'payer', 'service', 'tariff', 'member', 'badge', 'staff', 'plan', 'subscription', 'quota', 'signup'];

const KEYS: Record<ReferenceEntity, string> = {
  site: 'SELECT id AS key FROM site',
  payer: 'SELECT id AS key FROM payer',
  service: 'SELECT code AS key FROM service',
  tariff: 'SELECT id AS key FROM tariff_version',
  // A member signed up here that the hub has not confirmed (awaiting, an operator case, refused,
  // merged) is not in a snapshot: that is no removal, they stay as they are.
  member: "SELECT id AS key FROM member WHERE id NOT IN (SELECT member_id FROM member_signup WHERE state <> 'confirmed')",
  badge: 'SELECT uid AS key FROM badge WHERE assigned_here_at IS NULL',
  staff: 'SELECT id AS key FROM staff',
  plan: 'SELECT id AS key FROM plan',
  subscription: 'SELECT id AS key FROM subscription',
  quota: 'SELECT id AS key FROM quota',
  // Outcomes are never withdrawn: a snapshot has nothing to remove.
  signup: 'SELECT member_id AS key FROM member_signup WHERE 0',
};

export type { AppliedPage } from '../ports.js';

const metaGet = (ctx: StationContext, key: string) => (ctx.db.prepare('SELECT value FROM station_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
const metaSet = (ctx: StationContext, key: string, value: string | null) =>
  value === null ? ctx.db.prepare('DELETE FROM station_meta WHERE key = ?').run(key) : ctx.db.prepare('INSERT OR REPLACE INTO station_meta (key, value) VALUES (?, ?)').run(key, value);

export function referenceCursor(ctx: StationContext): { cursor: number | null; snapshot: boolean } {
  const c = metaGet(ctx, 'ref_cursor');
  return { cursor: c === undefined ? null : Number(c), snapshot: metaGet(ctx, 'ref_snapshot') === '1' };
}

export function applyReferencePage(ctx: StationContext, page: { changes: ReferenceChange[]; cursor: number; snapshot: boolean; more: boolean }): AppliedPage {
  const result: AppliedPage = { applied: 0, invalid: [] };
  const write = referenceWriters(ctx.db);
  let erasedHere = false;
  ctx.db.transaction(() => {
    ctx.db.pragma('defer_foreign_keys = ON');
    const sorted = [...page.changes].sort((a, b) => ORDER.indexOf(a.entity) - ORDER.indexOf(b.entity) || a.cursor - b.cursor);
    // Members erased in this page: their sign-ups here are erased once the whole page is applied,
    // so a merge into them that came in the same page (signup sorts after member) is seen too. A
    // merge never comes after its target's erasure: the hub refuses to merge into an erased member.
    const erased: (Member & { erasedAt: string })[] = [];
    for (const c of sorted) {
      if (c.data === null) {
        write.tombstone(c.entity, c.key);
        result.applied++;
        continue;
      }
      const parsed = SCHEMAS[c.entity].safeParse(c.data);
      if (!parsed.success) {
        // One bad entity must not stop the others; it is reported, and the hub is the one to fix it.
        result.invalid.push({ entity: c.entity, key: c.key, reason: parsed.error.issues[0]?.message ?? 'invalid' });
        continue;
      }
      (write[c.entity] as (x: unknown) => void)(parsed.data);
      if (c.entity === 'member' && (parsed.data as Member).erasedAt !== undefined) erased.push(parsed.data as Member & { erasedAt: string });
      if (page.snapshot) ctx.db.prepare('INSERT OR IGNORE INTO reference_snapshot_seen (entity, key) VALUES (?, ?)').run(c.entity, c.entity === 'staff' ? c.key.slice(c.key.indexOf('/') + 1) : c.key);
      result.applied++;
    }
    for (const m of erased) eraseSignUpsHere(ctx, m, write);
    // Snapshot pages carry no tombstones: an entity sent in one page and deleted at the hub before
    // the last page would stay here. So after a snapshot of several pages the station goes back
    // to where its first page ended and pulls the changes since by cursor, tombstones included.
    let cursor = page.cursor;
    const firstPageEnd = metaGet(ctx, 'ref_snapshot_first');
    if (page.snapshot && page.more && firstPageEnd === undefined) metaSet(ctx, 'ref_snapshot_first', String(page.cursor));
    if (page.snapshot && !page.more) {
      // The snapshot is complete: what it did not mention is gone at the hub.
      for (const entity of ORDER) {
        for (const { key } of ctx.db.prepare(KEYS[entity]).all() as { key: string }[]) {
          if (!ctx.db.prepare('SELECT 1 FROM reference_snapshot_seen WHERE entity = ? AND key = ?').get(entity, key)) write.tombstone(entity, key);
        }
      }
      ctx.db.prepare('DELETE FROM reference_snapshot_seen').run();
      if (firstPageEnd !== undefined) {
        cursor = Math.min(Number(firstPageEnd), page.cursor);
        metaSet(ctx, 'ref_snapshot_first', null);
        result.catchUp = true;
      }
    }
    metaSet(ctx, 'ref_cursor', String(cursor));
    metaSet(ctx, 'ref_snapshot', page.snapshot && page.more ? '1' : null);
    erasedHere = erased.length > 0;
  }).immediate();
  ctx.site = loadSite(ctx.db, ctx.siteId);
  // Committed: the old pages holding the erased names leave the WAL too.
  if (erasedHere) ctx.scrubber.request('member erasure');
  return result;
}
