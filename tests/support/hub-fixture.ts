// A real hub for sync tests: the socket.io server on 127.0.0.1 (port 0) over a SQLite store in a
// temporary folder, the demo reference data imported, an admin token; stations enrolled on it;
// helpers to compare what the hub holds with a station's outbox (waiting: wait.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { expect } from 'vitest';
import { startHub, type Hub } from '../../server/hub/hub-server.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { enrollStation } from '../../server/hub/stations.js';
import { SqliteHubStore } from '../../server/store/sqlite-store.js';
import type { HubStore, StoredEvent } from '../../server/store/store.js';
import type { Accounts } from '../../server/accounts/accounts.js';
import { PostgresHubStore } from '../../server/store/postgres-store.js';
import { startTestPostgres, type TestPostgres } from './postgres.js';
import { SyncClient, type SyncClientOptions } from '../../main/sync/sync-client.js';
import type { Station } from '../../main/station/station.js';
import { newId } from '../../common/ids.js';
import { openTestStation, tempDir, type TestStation } from './station-fixture.js';
import { contextOf } from '../../main/station/context.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_REFERENCE_FILE = path.join(root, 'resources/demo/reference-data.json');
export const ADMIN_TOKEN = 'sync-test-admin-token-4f1c9a';

/** The network's reference file as the hub imports it (staff with their siteId). */
export function demoReferenceFile(): Record<string, unknown> & { members: { id: string; homeSiteId: string; status: string }[]; badges: { uid: string; memberId: string; status: string; kind: string }[] } {
  return JSON.parse(fs.readFileSync(DEMO_REFERENCE_FILE, 'utf8'));
}

export interface TestHub {
  dir: string;
  file: string;
  /** The hub's erasure log: beside a SQLite file, in the test's folder for PostgreSQL. */
  erasureLog: string;
  /** How escale-hub reaches this hub's store: --db and --erasure-log. */
  storeArgs: string[];
  store: HubStore;
  hub: Hub;
  url: string;
  port: number;
  /** Every line the hub logged. */
  logs: string[];
  /** Calls the admin API; throws unless it answers ok. */
  admin<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  /** Calls the admin API and returns the HTTP status and body, whatever they are. */
  adminRaw(method: string, route: string, body?: unknown): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }>;
  enroll(siteId: string, name?: string): Promise<{ stationId: string; siteId: string; credential: string }>;
  /** Closes the hub and its store, then opens both again on the same file and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The hub's store for these tests: SQLite by default; with ESCALE_TEST_HUB_STORE=postgres, a fresh
 * database on a throwaway PostgreSQL cluster (one per test file), so the same sync suite runs on both.
 */
export const HUB_STORE_KIND = process.env.ESCALE_TEST_HUB_STORE === 'postgres' ? 'postgres' : 'sqlite';
let postgres: Promise<TestPostgres> | undefined;

async function hubStoreLocation(dir: string): Promise<string> {
  if (HUB_STORE_KIND === 'sqlite') return path.join(dir, 'hub.sqlite');
  postgres ??= startTestPostgres();
  return (await postgres).newDatabase();
}

/** The erasure log of the store at `location`: a SQLite store's default, beside it; a PostgreSQL one's in the test's folder. */
const erasureLogOf = (location: string, dir: string) => (location.startsWith('postgres') ? path.join(dir, 'hub.erasures.jsonl') : `${location}.erasures.jsonl`);

async function openHubStore(location: string, dir: string): Promise<HubStore> {
  return location.startsWith('postgres') ? PostgresHubStore.connect(location, { erasureLog: erasureLogOf(location, dir) }) : new SqliteHubStore(location);
}

/** A hub store of its own, on the engine the run tests (SQLite, or PostgreSQL with ESCALE_TEST_HUB_STORE=postgres); the caller closes it. */
export async function openTestHubStore(dir = tempDir('escale-hub-store-')): Promise<HubStore> {
  return openHubStore(await hubStoreLocation(dir), dir);
}

/** Stops the PostgreSQL cluster of this test file, if one was started (call in afterAll). */
export async function stopTestHubStores(): Promise<void> {
  const pg = postgres;
  postgres = undefined;
  await (await pg)?.stop();
}

