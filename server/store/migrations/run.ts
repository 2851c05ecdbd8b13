// Applies the pending migrations (index.ts) when a hub store opens: all of them in one transaction,
// with the version they reach. The version record is the number of migrations applied: SQLite's
// PRAGMA user_version, the one row of PostgreSQL's schema_version. A database newer than this code
// is refused untouched; one made before migrations (no record) is recognised by legacy.ts. An
// up-to-date database costs one read of its version.
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import { MIGRATIONS, type HubMigration, type PgQuery } from './index.js';
import { HubSchemaError } from './errors.js';
import { legacyVersion, postgresLegacyFacts, sqliteLegacyFacts, type LegacyVersion } from './legacy.js';

export { HubSchemaError } from './errors.js';

export interface Migrated {
  /** The version found (for a database made before migrations, the version it was recognised at). */
  from: number;
  to: number;
  /** Set for a database made before migrations: it had no version record. */
  adopted?: true;
}

export function checkNumbering(list: readonly HubMigration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new HubSchemaError('MIGRATIONS_MISNUMBERED', `hub migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}

function refuseNewer(version: number, latest: number): void {
  if (version > latest)
    throw new HubSchemaError(
      'DATABASE_TOO_NEW',
      `This hub database has schema version ${version}, newer than this hub knows (up to ${latest}): a newer Escale hub migrated it. ` +
        'Run that version of the hub (or a newer one); the database was left untouched.',
    );
}

/**
 * The migrations to run in order, from the version found: for a database made before migrations,
 * 001 first (IF NOT EXISTS: it completes what an older hub may lack), then those after its version.
 */
function steps(list: readonly HubMigration[], from: number, legacy: LegacyVersion | undefined): HubMigration[] {
  if (!legacy?.made) return list.slice(from);
  refuseNewer(legacy.version, list.length);
  return [list[0]!, ...list.slice(legacy.version)];
}

export const sqliteSchemaVersion = (db: Database): number => db.pragma('user_version', { simple: true }) as number;

/** Reads the version and refuses a database newer than the list, before anything (even journal_mode) touches the file. */
export function refuseNewerSqlite(db: Database, list: readonly HubMigration[] = MIGRATIONS): number {
  checkNumbering(list);
  const version = sqliteSchemaVersion(db);
  refuseNewer(version, list.length);
  return version;
}

/**
 * Migrates a SQLite hub database. `version` is what refuseNewerSqlite read, when the caller has just
 * read it: an up-to-date database then costs nothing more.
 */
export function migrateSqlite(db: Database, list: readonly HubMigration[] = MIGRATIONS, version: number = refuseNewerSqlite(db, list)): Migrated {
  const latest = list.length;
  if (version === latest) return { from: version, to: latest };
  // IMMEDIATE: a second process opening the file at once waits (busy_timeout), then finds it migrated.
  return db
    .transaction((): Migrated => {
      const from = refuseNewerSqlite(db, list);
      if (from === latest) return { from, to: latest };
      const legacy = from === 0 ? legacyVersion(sqliteLegacyFacts(db), 'sqlite') : undefined;
      if (legacy?.made && legacy.dropEmptyOwners) db.exec('DROP TABLE entity_owner');
      for (const m of steps(list, from, legacy)) {
        db.exec(m.sqlite);
        m.data?.sqlite?.(db);
      }
      db.pragma(`user_version = ${latest}`);
      return legacy?.made ? { from: legacy.version, to: latest, adopted: true } : { from, to: latest };
    })
    .immediate();
}

/** The version record on PostgreSQL: one row (its id is always true). */
const VERSION_TABLE = 'CREATE TABLE IF NOT EXISTS schema_version (id boolean PRIMARY KEY DEFAULT true CHECK (id), version integer NOT NULL)';
const UNDEFINED_TABLE = '42P01';

/** The recorded version, read outside any transaction; undefined when there is no record. */
export async function postgresSchemaVersion(pool: pg.Pool | pg.ClientBase): Promise<number | undefined> {
  try {
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_version');
    return rows[0]?.version;
  } catch (e) {
    if ((e as { code?: string }).code === UNDEFINED_TABLE) return undefined;
    throw e;
  }
}

/**
 * Migrates a PostgreSQL hub database. Several hub processes may start together on one database: the
 * transaction takes the advisory lock `lock` (the stores' schema lock class) first, and the one that
 * waited finds the work done. DDL is transactional there: a failing migration leaves nothing behind.
 */
export async function migratePostgres(pool: pg.Pool, options: { lock: number; list?: readonly HubMigration[] }): Promise<Migrated> {
  const list = options.list ?? MIGRATIONS;
  checkNumbering(list);
  const latest = list.length;
  const seen = await postgresSchemaVersion(pool);
  if (seen !== undefined) {
    refuseNewer(seen, latest);
    if (seen === latest) return { from: seen, to: latest };
  }
  const client = await pool.connect();
  const q: PgQuery = async (text, values) => (await client.query(text, values)).rows as Record<string, unknown>[];
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await q('SELECT pg_advisory_xact_lock($1, 0)', [options.lock]);
    const [record] = (await q(`SELECT to_regclass('schema_version') IS NOT NULL AS present`)) as [{ present: boolean }];
    const recorded = record.present ? ((await q('SELECT version FROM schema_version'))[0]?.version as number | undefined) : undefined;
    const from = recorded ?? 0;
    refuseNewer(from, latest);
    let result: Migrated = { from, to: latest };
    if (from < latest) {
      const legacy = recorded === undefined ? legacyVersion(await postgresLegacyFacts(q), 'postgres') : undefined;
      for (const m of steps(list, from, legacy)) {
        await q(m.postgres);
        await m.data?.postgres?.(q);
      }
      await q(VERSION_TABLE);
      await q('INSERT INTO schema_version (id, version) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version', [latest]);
      if (legacy?.made) result = { from: legacy.version, to: latest, adopted: true };
    }
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw e;
  } finally {
    client.release(broken);
  }
}
