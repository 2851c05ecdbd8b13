// The hub: a socket.io server (websocket transport) for the stations and an admin HTTP JSON API,
// on one port. Stations authenticate with their credential in the handshake; a station writes
// only its own site's streams. Every message is parsed with the protocol's schemas.
import http from 'node:http';
import { Server, type Socket } from 'socket.io';
import { stationEventSchema } from '../../common/events.js';
import {
  EVENTS_UPLOAD,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  REFERENCE_POKE,
  REFERENCE_PULL,
  STREAM_STATUS,
  handshakeSchema,
  parseCredential,
  referencePullSchema,
  streamStatusRequestSchema,
  uploadBatchSchema,
  type UploadAck,
} from '../../common/sync/protocol.js';
import type { HubStore, IngestItem, StationRecord } from '../store/store.js';
import { secretMatches } from './credentials.js';
import { handleAdmin } from './admin-api.js';
import { purgeDueGuests } from './privacy.js';
import { decidePendingSignups } from './signups.js';
import type { Accounts } from '../accounts/accounts.js';

/** A station clock further off than this is flagged on what it sends (never corrected). */
export const CLOCK_SKEW_LIMIT_MS = 5 * 60_000;

/**
 * A stream's watermark: the station's clock when it had sent everything (its events carry that
 * clock), but never later than the hub's: a station that once booted with its clock in the future
 * must not let a month close before its real events are in (the watermark never moves back).
 */
const watermarkOf = (stationTime: string, hubMs: number): string => (Date.parse(stationTime) <= hubMs ? stationTime : new Date(hubMs).toISOString());

export interface HubOptions {
  store: HubStore;
  port: number;
  host?: string;
  /** Bearer token of the admin API; without one the admin API is off. */
  adminToken?: string;
  log?: (line: string) => void;
  now?: () => number;
  /** How often the hub purges guests past their retention date (default hourly; also once at start). */
  guestPurgeIntervalMs?: number;
  /** How often the hub counts each member's quota draw and sends it down (default 15 min; also at start). */
  quotaBalanceIntervalMs?: number;
  /** The network's accounts, for the admin API and page (without them those routes answer 503). */
  accounts?: Accounts;
  /** The built admin page (default: dist/admin-ui). */
  adminUiDir?: string;
  /** An adapter factory (the PostgreSQL adapter when several hub processes share one database). */
  adapter?: ConstructorParameters<typeof Server>[1] extends infer O ? (O extends { adapter?: infer A } ? A : never) : never;
}

export interface Hub {
  readonly port: number;
  readonly url: string;
  readonly io: Server;
  /** Tells every connected station, on every hub process, that reference data changed. */
  poke(): void;
  close(): Promise<void>;
}

interface StationSocketData {
  station: StationRecord;
}

const stationRoom = (stationId: string) => `station:${stationId}`;

const issueText = (issues: { path: PropertyKey[]; message: string }[]) =>
  issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(top)'}: ${i.message}`)
    .join('; ');