export async function startTestHub(options: { dir?: string; now?: () => number; reference?: boolean; accounts?: (store: HubStore) => Accounts } = {}): Promise<TestHub> {
  const dir = options.dir ?? tempDir('escale-hub-');
  /** A SQLite file, or a postgres:// URL (ESCALE_TEST_HUB_STORE=postgres). */
  const file = await hubStoreLocation(dir);
  const logs: string[] = [];
  const log = (line: string) => void logs.push(line);
  let store = await openHubStore(file, dir);
  if (options.reference !== false) await importReference(store, demoReferenceFile(), new Date(options.now?.() ?? Date.now()).toISOString());
  const extra = () => ({ ...(options.now ? { now: options.now } : {}), ...(options.accounts ? { accounts: options.accounts(store) } : {}) });
  let hub = await startHub({ store, port: 0, adminToken: ADMIN_TOKEN, log, ...extra() });
  const port = hub.port;
  let names = 0;
  const adminRaw: TestHub['adminRaw'] = async (method, route, body) => {
    const res = await fetch(`${hub.url}/admin/${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } } };
  };
  const t: TestHub = {
    dir,
    file,
    erasureLog: erasureLogOf(file, dir),
    storeArgs: ['--db', file, '--erasure-log', erasureLogOf(file, dir)],
    get store() {
      return store;
    },
    get hub() {
      return hub;
    },
    url: hub.url,
    port,
    logs,
    adminRaw,
    admin: async <T>(method: string, route: string, body?: unknown) => {
      const r = await adminRaw(method, route, body);
      if (!r.body.ok) throw new Error(`admin ${method} ${route}: ${r.status} ${JSON.stringify(r.body.error)}`);
      return r.body.value as T;
    },
    enroll: (siteId, name) => enrollStation(store, siteId, name ?? `desk ${++names}`, new Date().toISOString()),
    restart: async () => {
      await hub.close();
      await store.close();
      store = await openHubStore(file, dir);
      hub = await startHub({ store, port, adminToken: ADMIN_TOKEN, log, ...extra() });
    },
    close: async () => {
      await hub.close();
      await store.close();
    },
  };
  return t;
}

/** A station of `siteId` on a fresh folder; with data null it holds nothing until it pulls from the hub. */
export function openSiteStation(siteId: string, options: Parameters<typeof openTestStation>[0] = {}): TestStation {
  return openTestStation({ data: null, ...options, init: { siteId, ...(options.init?.settings ? { settings: options.init.settings } : {}) } });
}

/** A started sync client of `station` (quick polling for tests). */
export function startSync(station: Station, hub: { url: string; credential: string }, options: Partial<SyncClientOptions> = {}): SyncClient {
  const client = new SyncClient({ station, url: hub.url, credential: hub.credential, ...options });
  client.start();
  return client;
}

/** An event as both sides can show it: where it sits in its stream and what it says. */
export interface ComparableEvent {
  id: string;
  siteId: string;
  epoch: string;
  seq: number;
  type: string;
  payload: unknown;
  wallTime: string | undefined;
  hlc: string | undefined;
}

const byStream = (a: ComparableEvent, b: ComparableEvent) => (a.siteId + a.epoch < b.siteId + b.epoch ? -1 : a.siteId + a.epoch > b.siteId + b.epoch ? 1 : a.seq - b.seq);

/** The station's outbox rows as they are (not parsed: a corrupt row shows as it is). */
export function outboxRows(db: Database): ComparableEvent[] {
  return (db.prepare('SELECT id, site_id, epoch, seq, type, payload, wall_time, hlc FROM outbox ORDER BY position').all() as {
    id: string; site_id: string; epoch: string; seq: number; type: string; payload: string; wall_time: string; hlc: string;
  }[])
    .map((r) => ({ id: r.id, siteId: r.site_id, epoch: r.epoch, seq: r.seq, type: r.type, payload: JSON.parse(r.payload) as unknown, wallTime: r.wall_time, hlc: r.hlc }))
    .sort(byStream);
}

/** Every event the hub stored (of one site, or all), by stream and seq. */
export async function storedEvents(store: { listEvents: HubStore['listEvents'] }, siteId?: string): Promise<StoredEvent[]> {
  return store.listEvents({ ...(siteId ? { siteId } : {}), limit: 10_000_000 });
}

export const comparable = (e: StoredEvent): ComparableEvent => ({
  id: e.id, siteId: e.siteId, epoch: e.epoch, seq: e.seq, type: e.type, payload: e.payload, wallTime: e.wallTime, hlc: e.hlc,
});

/** The hub holds exactly the station's events: same ids, streams, seqs, types, payloads and times, none twice. */
export function expectSameEvents(hub: StoredEvent[], outbox: ComparableEvent[]): void {
  const ids = hub.map((e) => e.id);
  expect(new Set(ids).size, 'an event stored twice at the hub').toBe(ids.length);
  const places = hub.map((e) => `${e.siteId}/${e.epoch}/${e.seq}`);
  expect(new Set(places).size, 'a stream place stored twice at the hub').toBe(places.length);
  expect(hub.filter((e) => e.status !== 'accepted').map((e) => `${e.seq}: ${e.reason}`)).toEqual([]);
  const got = hub.map(comparable).sort(byStream);
  expect(got.length).toBe(outbox.length);
  // One by one first, so a difference names the event rather than dumping thousands.
  for (let i = 0; i < outbox.length; i++) if (JSON.stringify(got[i]) !== JSON.stringify(outbox[i])) expect(got[i]).toEqual(outbox[i]);
}

/** Taps `n` times through the station's handlers (no tap window), cycling through `uids`, moving the clock a minute each time. */
export function tapMany(t: TestStation, uids: string[], n: number, stepMs = 60_000): { ok: number; outcomes: Record<string, number> } {
  const outcomes: Record<string, number> = {};
  let ok = 0;
  for (let i = 0; i < n; i++) {
    t.clock.advance(stepMs);
    const r = t.station.handlers.tap({ uid: uids[i % uids.length]!, source: 'kiosk' } as never);
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    ok++;
  }
  return { ok, outcomes };
}

/** Active badges of active members, optionally of members whose home site is `homeSiteId`. */
export function activeUids(filter: (member: { id: string; homeSiteId: string }) => boolean = () => true): string[] {
  const data = demoReferenceFile();
  const members = new Map(data.members.map((m) => [m.id, m]));
  return data.badges
    .filter((b) => b.status === 'active' && b.kind === 'rfid' && members.get(b.memberId)?.status === 'active' && filter(members.get(b.memberId)!))
    .map((b) => b.uid);
}

/** Many taps fast: `n` taps in transactions of 2,000 (each tap still its own savepoint), a second apart. */
export function bulkTaps(t: TestStation, n: number, uids = activeUids()): void {
  for (let done = 0; done < n; done += 2000) contextOf(t.station).db.transaction(() => tapMany(t, uids, Math.min(2000, n - done), 1000))();
}

/**
 * Samples the hub's watermarks (listStreams ackedSeq) every `everyMs` until stopped, and says
 * where one went back. A failed read (the hub down) is no sample.
 */
export function watchWatermarks(read: () => Promise<{ siteId: string; epoch: string; ackedSeq: number }[]>, everyMs = 10) {
  const samples = new Map<string, number[]>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        for (const s of await read()) {
          const key = `${s.siteId}/${s.epoch}`;
          if (!samples.has(key)) samples.set(key, []);
          samples.get(key)!.push(s.ackedSeq);
        }
      } catch {
        // The hub is down: nothing to sample.
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    samples,
    /** Stops sampling; resolves with every place a watermark went back (none: []). */
    stop: async (): Promise<string[]> => {
      stopped = true;
      await loop;
      const back: string[] = [];
      for (const [key, values] of samples) values.forEach((v, i) => i > 0 && v < values[i - 1]! && back.push(`${key}: ${values[i - 1]} → ${v}`));
      return back;
    },
    /** How many samples were taken in all. */
    count: () => [...samples.values()].reduce((n, v) => n + v.length, 0),
  };
}

/**
 * Appends an outbox row as it is, bypassing the station's own checks (a station with a bug, a
 * payload the hub must refuse): next seq of the current epoch, a valid HLC after the last one.
 */
export function appendRawEvent(t: TestStation, type: string, payload: unknown): { id: string; seq: number } {
  const { db, siteId, epoch } = contextOf(t.station);
  const last = db.prepare('SELECT epoch, seq, hlc FROM outbox ORDER BY position DESC LIMIT 1').get() as { epoch: string; seq: number; hlc: string } | undefined;
  const seq = last && last.epoch === epoch ? last.seq + 1 : 1;
  const wallMs = t.clock.now();
  const [ms, counter] = (last?.hlc ?? '0:0').split(':').map(Number) as [number, number];
  const hlc = wallMs > ms ? `${String(wallMs).padStart(15, '0')}:000000` : `${String(ms).padStart(15, '0')}:${String(counter + 1).padStart(6, '0')}`;
  const id = newId();
  db.prepare('INSERT INTO outbox (id, site_id, epoch, seq, type, payload, wall_time, hlc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    id, siteId, epoch, seq, type, JSON.stringify(payload), new Date(wallMs).toISOString(), hlc,
  );
  return { id, seq };
}
