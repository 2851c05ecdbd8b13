// 004: badge numbers in their canonical spelling (common/badge-uid.ts: trimmed, upper case), the key
// every side now looks a badge up by, so a number once stored in lower case is found again.
//
// Each badge stored under another spelling is tombstoned and written again under its canonical
// number, with new cursors (tombstones first), so every station's next reference pull replaces its
// copy. Badges whose numbers differ only in case become one: the one already stored under the
// canonical number wins (readers wrote upper case by default, so it is the one taps matched); without
// one, the one written last (highest cursor) — the network's latest decision. Each badge that lost is
// kept in badge_uid_merged (its old number, the canonical one and its record) for an operator to
// give its member a badge again if need be. Stations make the same choice in their migration 010.
//
// Frozen: the canonical spelling is written out as it was at 004.
import type { Database } from 'better-sqlite3';
import type { HubMigration, PgQuery } from './index.js';

const canonicalAt004 = (uid: string) => uid.trim().replace(/[a-z]+/g, (s) => s.toUpperCase());

interface BadgeRow {
  key: string;
  data: string;
  cursor: number;
}

export interface BadgeUidRewrite {
  /** Keys to tombstone, in order. */
  tombstones: string[];
  /** Canonical keys and the badge record to store under each, after the tombstones. */
  writes: { key: string; data: string }[];
  /** Badges dropped because another spelling of their number won. */
  merged: { uid: string; canonicalUid: string; data: string }[];
}

/** What 004 changes, given the live badge rows: the rule above, for both engines. */
export function badgeUidRewrite(rows: readonly BadgeRow[]): BadgeUidRewrite {
  const groups = new Map<string, BadgeRow[]>();
  for (const r of rows) {
    const k = canonicalAt004(r.key);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out: BadgeUidRewrite = { tombstones: [], writes: [], merged: [] };
  for (const [canonical, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (group.every((r) => r.key === canonical)) continue;
    const winner = group.find((r) => r.key === canonical) ?? group.reduce((a, b) => (b.cursor > a.cursor ? b : a));
    for (const r of group) {
      if (r.key !== canonical) out.tombstones.push(r.key);
      if (r !== winner) out.merged.push({ uid: r.key, canonicalUid: canonical, data: r.data });
    }
    out.writes.push({ key: canonical, data: JSON.stringify({ ...(JSON.parse(winner.data) as object), uid: canonical }) });
  }
  return out;
}

const SELECT_BADGES = "SELECT key, data, cursor FROM ref_entity WHERE entity = 'badge' AND data IS NOT NULL ORDER BY cursor";
const TOMBSTONE = "UPDATE ref_entity SET data = NULL, cursor = $1, updated_at = $2 WHERE entity = 'badge' AND key = $3";
const WRITE =
  "INSERT INTO ref_entity (entity, key, data, cursor, updated_at) VALUES ('badge', $1, $2, $3, $4) ON CONFLICT (entity, key) DO UPDATE SET data = excluded.data, cursor = excluded.cursor, updated_at = excluded.updated_at";
const MERGED = 'INSERT INTO badge_uid_merged (uid, canonical_uid, data, merged_at) VALUES ($1, $2, $3, $4)';

function sqliteData(db: Database): void {
  const rows = db.prepare(SELECT_BADGES).all() as BadgeRow[];
  const plan = badgeUidRewrite(rows);
  if (plan.writes.length === 0) return;
  const at = new Date().toISOString();
  // The statements number their parameters in the order they appear: plain "?" binds them alike.
  const run = (text: string, values: unknown[]) => db.prepare(text.replace(/\$\d+/g, '?')).run(...values);
  let cursor = Number((db.prepare("SELECT value FROM hub_meta WHERE key = 'ref_cursor'").get() as { value: string } | undefined)?.value ?? 0);
  for (const key of plan.tombstones) run(TOMBSTONE, [++cursor, at, key]);
  for (const w of plan.writes) run(WRITE, [w.key, w.data, ++cursor, at]);
  db.prepare("INSERT OR REPLACE INTO hub_meta (key, value) VALUES ('ref_cursor', ?)").run(String(cursor));
  for (const m of plan.merged) run(MERGED, [m.uid, m.canonicalUid, m.data, at]);
}

async function postgresData(q: PgQuery): Promise<void> {
  const rows = (await q(SELECT_BADGES)).map((r) => ({ key: String(r.key), data: String(r.data), cursor: Number(r.cursor) }));
  const plan = badgeUidRewrite(rows);
  if (plan.writes.length === 0) return;
  const at = new Date().toISOString();
  const count = plan.tombstones.length + plan.writes.length;
  const [counter] = await q("UPDATE hub_counter SET value = value + $1 WHERE name = 'ref_cursor' RETURNING value", [count]);
  let cursor = Number(counter!.value) - count;
  for (const key of plan.tombstones) await q(TOMBSTONE, [++cursor, at, key]);
  for (const w of plan.writes) await q(WRITE, [w.key, w.data, ++cursor, at]);
  for (const m of plan.merged) await q(MERGED, [m.uid, m.canonicalUid, m.data, at]);
}

export const migration004: HubMigration = {
  version: 4,
  name: 'badge uid case',
  sqlite: `CREATE TABLE badge_uid_merged (uid TEXT PRIMARY KEY, canonical_uid TEXT NOT NULL, data TEXT NOT NULL, merged_at TEXT NOT NULL) WITHOUT ROWID;`,
  postgres: `CREATE TABLE badge_uid_merged (uid text COLLATE "C" PRIMARY KEY, canonical_uid text COLLATE "C" NOT NULL, data text NOT NULL, merged_at timestamptz NOT NULL);`,
  data: { sqlite: sqliteData, postgres: postgresData },
};
