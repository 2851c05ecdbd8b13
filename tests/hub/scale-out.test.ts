// Scale-out: two hub processes (`escale-hub serve --db postgres://…`, the compiled bin) on one
// PostgreSQL server (tests/support/postgres.ts). A station connected to hub B is poked when
// reference data changes through hub A's admin API (the socket.io PostgreSQL adapter), pulls the
// change from B, and what it uploads through B is what A lists.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_UPLOAD, PROTOCOL_VERSION, REFERENCE_POKE, REFERENCE_PULL, referencePullAckSchema, uploadAckSchema } from '../../common/sync/protocol.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { TestStream } from './store-contract.js';
import { root } from '../support/hub-fixture.js';
import { HUB_BIN as bin, ensureBuilt } from '../support/processes.js';
import { hubJson } from '../support/cli.js';
import { waitFor } from '../support/wait.js';

const REFERENCE_FILE = path.join(root, 'resources/demo/reference-data.json');
const TOKEN = 'scale-out-admin-token-7c2e';
const SITE = 'bxl-louise';
/** One erasure log for both hub processes and the commands (a PostgreSQL store needs one). */
const ERASURE_LOG = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'escale-scale-out-')), 'erasures.jsonl');

/** Runs an escale-hub admin command (in this process: tests/support/cli.ts); its JSON answer. */
async function cli(...args: string[]): Promise<unknown> {
  const r = await hubJson([...args, '--erasure-log', ERASURE_LOG]);
  if (r.status !== 0) throw new Error(`escale-hub ${args[0]} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return r.value;
}

interface HubProcess {
  child: ChildProcess;
  url: string;
  output: string[];
}

/** `escale-hub serve --port 0`: resolves with the URL it prints on its READY line. */
function serve(db: string): Promise<HubProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--erasure-log', ERASURE_LOG, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ESCALE_HUB_ADMIN_TOKEN: TOKEN } });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        output.push(line);
        const ready = /^READY (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (ready) resolve({ child, url: ready[1]!, output });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.once('exit', (code, signal) => reject(new Error(`escale-hub serve exited (${code ?? signal}) before READY:\n${output.join('\n')}`)));
  });
}

async function stopHub(h: HubProcess): Promise<void> {
  if (h.child.exitCode !== null || h.child.signalCode !== null) return;
  const exited = new Promise((resolve) => h.child.once('exit', resolve));
  h.child.kill('SIGTERM');
  // Cleanup only (no assertion on it): a hub that does not stop is killed.
  const force = setTimeout(() => h.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(force);
}

function connectStation(url: string, credential: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], auth: { credential, protocol: PROTOCOL_VERSION }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => reject(new Error(`the station could not connect to ${url}: ${e.message}`)));
  });
}

let server: TestPostgres | undefined;
const hubs: HubProcess[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  // The hub processes run the compiled bin: `npm test` builds first; a bare `npx vitest run` may not.
  ensureBuilt();
  server = await startTestPostgres();
}, 240_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(hubs.map(stopHub));
  await server?.stop();
}, 60_000);

describe('two hub processes on one PostgreSQL', () => {
  it('a badge lost through hub A pokes a station connected to hub B, which pulls the change from B', async () => {
    const db = server!.url;
    expect(await cli('import', '--db', db, REFERENCE_FILE)).toMatchObject({ cursor: expect.any(Number) });
    const enrolled = (await cli('station', 'enroll', '--db', db, '--site', SITE, '--name', 'Reception')) as { credential: string };
    const badge = (JSON.parse(fs.readFileSync(REFERENCE_FILE, 'utf8')) as { badges: { uid: string; status: string }[] }).badges.find((b) => b.status === 'active')!;

    const [a, b] = await Promise.all([serve(db), serve(db)]);
    hubs.push(a, b);
    expect(a.url).not.toBe(b.url);
    // Each hub's adapter LISTENs on its own connection once it is up: wait for both, so the poke
    // cannot be sent before B listens.
    const probe = new pg.Client({ connectionString: db });
    await probe.connect();
    try {
      await waitFor(async () => {
        const r = await probe.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'");
        return r.rows[0]!.n >= 2;
      }, 'both hubs listening on PostgreSQL');
    } finally {
      await probe.end();
    }

    // Each hub counts quota balances as it starts and pokes its stations when that changes any:
    // wait for both counts, so the only change and poke after the catch-up are the badge's.
    await waitFor(() => [a, b].every((h) => h.output.some((l) => l.includes('quota balances counted'))), 'both hubs to count the quota balances');

    const station = await connectStation(b.url, enrolled.credential);
    sockets.push(station);
    // The station catches up with B first.
    let cursor: number | null = null;
    for (let more = true, snapshot = false; more; ) {
      const page = referencePullAckSchema.parse(await station.timeout(30_000).emitWithAck(REFERENCE_PULL, { cursor, snapshot, limit: 5000 }));
      if (!page.ok) throw new Error(page.error.message);
      ({ cursor, more, snapshot } = page);
    }

    const poked = new Promise<void>((resolve) => station.once(REFERENCE_POKE, () => resolve()));
    const res = await fetch(`${a.url}/admin/badges/${encodeURIComponent(badge.uid)}/lose`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await res.json()) as { ok: boolean; value: { cursor: number } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.value.cursor).toBeGreaterThan(cursor!);
    // A deadline for a clear failure, not a measure: the poke crosses PostgreSQL's NOTIFY in milliseconds.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      poked,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no reference.poke reached the station on hub B: the adapter does not link the hubs')), 30_000))),
    ]).finally(() => clearTimeout(timer));

    const pulled = referencePullAckSchema.parse(await station.timeout(30_000).emitWithAck(REFERENCE_PULL, { cursor, snapshot: false, limit: 100 }));
    expect(pulled).toEqual({
      ok: true,
      changes: [{ entity: 'badge', key: badge.uid, data: expect.objectContaining({ uid: badge.uid, status: 'lost' }), cursor: body.value.cursor }],
      cursor: body.value.cursor,
      snapshot: false,
      more: false,
    });
  });

  it('what a station uploads through hub B is acked after commit and listed by hub A', async () => {
    const [a, b] = hubs;
    const enrolled = (await cli('station', 'enroll', '--db', server!.url, '--site', SITE, '--name', 'Kiosk')) as { credential: string };
    const station = await connectStation(b!.url, enrolled.credential);
    sockets.push(station);
    const s = new TestStream(SITE);
    const events = [s.checkIn(1, 'm0001'), s.coffee(2), s.shift(3)];
    const upload = { batchId: 'b1', stream: s.stream, events, sentAt: new Date().toISOString() };
    const ack = uploadAckSchema.parse(await station.timeout(30_000).emitWithAck(EVENTS_UPLOAD, upload));
    expect(ack).toMatchObject({ ok: true, ackedSeq: 3, rejected: [], quarantined: [] });
    // Resent through A (the station reconnected to the other process): nothing twice.
    const viaA = await connectStation(a!.url, enrolled.credential);
    sockets.push(viaA);
    expect(uploadAckSchema.parse(await viaA.timeout(30_000).emitWithAck(EVENTS_UPLOAD, { ...upload, batchId: 'b2' }))).toMatchObject({ ok: true, ackedSeq: 3 });
    const res = await fetch(`${a!.url}/admin/events?site=${SITE}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const listed = (await res.json()) as { ok: boolean; value: { id: string; epoch: string }[] };
    expect(listed.value.filter((e) => e.epoch === s.stream.epoch).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });
});
