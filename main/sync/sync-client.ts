// The station's sync client: uploads the outbox to the hub in bounded batches, each acked by the
// hub after its commit, and pulls reference data by cursor. It runs beside the station and never
// blocks a tap: the outbox is the queue, and everything here resumes from what the database says
// (the hub's ack of each stream, the reference cursor) after any timeout, disconnect or restart.
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import {
  EVENTS_UPLOAD,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  PROTOCOL_VERSION,
  REFERENCE_POKE,
  REFERENCE_PULL,
  STREAM_STATUS,
  referencePullAckSchema,
  streamStatusAckSchema,
  uploadAckSchema,
} from '../../common/sync/protocol.js';
import { SYNC_STATE_HEARTBEAT_MS, type SyncStatus } from '../../common/sync/status.js';
import type { Station } from '../station/station.js';
import { Backoff } from '../hardware/backoff.js';

export interface SyncClientOptions {
  station: Station;
  url: string;
  credential: string;
  /** socket.io-client's io(), or a stand-in (tests route it through a faulty proxy by URL instead). */
  connect?: typeof connect;
  batchSize?: number;
  ackTimeoutMs?: number;
  /**
   * How often the outbox is looked at all the same (default 30 s): the station wakes the uploader
   * at once after every commit that appended events; this only catches events another process
   * wrote into the same database (a command-line tap while `run` runs).
   */
  otherWritersMs?: number;
  /**
   * Upload as soon as a commit appended events (default). A model-based test that decides when the
   * client syncs turns it off.
   */
  wakeOnAppend?: boolean;
  /** How often an idle station tells the hub it has nothing more to send (default 60 s). */
  heartbeatMs?: number;
  /** Reference data is pulled on connect, on a poke, and at least this often. */
  pullIntervalMs?: number;
  log?: (line: string) => void;
}

/** How long a station whose credential the hub refused waits before it tries again. */
const REFUSED_RETRY_MS = 60_000;

/** Why the hub will not sync with this station: its credential refused (BAD_CREDENTIAL) or the station revoked (REVOKED). */
export interface SyncRefusal {
  code: string;
  message: string;
}

class HubRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class SyncClient {
  private socket: Socket | undefined;
  private busy: Promise<void> | undefined;
  private again = false;
  private pullWanted = true;
  private timers: NodeJS.Timeout[] = [];
  private lastSuccessAt: string | undefined;
  private lastError: string | undefined;
  private refusal: SyncRefusal | undefined;
  private connected = false;
  private startedAt = '';
  private readonly clientId = randomUUID();
  /** What was last written of the state for other processes (online, error, ever succeeded) and when. */
  private written = { key: '', at: 0 };
  private stateWriteFailed = false;
  private progress: { sent: number; total: number } | undefined;
  private lastPullAt = 0;
  private lastHeartbeatAt = 0;
  private lastOutboxLookAt = 0;
  private unsubscribe: (() => void) | undefined;
  private readonly log: (line: string) => void;
  private readonly batchSize: number;
  private readonly ackTimeoutMs: number;
  private readonly retryBackoff = new Backoff({ initialMs: 250, maxMs: 30_000 });

  constructor(private readonly options: SyncClientOptions) {
    this.log = options.log ?? (() => undefined);
    this.batchSize = Math.min(options.batchSize ?? MAX_BATCH_EVENTS, MAX_BATCH_EVENTS);
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  }

  private get outbox() {
    return this.options.station.outbox;
  }

