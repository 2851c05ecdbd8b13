// The hub: a socket.io server (websocket transport) for the stations and an admin HTTP JSON API,
// on one port. Stations authenticate with their credential in the handshake; a station writes
// only its own site's streams. Every message is parsed with the protocol's schemas.
// Nothing that arrives stops the hub: packets are checked on the wire before they are parsed
// (wire-parser.ts), every request and handler runs inside an error boundary, and each refusal
// is logged once, then counted (common/log/rate-limited-log.ts).
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { Server, type Socket } from 'socket.io';
import { createRateLimitedLog, type RateLimitedLog } from '../../common/log/rate-limited-log.js';
import { boundedJson } from '../../common/wire/bounded-json.js';
import { stationEventSchema } from '../../common/events.js';
import {
  EVENTS_UPLOAD,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  REFERENCE_POKE,
  REFERENCE_PULL,
  STATION_PROFILE,
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
import { errorBody, handleAdmin, type AdminContext } from './admin-api.js';
import { PACKET_LIMITS, PacketRefusedError, limitedParser, wireBytesOf } from './wire-parser.js';
import { appendToLog, purgeDueGuests, reapplyErasures } from './privacy.js';
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
  /** After a refusal is logged, how long more of its kind are only counted (default one minute; then "N more like this"). */
  refusalLogIntervalMs?: number;
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

/** A log line with its control characters escaped (a stack's line breaks shown as \n). */
const oneLine = (line: string) =>
  line.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

/** An invalid event as the store keeps it: its JSON, bounded (it may be anything a station sent). */
const RAW_EVENT_CHARS = 10_000;

/** The status line of a malformed request Node's HTTP parser gave up on. */
const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/**
 * Answers a request Node's HTTP parser could not read (a garbage request line, headers too large,
 * a bad chunk), and closes its connection: once the parser failed, nothing after it can be read.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex, refusals: RateLimitedLog) {
  const code = error.code ?? 'UNKNOWN';
  // A client that went away is no refusal.
  if (code === 'ECONNRESET' || code === 'EPIPE' || !socket.writable) return void socket.destroy();
  refusals.note(`http ${code}`, `refused a malformed HTTP request (${code}): ${error.message}`);
  // As Node does without this handler: an answer to a request before (pipelined) that has begun
  // to be written must not be cut by this one.
  if ((socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage?.headersSent) return void socket.destroy();
  const status = CLIENT_ERROR_STATUS[code] ?? '400 Bad Request';
  const body = JSON.stringify(errorBody('BAD_REQUEST', `the hub cannot read this HTTP request (${code})`));
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`, () => socket.destroy());
}

export async function startHub(options: HubOptions): Promise<Hub> {
  const { store } = options;
  const log = options.log ?? (() => undefined);
  const now = options.now ?? Date.now;
  const refusalIntervalMs = options.refusalLogIntervalMs ?? 60_000;
  // What senders control is logged through this: the first of a kind, then a count now and then,
  // each on one line whatever it quotes (a station's event name, a key in a body): a sender cannot
  // write lines of its own into the hub's log.
  const refusals = createRateLimitedLog({ now, sink: (line) => log(oneLine(line)), intervalMs: refusalIntervalMs });
  const refusalSummaries = setInterval(() => refusals.flush(), refusalIntervalMs);
  refusalSummaries.unref();
  const server = http.createServer();
  const io = new Server(server, {
    transports: ['websocket'],
    serveClient: false,
    // Sizes on the wire: the transport refuses a message over this before reading it whole…
    maxHttpBufferSize: MAX_BATCH_BYTES + 64 * 1024,
    // …and the parser checks each packet's depth and items before its JSON is parsed.
    parser: limitedParser(PACKET_LIMITS, (e) => refusals.note(`packet ${e.code}`, `refused a socket.io packet: ${e.code} ${e.message}; its connection is closed`)),
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
      // Only for a member of the network's data: a badge of a member the network does not hold
      // (a provisional one not confirmed yet, or an id made up) would break every station's
      // reference pull. A sign-up's own badge joins with its member when it is confirmed.
      if (!(await store.getReference('member', memberId))) {
        log(`badge ${uid} assigned at a station to ${memberId}, a member the network does not hold: left for an operator`);
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

  /**
   * The station's guest purges, committed with the upload, go to the erasure log as the hub's own
   * do: a database restored from an older backup purges them again. (A resend is logged again:
   * applying it twice changes nothing.) A log that cannot be written is told, and the upload stands.
   */
  const logGuestPurges = (stationId: string, items: IngestItem[], quarantined: { seq: number }[]) => {
    const byTime = new Map<string, string[]>();
    for (const item of items) {
      if (item.kind !== 'valid' || item.event.type !== 'guest.purged' || quarantined.some((q) => q.seq === item.seq)) continue;
      const { guestId, at } = item.event.payload;
      byTime.set(at, [...(byTime.get(at) ?? []), guestId]);
    }
    for (const [at, guestIds] of byTime) {
      try {
        appendToLog(store, { kind: 'guests.purged', guestIds, at }, `${guestIds.length} guests were purged by station ${stationId}`);
      } catch (e) {
        log((e as Error).message);
      }
    }
  };

  const admin: AdminContext = {
    store,
    token: options.adminToken,
    poke,
    log,
    refused: (kind, line) => refusals.note(kind, line),
    now,
    disconnectStation: (id) => io.in(stationRoom(id)).disconnectSockets(true),
    // Every hub process's sockets (through the adapter): a station connected to another is online too.
    onlineStations: async () => new Set((await io.fetchSockets()).map((s) => (s.data as Partial<StationSocketData>).station?.id).filter((id): id is string => !!id)),
    ...(options.accounts ? { accounts: options.accounts } : {}),
    ...(options.adminUiDir ? { adminUiDir: options.adminUiDir } : {}),
  };
  /** The error boundary of an HTTP request: what escaped the admin API is a 500 (or, once answering began, a cut answer). */
  const requestFailed = (res: http.ServerResponse, e: unknown) => {
    refusals.note('http internal', `an HTTP request failed: ${(e as Error)?.stack ?? String(e)}`);
    if (res.headersSent || res.destroyed) return void res.destroy();
    res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', connection: 'close' }).end(JSON.stringify(errorBody('INTERNAL', 'the hub failed on this request: it is logged')));
  };
  server.on('request', (req, res) => {
    // socket.io answers its own path; everything else is the admin API.
    if (req.url?.startsWith('/socket.io/')) return;
    try {
      handleAdmin(req, res, admin).catch((e: unknown) => requestFailed(res, e));
    } catch (e) {
      requestFailed(res, e);
    }
  });
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => answerClientError(error, socket, refusals));
  // A handshake engine.io refuses (an unknown transport, a bad query): answered by engine.io, logged here.
  io.engine.on('connection_error', (e: { code?: number; message?: string }) =>
    refusals.note(`engine.io ${e.code}`, `refused a socket.io connection: ${e.message ?? 'unknown'} (engine.io code ${e.code})`),
  );

  io.use((socket, next) => {
    let answered = false;
    const refuse = (code: string, message: string) => {
      if (answered) return;
      answered = true;
      refusals.note(`handshake ${code}`, `refused a connection from ${socket.handshake.address}: ${code} ${message}`);
      next(Object.assign(new Error(message), { data: { code } }));
    };
    try {
      const auth = handshakeSchema.safeParse(socket.handshake.auth);
      if (!auth.success) return refuse('BAD_HANDSHAKE', `handshake refused: ${issueText(auth.error.issues)}`);
      const credential = parseCredential(auth.data.credential);
      if (!credential) return refuse('BAD_HANDSHAKE', 'handshake refused: credential: not a station credential');
      store
        .findStation(credential.stationId)
        .then((station) => {
          if (!station || !secretMatches(credential.secret, station.secretHash)) return refuse('BAD_CREDENTIAL', 'unknown station or wrong credential');
          if (station.revokedAt) return refuse('REVOKED', `station ${station.id} was revoked at ${station.revokedAt}`);
          (socket.data as StationSocketData).station = station;
          answered = true;
          next();
        })
        .catch((e: Error) => refuse('UNAVAILABLE', `the hub cannot check credentials now: ${e.message}`));
    } catch (e) {
      refuse('UNAVAILABLE', `the hub failed checking this handshake: ${(e as Error).message}`);
    }
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
    Promise.resolve(socket.join(stationRoom(station.id))).catch((e: Error) => log(`station ${station.id}: could not join its room (a revocation may miss this connection): ${e.message}`));
    socket.on('disconnect', (reason, description) => {
      if (connected.get(station.id) === socket) connected.delete(station.id);
      // A transport error is the transport refusing what came (a message over maxHttpBufferSize,
      // a frame it cannot read), not a network gone: logged like the parser's refusals.
      if (reason === 'transport error')
        refusals.note(`transport error ${station.id}`, `station ${station.id}: connection closed on a transport error: ${(description as Error | undefined)?.message ?? 'unknown'}`);
    });
    // socket.io tells a connection's errors here (a packet refused or unreadable: the parser logged
    // it, and socket.io closes the connection). A station can also send an event named "error"
    // (socket.io does not reserve the name): it lands here too, with whatever it holds, and
    // without a listener Node's EventEmitter would throw it — one packet would end the hub.
    // onAny has logged and answered such an event; only socket.io's own errors are Errors.
    socket.on('error', (e: unknown) => {
      if (e instanceof Error && !(e instanceof PacketRefusedError)) refusals.note(`socket error ${station.id}`, `station ${station.id}: connection error: ${e.message}`);
    });
    // An event nobody listens to is dropped by socket.io: said once, and answered when it wants an answer.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (event === EVENTS_UPLOAD || event === STREAM_STATUS || event === REFERENCE_PULL || event === STATION_PROFILE) return;
      const name = JSON.stringify(String(event).slice(0, 64));
      refusals.note(`unknown event ${station.id}`, `station ${station.id}: refused an unknown event ${name}`);
      const ack = args[args.length - 1];
      if (typeof ack === 'function') {
        try {
          (ack as (a: unknown) => void)({ ok: false, error: { code: 'UNKNOWN_EVENT', message: `the hub knows no event ${name}` } });
        } catch {
          // socket.io's ack of a connection gone: nothing to answer.
        }
      }
    });

    /**
     * A station's request: one argument and an ack, answered once. The handler runs inside an
     * error boundary: a throw or a rejection is logged and answered INTERNAL, never left to end
     * the process.
     */
    const request = (event: string, handler: (raw: unknown, reply: (answer: unknown) => void) => Promise<void> | void) =>
      socket.on(event, (...args: unknown[]) => {
        const ack = args[args.length - 1];
        if (typeof ack !== 'function') return refusals.note(`no ack ${station.id}`, `station ${station.id}: ${event} without an ack: nothing to answer, ignored`);
        let replied = false;
        const reply = (answer: unknown) => {
          if (replied) return;
          replied = true;
          try {
            (ack as (a: unknown) => void)(answer);
          } catch (e) {
            refusals.note(`ack ${station.id}`, `station ${station.id}: could not answer ${event}: ${(e as Error).message}`);
          }
        };
        const failed = (e: unknown) => {
          refusals.note(`internal ${event}`, `station ${station.id}: ${event} failed: ${(e as Error)?.stack ?? String(e)}`);
          reply({ ok: false, error: { code: 'INTERNAL', message: 'the hub failed on this request (it is logged): try again later' } });
        };
        if (args.length !== 2) {
          const code = event === EVENTS_UPLOAD ? 'INVALID_BATCH' : 'INVALID_REQUEST';
          const message = `${event} takes one argument and an ack, not ${args.length - 1} arguments`;
          refusals.note(`${event} ${station.id} ${code}`, `station ${station.id}: ${event} refused: ${code} ${message}`);
          return reply({ ok: false, error: { code, message } });
        }
        try {
          Promise.resolve(handler(args[0], reply)).catch(failed);
        } catch (e) {
          failed(e);
        }
      });

    request(EVENTS_UPLOAD, async (raw, answer) => {
      const reply = answer as (answer: UploadAck) => void;
      const fail = (code: string, message: string) => {
        refusals.note(`upload ${station.id} ${code}`, `station ${station.id}: upload refused: ${code} ${message}`);
        reply({ ok: false, error: { code, message } });
      };
      const listed = (raw as { events?: unknown } | null)?.events;
      if (Array.isArray(listed) && listed.length > MAX_BATCH_EVENTS) return fail('TOO_LARGE', `${listed.length} events in one upload, more than ${MAX_BATCH_EVENTS}: send fewer at a time`);
      const batch = uploadBatchSchema.safeParse(raw);
      if (!batch.success) return fail('INVALID_BATCH', issueText(batch.error.issues));
      const { stream, events, sentAt } = batch.data;
      // The transport only caps whole messages (a bit above this): the protocol's own limit is
      // checked here, on the bytes the batch took on the wire less its envelope (the fields
      // beside the events, parsed and small: written again to be measured), which is the UTF-8 of
      // the events' JSON array exactly as the station counts it (main/sync/sync-state.ts). What a
      // sender adds (spaces, unknown fields) counts as events: the measure only errs high.
      const batchBytes = wireBytesOf(raw);
      if (batchBytes === undefined) return fail('INVALID_BATCH', 'the upload did not come as a JSON text packet: its size is unknown');
      const bytes = batchBytes - (Buffer.byteLength(JSON.stringify({ ...batch.data, events: null })) - 'null'.length);
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
          items.push({ kind: 'invalid', seq, ...(id ? { id } : {}), reason: issueText(parsed.error.issues), raw: boundedJson(rawEvent, RAW_EVENT_CHARS) });
        } else if (parsed.data.stream.siteId !== stream.siteId || parsed.data.stream.epoch !== stream.epoch) {
          items.push({ kind: 'invalid', seq, ...(id ? { id } : {}), reason: 'the event belongs to another stream than its upload', raw: boundedJson(rawEvent, RAW_EVENT_CHARS) });
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
        // Refused and quarantined events decide nothing: only what the store accepted.
        const notAccepted = [...result.quarantined, ...result.rejected];
        await adoptAssignedBadges(items, notAccepted);
        if (items.some((i) => i.kind === 'valid' && i.event.type === 'member.signed_up')) void decideSignups();
        // The upload is committed: the station has its ack at once. What follows is the hub's own
        // bookkeeping (the erasure log, the stream's watermark), each a write of its own that a
        // tap's round trip need not wait for; should the hub stop before it, the next upload or
        // heartbeat of the stream records the watermark, and a restore re-applies purges by date.
        reply({ ok: true, stream, ackedSeq: result.ackedSeq, rejected: result.rejected, quarantined: result.quarantined, hubTime: new Date(now()).toISOString() });
        logGuestPurges(station.id, items, notAccepted);
        if (batch.data.headSeq !== undefined && result.ackedSeq >= batch.data.headSeq) await store.markCaughtUp(stream, watermarkOf(sentAt, receivedMs));
      } catch (e) {
        fail('UNAVAILABLE', `the hub could not store the upload: ${(e as Error).message}`);
      }
    });

    /** A refused stream status or reference pull: logged (once a while), answered. */
    const refuseRequest = (event: string, ack: (answer: unknown) => void, code: string, message: string) => {
      refusals.note(`${event} ${station.id} ${code}`, `station ${station.id}: ${event} refused: ${code} ${message}`);
      ack({ ok: false, error: { code, message } });
    };

    request(STREAM_STATUS, async (raw, ack) => {
      const req = streamStatusRequestSchema.safeParse(raw);
      if (!req.success) return refuseRequest(STREAM_STATUS, ack, 'INVALID_REQUEST', issueText(req.error.issues));
      if (req.data.stream.siteId !== station.siteId) return refuseRequest(STREAM_STATUS, ack, 'FORBIDDEN_STREAM', `not site ${station.siteId}`);
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

    request(STATION_PROFILE, async (_raw, ack) => {
      const site = (await store.getReference('site', station.siteId)) as { name?: string } | null | undefined;
      ack({ ok: true, stationId: station.id, stationName: station.name, siteId: station.siteId, ...(site?.name ? { siteName: site.name } : {}) });
    });

    request(REFERENCE_PULL, async (raw, ack) => {
      const req = referencePullSchema.safeParse(raw);
      if (!req.success) return refuseRequest(REFERENCE_PULL, ack, 'INVALID_REQUEST', issueText(req.error.issues));
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

  // Before any station or operator is served: the erasures a restored older database lacks are
  // applied again from the erasure log (and the log completed from the database's audit).
  await reapplyErasures(store, log);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  // After listening, a server error (too many open files while a flood of connections comes in) is
  // logged: the hub keeps serving the connections it has.
  server.on('error', (e: Error) => refusals.note('server error', `the hub's HTTP server: ${e.message}`));
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
      clearInterval(refusalSummaries);
      // What was only counted is said before the hub goes.
      refusals.flush(true);
      await purging;
      await counting;
      await deciding;
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}