export async function startHub(options: HubOptions): Promise<Hub> {
  const { store } = options;
  const log = options.log ?? (() => undefined);
  const now = options.now ?? Date.now;
  const server = http.createServer();
  const io = new Server(server, {
    transports: ['websocket'],
    serveClient: false,
    maxHttpBufferSize: MAX_BATCH_BYTES + 64 * 1024,
    pingInterval: 10_000,
    pingTimeout: 10_000,
    ...(options.adapter ? { adapter: options.adapter } : {}),
  });
  const connected = new Map<string, Socket>();
  const poke = () => void io.emit(REFERENCE_POKE);

  /**
   * A badge a reception assigned becomes the network's: the hub, the only writer of reference
   * data, records it so every station recognises it. A clash with another member's badge is left
   * for an operator (logged), never overwritten. Only from what the store accepted: an event it
   * quarantined, or rejected (a valid one naming a member of another site), assigns nothing.
   */
  const adoptAssignedBadges = async (items: IngestItem[], refused: { seq: number }[]) => {
    let changed = false;
    const notAccepted = new Set(refused.map((r) => r.seq));
    for (const item of items) {
      if (item.kind !== 'valid' || item.event.type !== 'badge.assigned' || notAccepted.has(item.seq)) continue;
      const { uid, memberId, kind } = item.event.payload;
      const current = (await store.getReference('badge', uid)) as { memberId: string; status: string } | null | undefined;
      if (current && current.memberId === memberId) continue;
      if (current) {
        log(`badge ${uid} assigned to ${memberId} at a station, but the network has it for ${current.memberId}: left for an operator`);
        continue;
      }
      await store.putReference([{ entity: 'badge', key: uid, data: { uid, memberId, kind, status: 'active' } }], new Date(now()).toISOString());
      changed = true;
    }
    if (changed) poke();
  };

  /**
   * Sign-ups made at receptions are decided after their upload is committed (and acked), one run at
   * a time in this process; what a crash interrupts is found again at the next start, since the
   * store knows which sign-up events have no decision yet.
   */
  let deciding: Promise<void> = Promise.resolve();
  const decideSignups = () => {
    deciding = deciding
      .then(() => decidePendingSignups(store, now, log))
      .then((n) => void (n > 0 && poke()))
      .catch((e: Error) => log(`deciding sign-ups failed (retried after the next upload or start): ${e.message}`));
    return deciding;
  };

  server.on('request', (req, res) => {
    // socket.io answers its own path; everything else is the admin API.
    if (req.url?.startsWith('/socket.io/')) return;
    void handleAdmin(req, res, {
      store,
      token: options.adminToken,
      poke,
      log,
      now,
      disconnectStation: (id) => io.in(stationRoom(id)).disconnectSockets(true),
      // Every hub process's sockets (through the adapter): a station connected to another is online too.
      onlineStations: async () => new Set((await io.fetchSockets()).map((s) => (s.data as Partial<StationSocketData>).station?.id).filter((id): id is string => !!id)),
      ...(options.accounts ? { accounts: options.accounts } : {}),
      ...(options.adminUiDir ? { adminUiDir: options.adminUiDir } : {}),
    });
  });

  io.use((socket, next) => {
    const refuse = (code: string, message: string) => {
      log(`refused a connection from ${socket.handshake.address}: ${code} ${message}`);
      next(Object.assign(new Error(message), { data: { code } }));
    };
    const auth = handshakeSchema.safeParse(socket.handshake.auth);
    if (!auth.success) return refuse('BAD_HANDSHAKE', `handshake refused: ${issueText(auth.error.issues)}`);
    const credential = parseCredential(auth.data.credential)!;
    store
      .findStation(credential.stationId)
      .then((station) => {
        if (!station || !secretMatches(credential.secret, station.secretHash)) return refuse('BAD_CREDENTIAL', 'unknown station or wrong credential');
        if (station.revokedAt) return refuse('REVOKED', `station ${station.id} was revoked at ${station.revokedAt}`);
        (socket.data as StationSocketData).station = station;
        next();
      })
      .catch((e: Error) => refuse('UNAVAILABLE', `the hub cannot check credentials now: ${e.message}`));
  });

  io.on('connection', (socket) => {
    const { station } = socket.data as StationSocketData;
    // A station restarted while its old connection lingers: the newest one is the station.
    const previous = connected.get(station.id);
    if (previous && previous.id !== socket.id) {
      log(`station ${station.id}: a new connection replaces ${previous.id}`);
      previous.disconnect(true);
    }
    connected.set(station.id, socket);
    // Every connection of a station, on every hub process: revoking it ends them all.
    void socket.join(stationRoom(station.id));
    socket.on('disconnect', () => {
      if (connected.get(station.id) === socket) connected.delete(station.id);
    });

    socket.on(EVENTS_UPLOAD, async (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as (answer: UploadAck) => void;
      const fail = (code: string, message: string) => {
        log(`station ${station.id}: upload refused: ${code} ${message}`);
        reply({ ok: false, error: { code, message } });
      };
      const listed = (raw as { events?: unknown } | null)?.events;
      if (Array.isArray(listed) && listed.length > MAX_BATCH_EVENTS) return fail('TOO_LARGE', `${listed.length} events in one upload, more than ${MAX_BATCH_EVENTS}: send fewer at a time`);
      const batch = uploadBatchSchema.safeParse(raw);
      if (!batch.success) return fail('INVALID_BATCH', issueText(batch.error.issues));
      const { stream, events, sentAt } = batch.data;
      // The transport only caps whole messages (a bit above this): the protocol's own limit is checked here.
      const bytes = Buffer.byteLength(JSON.stringify(events));
      if (bytes > MAX_BATCH_BYTES) return fail('TOO_LARGE', `${bytes} bytes of events in one upload, more than ${MAX_BATCH_BYTES}: send fewer at a time`);
      if (stream.siteId !== station.siteId) return fail('FORBIDDEN_STREAM', `station ${station.id} belongs to site ${station.siteId}, not ${stream.siteId}`);
      const receivedMs = now();
      const clockOffsetMs = Date.parse(sentAt) - receivedMs;
      const items: IngestItem[] = [];
      for (const rawEvent of events) {
        const seq = (rawEvent as { seq?: unknown } | null)?.seq;
        if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) return fail('INVALID_BATCH', 'every event needs a whole seq ≥ 1 to be acknowledged');
        const rawId = (rawEvent as { id?: unknown }).id;
        const id = typeof rawId === 'string' && /^[0-9a-f-]{36}$/.test(rawId) ? rawId : undefined;
        const parsed = stationEventSchema.safeParse(rawEvent);
        if (!parsed.success) {
          items.push({ kind: 'invalid', seq, ...(id ? { id } : {}), reason: issueText(parsed.error.issues), raw: JSON.stringify(rawEvent).slice(0, 10_000) });
        } else if (parsed.data.stream.siteId !== stream.siteId || parsed.data.stream.epoch !== stream.epoch) {
          items.push({ kind: 'invalid', seq, ...(id ? { id } : {}), reason: 'the event belongs to another stream than its upload', raw: JSON.stringify(rawEvent).slice(0, 10_000) });
        } else {
          // A wall time after the batch was sent is implausible: flagged, kept as the station said.
          const future = Date.parse(parsed.data.wallTime) > Date.parse(sentAt) + 60_000;
          items.push({ kind: 'valid', seq, event: parsed.data, ...(future ? { flags: ['future_time'] } : {}) });
        }
      }
      const flags = Math.abs(clockOffsetMs) > CLOCK_SKEW_LIMIT_MS ? ['clock_skew'] : [];
      try {
        const result = await store.ingest(station.siteId, stream, items, { receivedAt: new Date(receivedMs).toISOString(), clockOffsetMs, flags });
        if (result.newEpochOf) log(`site ${station.siteId}: new epoch ${stream.epoch} (before: ${result.newEpochOf.join(', ')})`);
        await adoptAssignedBadges(items, [...result.quarantined, ...result.rejected]);
        if (items.some((i) => i.kind === 'valid' && i.event.type === 'member.signed_up')) void decideSignups();
        if (batch.data.headSeq !== undefined && result.ackedSeq >= batch.data.headSeq) await store.markCaughtUp(stream, watermarkOf(sentAt, receivedMs));
        reply({ ok: true, stream, ackedSeq: result.ackedSeq, rejected: result.rejected, quarantined: result.quarantined, hubTime: new Date(now()).toISOString() });
      } catch (e) {
        fail('UNAVAILABLE', `the hub could not store the upload: ${(e as Error).message}`);
      }
    });

    socket.on(STREAM_STATUS, async (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const req = streamStatusRequestSchema.safeParse(raw);
      if (!req.success) return ack({ ok: false, error: { code: 'INVALID_REQUEST', message: issueText(req.error.issues) } });
      if (req.data.stream.siteId !== station.siteId) return ack({ ok: false, error: { code: 'FORBIDDEN_STREAM', message: `not site ${station.siteId}` } });
      try {
        const ackedSeq = await store.streamAckedSeq(req.data.stream);
        const { headSeq, sentAt } = req.data;
        // An idle station (nothing to send) says so now and then: its watermark moves on.
        if (headSeq !== undefined && sentAt !== undefined && ackedSeq >= headSeq && (headSeq === 0 || ackedSeq > 0)) await store.markCaughtUp(req.data.stream, watermarkOf(sentAt, now()));
        ack({ ok: true, ackedSeq, hubTime: new Date(now()).toISOString() });
      } catch (e) {
        ack({ ok: false, error: { code: 'UNAVAILABLE', message: (e as Error).message } });
      }
    });

    socket.on(REFERENCE_PULL, async (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const req = referencePullSchema.safeParse(raw);
      if (!req.success) return ack({ ok: false, error: { code: 'INVALID_REQUEST', message: issueText(req.error.issues) } });
      try {
        const page = await store.referencePage(req.data.cursor, req.data.snapshot, req.data.limit);
        // Each station gets its own site's staff, and the outcomes of its own sign-ups, only.
        const changes = page.changes.filter((c) => (c.entity !== 'staff' && c.entity !== 'signup') || c.key.startsWith(`${station.siteId}/`));
        ack({ ok: true, ...page, changes });
      } catch (e) {
        ack({ ok: false, error: { code: 'UNAVAILABLE', message: (e as Error).message } });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  log(`hub listening on ${options.host ?? '127.0.0.1'}:${port} (${store.kind} store)`);

  // Guests' personal data is purged on the hub's own schedule too: a station that is off, or gone,
  // must not keep it here past its date. Several hub processes may do it at once: it is idempotent.
  let purging: Promise<void> | undefined;
  const purgeGuests = () => {
    purging ??= purgeDueGuests(store, now())
      .then((ids) => void (ids.length > 0 && log(`purged the personal data of ${ids.length} guests past their retention date`)))
      .catch((e: Error) => log(`guest purge failed (retried at the next run): ${e.message}`))
      .finally(() => (purging = undefined));
  };
  purgeGuests();
  void decideSignups();
  const guestPurge = setInterval(purgeGuests, options.guestPurgeIntervalMs ?? 60 * 60_000);
  guestPurge.unref();

  // Quota balances: what each member drew from a company's hours, counted over every site's
  // events, goes down with the reference data so a station offline knows what is left.
  let counting: Promise<void> | undefined;
  const accounts = options.accounts;
  const publishQuotaBalances = () => {
    if (!accounts) return;
    counting ??= accounts
      .publishQuotaBalances()
      .then((changed) => {
        // Said after every count, even one that changed nothing: an operator (and a test) can tell
        // the count ran, and when.
        log(`quota balances counted: ${changed} ${changed === 1 ? 'quota' : 'quotas'} updated`);
        if (changed > 0) poke();
      })
      .catch((e: Error) => log(`quota balances failed (retried at the next run): ${e.message}`))
      .finally(() => (counting = undefined));
  };
  publishQuotaBalances();
  const quotaBalances = setInterval(publishQuotaBalances, options.quotaBalanceIntervalMs ?? 15 * 60_000);
  quotaBalances.unref();
  return {
    port,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    io,
    poke,
    close: async () => {
      clearInterval(guestPurge);
      clearInterval(quotaBalances);
      await purging;
      await counting;
      await deciding;
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}
