// Helpers for tests that read a station's SQLite file directly: unwrap results, count rows,
// read the outbox back through the wire schema, and check that the ledger is consistent.
import type { Database } from 'better-sqlite3';
import { expect } from 'vitest';
import type { ErrorCode, Result, StationError } from '../../common/result.js';
import { stationEventSchema, type StationEvent } from '../../common/events.js';
import { zonedToUtcMs } from '../../common/time.js';

/** The value of an ok result; fails the test with the error otherwise. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/** The error of a failed result, checked to carry `code` and a readable message. */
export function failure<T>(result: Result<T>, code: ErrorCode): StationError {
  if (result.ok) throw new Error(`expected ${code}, got ok: ${JSON.stringify(result.value).slice(0, 300)}`);
  expect(result.error.code, result.error.message).toBe(code);
  expect(result.error.message.length).toBeGreaterThan(10);
  return result.error;
}

/** An instant as an ISO string, given the wall clock of Brussels. */
export const brussels = (date: string, time: string): string => new Date(zonedToUtcMs(date, time, 'Europe/Brussels')).toISOString();

export const LEDGER_TABLES = [
  'station_meta',
  'site',
  'payer',
  'member',
  'badge',
  'service',
  'tariff_version',
  'tariff_price',
  'staff',
  'staff_lockout',
  'staff_shift',
  'guest',
  'visit',
  'visit_checkout',
  'visit_void',
  'open_visit',
  'consumption',
  'outbox',
] as const;

export type LedgerTable = (typeof LEDGER_TABLES)[number];

export function tableCounts(db: Database): Record<LedgerTable, number> {
  const counts = {} as Record<LedgerTable, number>;
  for (const t of LEDGER_TABLES) counts[t] = (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  return counts;
}

export const count = (db: Database, table: string, where = '1'): number =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;

interface OutboxRow {
  position: number;
  id: string;
  site_id: string;
  epoch: string;
  seq: number;
  type: string;
  payload: string;
  wall_time: string;
  hlc: string;
}

/** Every outbox row, parsed as the hub would parse it (throws on a row that does not parse). */
export function outboxEvents(db: Database, afterPosition = 0): (StationEvent & { position: number })[] {
  const rows = db.prepare('SELECT * FROM outbox WHERE position > ? ORDER BY position').all(afterPosition) as OutboxRow[];
  return rows.map((r) => {
    const event = stationEventSchema.parse({
      id: r.id,
      stream: { siteId: r.site_id, epoch: r.epoch },
      seq: r.seq,
      type: r.type,
      payload: JSON.parse(r.payload) as unknown,
      wallTime: r.wall_time,
      hlc: r.hlc,
    });
    return { ...event, position: r.position };
  });
}

export const lastPosition = (db: Database): number => (db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM outbox').get() as { p: number }).p;

/** The types of the events appended after `position`, in order. */
export const typesAfter = (db: Database, position: number): string[] =>
  (db.prepare('SELECT type FROM outbox WHERE position > ? ORDER BY position').all(position) as { type: string }[]).map((r) => r.type);

/**
 * What must hold whatever happened: seq gap-free from 1 in each epoch, every row of the ledger
 * announced by its event and every event backed by its row, open_visit exactly the visits that
 * are neither checked out nor voided. Returns the problems found (none: []).
 */
export function ledgerProblems(db: Database): string[] {
  const problems: string[] = [];
  const events = outboxEvents(db);
  const seqByEpoch = new Map<string, number>();
  for (const e of events) {
    const expected = (seqByEpoch.get(e.stream.epoch) ?? 0) + 1;
    if (e.seq !== expected) problems.push(`event at position ${e.position}: seq ${e.seq}, expected ${expected}`);
    seqByEpoch.set(e.stream.epoch, e.seq);
  }
  const ids = (type: string, key: string) =>
    new Set(events.filter((e) => e.type === type).map((e) => (e.payload as Record<string, unknown>)[key] as string));
  const column = (q: string) => new Set((db.prepare(q).all() as { id: string }[]).map((r) => r.id));
  const same = (what: string, rows: Set<string>, evs: Set<string>) => {
    for (const id of rows) if (!evs.has(id)) problems.push(`${what} ${id} has no event`);
    for (const id of evs) if (!rows.has(id)) problems.push(`${what} event for ${id} has no row`);
  };
  same('visit', column('SELECT id FROM visit'), ids('visit.checked_in', 'visitId'));
  same('checkout', column('SELECT visit_id AS id FROM visit_checkout'), ids('visit.checked_out', 'visitId'));
  same('void', column('SELECT visit_id AS id FROM visit_void'), ids('visit.voided', 'visitId'));
  same('consumption', column(`SELECT id FROM consumption WHERE source <> 'void'`), ids('consumption.recorded', 'consumptionId'));
  same('consumption void', column(`SELECT id FROM consumption WHERE source = 'void'`), ids('consumption.voided', 'consumptionId'));
  same('guest', column('SELECT id FROM guest'), ids('guest.registered', 'guestId'));
  same('sign-up', column('SELECT member_id AS id FROM member_signup'), ids('member.signed_up', 'memberId'));
  const open = column('SELECT visit_id AS id FROM open_visit');
  const unfinished = column(
    'SELECT v.id FROM visit v WHERE NOT EXISTS (SELECT 1 FROM visit_checkout c WHERE c.visit_id = v.id) AND NOT EXISTS (SELECT 1 FROM visit_void x WHERE x.visit_id = v.id)',
  );
  for (const id of open) if (!unfinished.has(id)) problems.push(`open_visit ${id} is checked out or voided`);
  for (const id of unfinished) if (!open.has(id)) problems.push(`visit ${id} is unfinished but not in open_visit`);
  return problems;
}
