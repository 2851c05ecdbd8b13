// The socket.io adapter of hub processes sharing one PostgreSQL (the socket.io project's
// @socket.io/postgres-adapter): a broadcast on one process (the reference poke) reaches the stations
// connected to every other, over LISTEN/NOTIFY; payloads over 8 kB go through a table.
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';

const ATTACHMENTS = `
CREATE TABLE IF NOT EXISTS socket_io_attachments (
  id          bigserial UNIQUE,
  created_at  timestamptz DEFAULT NOW(),
  payload     bytea
)`;

export async function pgAdapter(url: string, log: (line: string) => void = () => undefined): Promise<ReturnType<typeof createAdapter>> {
  // Its own small pool: one connection LISTENs for the whole process, the others NOTIFY.
  // allowExitOnIdle: a hub that closed its server exits without waiting for idle connections.
  const pool = new pg.Pool({ connectionString: url, max: 4, allowExitOnIdle: true });
  pool.on('error', (e) => log(`socket.io adapter: PostgreSQL connection lost: ${e.message}`));
  const client = await pool.connect();
  try {
    // Two hub processes starting together: create the table once.
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('socket_io_attachments'))");
    await client.query(ATTACHMENTS);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    await pool.end().catch(() => undefined);
    throw e;
  }
  client.release();
  return createAdapter(pool, { errorHandler: (e: Error) => log(`socket.io adapter: ${e.message}`) });
}
