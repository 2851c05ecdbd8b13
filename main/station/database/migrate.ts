// Runs the pending migrations in one transaction and records the version in PRAGMA user_version.
// A database from a newer app is refused: this app cannot know what that version means.
import type { Database } from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { StationFailure } from '../errors.js';

export const schemaVersion = (db: Database): number => db.pragma('user_version', { simple: true }) as number;

/**
 * Refuses a database written by a newer app, before anything (even a pragma that rewrites the
 * file header, such as journal_mode) touches it. Returns the database's schema version.
 */
export function refuseNewerDatabase(db: Database, latest: number = MIGRATIONS.length): number {
  const version = schemaVersion(db);
  if (version > latest)
    throw new StationFailure(
      'DATABASE_TOO_NEW',
      `This station database was written by a newer Escale (schema ${version}; this app knows up to ${latest}). Install the newer app; the database was left untouched.`,
      `user_version=${version} > ${latest}`,
    );
  return version;
}

export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  const from = refuseNewerDatabase(db, latest);
  if (from === latest) return { from, to: latest };
  db.transaction(() => {
    for (const m of migrations.slice(from)) m.up(db);
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  return { from, to: latest };
}
