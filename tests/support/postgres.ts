// A real PostgreSQL server for the tests that need one, never a mock. Either the server named by
// ESCALE_TEST_PG_URL (a superuser URL, e.g. postgres://postgres@127.0.0.1:5432/postgres), or a
// throwaway cluster started here: initdb + pg_ctl from the Debian packages
// (/usr/lib/postgresql/<version>/bin), in a temporary folder, listening only on 127.0.0.1 on a free
// port, its unix socket in that folder, run as the `postgres` user when the tests run as root.
// Each test file gets fresh databases and stops its cluster at the end. When neither is possible the
// test fails with the reason: CI installs PostgreSQL (scripts/debian-packages.sh).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** A fresh database made for this test file (superuser, trust auth on 127.0.0.1). */
  url: string;
  /** Another fresh, empty database on the same server. */
  newDatabase(): Promise<string>;
  /** Drops the databases made here and stops the cluster if this file started it. */
  stop(): Promise<void>;
}

const HOW_TO_FIX =
  'install the Debian package postgresql (bash scripts/debian-packages.sh) so the tests can start a throwaway cluster, ' +
  'or set ESCALE_TEST_PG_URL to a running server (a superuser URL on 127.0.0.1)';

function fail(message: string): never {
  throw new Error(`PostgreSQL for the tests: ${message}.\nTo fix: ${HOW_TO_FIX}.`);
}

/** The folder of initdb and pg_ctl: the newest /usr/lib/postgresql/<version>/bin, or PATH. */
function serverBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')) && fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length > 0) return path.join(root, versions[0]!, 'bin');
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return fail(`no PostgreSQL server binaries (initdb, pg_ctl) in ${root}/<version>/bin or on PATH`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL program as the user that may own a cluster: `postgres` when we are root. */
function runner(): { run: (program: string, args: string[], cwd: string) => ReturnType<typeof spawnSync>; owner?: { uid: number; gid: number } } {
  if (process.getuid?.() !== 0) return { run: (program, args, cwd) => spawnSync(program, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }) };
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) fail('the tests run as root and there is no `postgres` user to run the server as (PostgreSQL refuses to run as root)');
  const owner = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((p) => fs.existsSync(p));
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return {
    owner,
    run: (program, args, cwd) =>
      runuser
        ? spawnSync(runuser, ['-u', 'postgres', '--', program, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })
        : spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', [program, ...args].map(quote).join(' ')], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }),
  };
}

const output = (r: ReturnType<typeof spawnSync>) => `${r.error?.message ?? ''}${String(r.stdout ?? '')}${String(r.stderr ?? '')}`.trim();

interface Cluster {
  adminUrl: string;
  stop(): void;
}

/** initdb + pg_ctl start in a temporary folder; the server listens on 127.0.0.1 only. */
async function startCluster(settings: Record<string, string>): Promise<Cluster> {
  const bin = serverBinaries();
  const { run, owner } = runner();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escale-pg-'));
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const init = run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], dir);
  if (init.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    fail(`initdb failed: ${output(init)}`);
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], dir);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A crashed or interrupted test process must not leave a server behind.
  process.on('exit', stop);
  for (let attempt = 1; ; attempt++) {
    // Another process may take the port between our probe and the server's bind: try again then.
    const port = await freePort();
    const options = Object.entries({ listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: dir, ...settings })
      .map(([k, v]) => `-c ${k}='${v}'`)
      .join(' ');
    const start = run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start'], dir);
    if (start.status === 0) return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
    const serverLog = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
    if (attempt < 3 && /already in use|could not bind/i.test(serverLog)) continue;
    stop();
    fail(`pg_ctl start failed: ${output(start)}\n${serverLog}`);
  }
}

let databaseCounter = 0;

/**
 * The PostgreSQL server of a test file: call in beforeAll (it takes a few seconds the first time),
 * and `stop()` in afterAll.
 */
export async function startTestPostgres(options: { settings?: Record<string, string> } = {}): Promise<TestPostgres> {
  const external = process.env.ESCALE_TEST_PG_URL;
  // A throwaway cluster need not survive a power cut: no fsync makes the tests quicker.
  const cluster = external ? undefined : await startCluster({ fsync: 'off', full_page_writes: 'off', ...options.settings });
  const adminUrl = external ?? cluster!.adminUrl;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (e) {
    cluster?.stop();
    fail(`cannot connect to ${external ? 'ESCALE_TEST_PG_URL' : 'the throwaway cluster'} (${adminUrl.replace(/:[^:@/]*@/, ':***@')}): ${(e as Error).message}`);
  }
  admin.on('error', () => undefined);
  const made: string[] = [];
  const newDatabase = async () => {
    const name = `escale_test_${process.pid}_${Date.now().toString(36)}_${++databaseCounter}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
    made.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const url = await newDatabase();
  return {
    url,
    newDatabase,
    stop: async () => {
      if (external) {
        for (const name of made) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      }
      await admin.end().catch(() => undefined);
      cluster?.stop();
    },
  };
}
