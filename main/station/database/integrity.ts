// Integrity checks. At start the station checks the small tables its every action depends on;
// the full check of a year's ledger reads the whole file and is run on demand
// (`escale-station check`) or by the app when it is idle.
import type { Database } from 'better-sqlite3';
import { StationFailure } from '../errors.js';

const START_TABLES = ['station_meta', 'site', 'open_visit', 'staff_shift'];

function run(db: Database, pragma: string): string[] {
  return (db.pragma(pragma) as { integrity_check?: string; quick_check?: string }[]).map((r) => String(r.integrity_check ?? r.quick_check));
}

export function startupIntegrityCheck(db: Database): void {
  const problems = START_TABLES.flatMap((t) => run(db, `integrity_check(${t})`)).filter((r) => r !== 'ok');
  if (problems.length > 0)
    throw new StationFailure('DATABASE_CORRUPT', 'The station database is damaged. Stop the station and restore the latest backup.', problems.slice(0, 5).join('; '));
}

export function fullIntegrityCheck(db: Database): { ok: boolean; problems: string[] } {
  const problems = run(db, 'integrity_check').filter((r) => r !== 'ok');
  const fk = db.pragma('foreign_key_check') as unknown[];
  if (fk.length > 0) problems.push(`${fk.length} rows break a foreign key`);
  return { ok: problems.length === 0, problems };
}