  start(): void {
    if (this.socket) return;
    const socket = (this.options.connect ?? connect)(this.options.url, {
      transports: ['websocket'],
      auth: { credential: this.options.credential, protocol: PROTOCOL_VERSION },
      // Reconnect forever, with exponential backoff and jitter, so 200 stations do not return at once.
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 30_000,
      randomizationFactor: 0.5,
      timeout: 10_000,
    });
    this.socket = socket;
    this.startedAt = new Date(this.outbox.now()).toISOString();
    this.writeState(true);
    socket.on('connect', () => {
      this.log(`connected to the hub ${this.options.url}`);
      this.refusal = undefined;
      this.connected = true;
      this.writeState();
      this.pullWanted = true;
      this.kick();
    });
    socket.on('disconnect', (reason) => {
      this.log(`disconnected from the hub: ${reason}`);
      this.writeState();
      // The hub ended the connection (it shut down for a restart, or a newer connection with this
      // credential replaced it): socket.io does not reconnect after that by itself.
      if (reason === 'io server disconnect') this.reconnectLater(socket, 0);
    });
    socket.on('connect_error', (e: Error & { data?: { code?: string } }) => {
      this.lastError = `${e.data?.code ? e.data.code + ': ' : ''}${e.message}`;
      const refused = e.data?.code === 'REVOKED' || e.data?.code === 'BAD_CREDENTIAL';
      if (refused) {
        // Said once per refusal, not at each retry.
        if (this.refusal?.code !== e.data!.code) this.log(`the hub refused this station: ${this.lastError}`);
        this.refusal = { code: e.data!.code!, message: e.message };
      }
      this.writeState();
      // A refusal by the hub (not a network error) ends socket.io's own retries too. Try again
      // later all the same (the hub's store may be back, the station re-enrolled), but a refused
      // credential will not get better by retrying every half second.
      if (!socket.active) this.reconnectLater(socket, refused ? REFUSED_RETRY_MS : 0);
    });
    socket.on(REFERENCE_POKE, () => {
      this.pullWanted = true;
      this.kick();
    });
    this.options.station.attachSync({ status: () => this.status() });
    // A commit that appended events wakes the uploader at once: no polling for our own taps.
    if (this.options.wakeOnAppend !== false)
      this.unsubscribe = this.outbox.onAppended(() => {
        if (socket.connected) this.kick();
      });
    // The periodic work: the reference pull, the idle heartbeat, and events another process wrote.
    const periodic = () => {
      const now = Date.now();
      if (now - this.lastPullAt > (this.options.pullIntervalMs ?? 60_000)) this.pullWanted = true;
      const otherWriters = now - this.lastOutboxLookAt > (this.options.otherWritersMs ?? 30_000);
      if (socket.connected && (this.pullWanted || this.heartbeatDue() || otherWriters)) {
        this.lastOutboxLookAt = now;
        this.kick();
      }
    };
    // The state other processes read: rewritten when it changes, and at least at each heartbeat.
    const beat = setInterval(() => this.writeState(true), SYNC_STATE_HEARTBEAT_MS);
    beat.unref?.();
    this.timers.push(beat);
    const tick = setInterval(periodic, Math.max(50, Math.min(this.options.pullIntervalMs ?? 60_000, this.options.heartbeatMs ?? 60_000, this.options.otherWritersMs ?? 30_000, 5_000)));
    tick.unref?.();
    this.timers.push(tick);
  }

  /** Connects `socket` again after a backoff, unless it was stopped or replaced meanwhile. */
  private reconnectLater(socket: Socket, minMs: number): void {
    const retry = setTimeout(() => {
      if (this.socket === socket && !socket.connected && !socket.active) socket.connect();
    }, Math.max(minMs, this.retryBackoff.next()));
    retry.unref?.();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.options.station.attachSync(undefined);
    const socket = this.socket;
    this.socket = undefined;
    socket?.disconnect();
    await this.busy?.catch(() => undefined);
    if (socket) this.writeState(true, true);
  }

  /** Whether this client was connected to the hub at least once. */
  reachedHub(): boolean {
    return this.connected;
  }

  /** Why the hub refuses this station's connection, while it does (a wrong credential, a revoked station). */
  refused(): SyncRefusal | undefined {
    return this.refusal;
  }

  /**
   * Keeps this client's state in the station's database for other processes: at once when whether
   * it is online, its error or whether it ever succeeded changed, else at most once per heartbeat
   * (a success after each upload waits for the next beat). Never inside a tap: called from the
   * client's own events and timer.
   */
  private writeState(force = false, stopped = false): void {
    const online = this.socket?.connected === true;
    // A first success is news too ("never synced" → "synced"); later ones wait for the beat.
    const key = `${online}|${this.lastError ?? ''}|${this.lastSuccessAt === undefined}`;
    const now = Date.now();
    if (!force && key === this.written.key && now - this.written.at < SYNC_STATE_HEARTBEAT_MS) return;
    try {
      this.options.station.syncState.write({
        clientId: this.clientId,
        hubUrl: this.options.url,
        online,
        lastSuccessAt: this.lastSuccessAt,
        lastError: this.lastError,
        startedAt: this.startedAt,
        ...(stopped ? { stopped: true } : {}),
      });
      this.written = { key, at: now };
      this.stateWriteFailed = false;
    } catch (e) {
      // A full disk or a closed database costs other processes the news, never the sync itself.
      if (!this.stateWriteFailed) this.log(`sync: its state could not be recorded: ${(e as Error).message}`);
      this.stateWriteFailed = true;
    }
  }

  /** Syncs now (after a change, a poke, a reconnect). Safe to call any number of times. */
  kick(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = this.cycle().finally(() => {
      this.busy = undefined;
      if (this.again && this.socket?.connected) {
        this.again = false;
        this.kick();
      }
    });
  }

  /**
   * Resolves when a full cycle found nothing left to send (tests and `escale-station sync`); false
   * at the deadline, or as soon as the hub refuses this station (waiting would not change that).
   */
  async drained(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await this.busy?.catch(() => undefined);
      if (this.refusal) return false;
      if (this.socket?.connected && this.outbox.backlog().events === 0 && !this.pullWanted && !this.busy) return true;
      this.kick();
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  private async cycle(): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    try {
      if (this.pullWanted) {
        this.pullWanted = false;
        await this.pullReference(socket);
      }
      await this.uploadAll(socket);
      if (this.heartbeatDue()) await this.heartbeat(socket);
      this.lastSuccessAt = new Date(this.outbox.now()).toISOString();
      this.lastError = undefined;
      this.refusal = undefined;
      this.retryBackoff.reset();
      this.writeState();
    } catch (e) {
      this.lastError = (e as Error).message;
      this.log(`sync: ${this.lastError}`);
      this.writeState();
      if (e instanceof HubRefusal) return;
      // A lost ack: a fresh connection after a backoff; the next cycle resends from the hub's ack.
      if (socket.connected) {
        socket.disconnect();
        const retry = setTimeout(() => {
          if (this.socket === socket) socket.connect();
        }, this.retryBackoff.next());
        retry.unref?.();
      }
    } finally {
      this.progress = undefined;
    }
  }

  private heartbeatDue(): boolean {
    return Date.now() - this.lastHeartbeatAt > (this.options.heartbeatMs ?? 60_000);
  }

  /**
   * Tells the hub, while idle, that this station has sent everything it holds as of now, so the
   * site's watermark (which a billing period's close waits for) moves on without new events.
   */
  private async heartbeat(socket: Socket): Promise<void> {
    const epoch = this.outbox.epoch;
    const raw = await socket.timeout(this.ackTimeoutMs).emitWithAck(STREAM_STATUS, {
      stream: { siteId: this.outbox.siteId, epoch },
      headSeq: this.outbox.headSeq(epoch),
      sentAt: new Date(this.outbox.now()).toISOString(),
    });
    const status = streamStatusAckSchema.parse(raw);
    if (!status.ok) throw new HubRefusal(status.error.code, `stream status refused: ${status.error.message}`);
    this.lastHeartbeatAt = Date.now();
  }

  private async pullReference(socket: Socket): Promise<void> {
    for (;;) {
      const { cursor, snapshot } = this.options.station.reference.cursor();
      const raw = await socket.timeout(this.ackTimeoutMs).emitWithAck(REFERENCE_PULL, { cursor, snapshot, limit: 1000 });
      const ack = referencePullAckSchema.parse(raw);
      if (!ack.ok) throw new HubRefusal(ack.error.code, `reference pull refused: ${ack.error.message}`);
      const applied = this.options.station.reference.apply(ack);
      for (const bad of applied.invalid) this.log(`reference ${bad.entity} ${bad.key} ignored: ${bad.reason}`);
      if (!ack.more && !applied.catchUp) break;
    }
    this.lastPullAt = Date.now();
  }

  private async uploadAll(socket: Socket): Promise<void> {
    const outbox = this.outbox;
    this.lastOutboxLookAt = Date.now();
    for (const epoch of outbox.backlog().epochs) {
      const stream = { siteId: outbox.siteId, epoch };
      const status = streamStatusAckSchema.parse(await socket.timeout(this.ackTimeoutMs).emitWithAck(STREAM_STATUS, { stream }));
      if (!status.ok) throw new HubRefusal(status.error.code, `stream status refused: ${status.error.message}`);
      // The hub's ack is the truth: resend from it (it is ahead after a lost ack, behind never).
      outbox.setAcked(epoch, status.ackedSeq);
      let acked = status.ackedSeq;
      const total = outbox.backlog().events;
      let sent = 0;
      let batch = outbox.unsent(epoch, acked, this.batchSize, MAX_BATCH_BYTES);
      while (batch.length > 0) {
        this.progress = { sent, total };
        const lastSent = batch[batch.length - 1]!.seq;
        const answer = socket.timeout(this.ackTimeoutMs).emitWithAck(EVENTS_UPLOAD, {
          batchId: `${epoch}:${batch[0]!.seq}-${lastSent}`,
          stream,
          events: batch,
          sentAt: new Date(outbox.now()).toISOString(),
          headSeq: outbox.headSeq(epoch),
        });
        // The next batch is read while the hub stores this one; it is used only if the hub acks
        // all of this one, else the next round starts again from the hub's ack.
        const next = outbox.unsent(epoch, lastSent, this.batchSize, MAX_BATCH_BYTES);
        const ack = uploadAckSchema.parse(await answer);
        if (!ack.ok) throw new HubRefusal(ack.error.code, `upload refused: ${ack.error.code} ${ack.error.message}`);
        outbox.recordProblems(epoch, ack.rejected, ack.quarantined);
        if (ack.ackedSeq <= acked) throw new Error(`the hub did not advance stream ${epoch} past ${acked}`);
        acked = outbox.recordAck(epoch, ack.ackedSeq);
        sent += batch.length;
        batch = acked === lastSent ? next : outbox.unsent(epoch, acked, this.batchSize, MAX_BATCH_BYTES);
      }
    }
  }

  status(): SyncStatus {
    const b = this.outbox.backlog();
    return {
      configured: true,
      hubUrl: this.options.url,
      online: this.socket?.connected === true,
      backlog: b.events,
      ...(b.oldestWallTime ? { oldestUnsyncedAt: b.oldestWallTime, oldestUnsyncedAgeMs: Math.max(0, this.outbox.now() - Date.parse(b.oldestWallTime)) } : {}),
      ...(this.lastSuccessAt ? { lastSuccessAt: this.lastSuccessAt } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.progress ? { progress: this.progress } : {}),
      problems: this.outbox.problems(100),
    };
  }
}
