// A PC/SC reader device: every PC/SC reader (or the configured ones) through one child process
// that holds the native binding. Contactless badges become normalised reads like any other
// reader's; eIDs become identity reads for the reception's guest form. pcscd is checked before
// the child starts and every few seconds after; a child whose heartbeat stops is killed (the
// watchdog); either way the device is reported down and restarted with backoff.
import path from 'node:path';
import { packageRoot } from '../../../package-root.js';
import type { DeviceStatus, ReaderConfig } from '../../../../common/devices.js';
import type { BadgeRead } from '../../../../common/readers/read.js';
import { pcscChildMessageSchema, type IdentityRead, type PcscChildMessage, type PcscChildSettings } from '../../../../common/readers/pcsc-protocol.js';
import { Backoff } from '../../backoff.js';
import { StatusTracker, type HealthListener } from '../../device-status.js';
import { pcscdAnswers } from './pcscd.js';
import { ReadGate } from '../read-gate.js';
import type { Reader } from '../reader.js';
import { forkChild, type ChildLauncher, type WatchedChild } from '../../child-process.js';

export interface PcscReaderDeps {
  onRead: (read: BadgeRead) => void;
  onIdentity?: (read: IdentityRead) => void;
  /** Whether pcscd answers; the real check connects to its socket. */
  serviceUp?: () => Promise<boolean>;
  /** The child's module (tests may run the real binding under other conditions). */
  childModule?: string;
  /** How the child is started: forked under Node; the Electron shell gives a utilityProcess launcher. */
  launchChild?: ChildLauncher;
  heartbeatMs?: number;
  /** No heartbeat for this long: the child is deemed hung and killed. */
  watchdogMs?: number;
  /** How often pcscd is checked while the child runs. */
  serviceCheckMs?: number;
  backoff?: Backoff;
  now?: () => number;
  log?: (line: string) => void;
  /** Told when the reader starts or stops working (not on each restart attempt). */
  onHealth?: HealthListener;
}

type PcscReaderConfig = ReaderConfig & { connection: { type: 'pcsc' } };

/** The child's module as compiled (a process of its own, never bundled): found from the package's folder. */
const CHILD_MODULE = path.join(packageRoot(), 'dist/main/hardware/readers/pcsc/pcsc-child.js');

export class PcscReader implements Reader {
  readonly status: StatusTracker;
  private child: WatchedChild | undefined;
  private stopped = true;
  private retry: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private serviceTimer: NodeJS.Timeout | undefined;
  private lastBeat = 0;
  private readers: string[] = [];
  /** What the current child said before it exited, if it said anything. */
  private fatal: string | undefined;
  private readonly gate: ReadGate;
  private readonly now: () => number;
  private readonly backoff: Backoff;
  private readonly heartbeatMs: number;
  private readonly watchdogMs: number;
  private readonly log: (line: string) => void;

  constructor(
    readonly config: PcscReaderConfig,
    private readonly deps: PcscReaderDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.backoff = deps.backoff ?? new Backoff({ initialMs: 500, maxMs: 10_000 });
    this.heartbeatMs = deps.heartbeatMs ?? 1000;
    this.watchdogMs = deps.watchdogMs ?? 5000;
    this.log = deps.log ?? (() => undefined);
    this.status = new StatusTracker(config.id, 'reader', config.name, config.enabled, this.now, deps.onHealth);
    this.gate = new ReadGate(config, this.status, deps.onRead);
  }

  start(): void {
    if (!this.config.enabled || !this.stopped) return;
    this.stopped = false;
    void this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.endChild();
  }

  /** The PC/SC readers watched now (their names as pcscd gives them). */
  get connectedReaders(): readonly string[] {
    return this.readers;
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    if (!(await (this.deps.serviceUp ?? pcscdAnswers)())) {
      this.lost('pcscd is not running (the PC/SC service): start it, e.g. systemctl start pcscd');
      return;
    }
    if (this.stopped) return;
    this.fatal = undefined;
    const child = (this.deps.launchChild ?? forkChild)(this.deps.childModule ?? CHILD_MODULE);
    this.child = child;
    let stderr = '';
    child.onStderr((text) => {
      stderr = (stderr + text).slice(-500);
    });
    child.onMessage((m: unknown) => {
      if (this.child !== child) return;
      this.lastBeat = this.now();
      const parsed = pcscChildMessageSchema.safeParse(m);
      if (!parsed.success) {
        this.status.count('bad_messages');
        return;
      }
      this.received(parsed.data);
    });
    child.onExit((code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.clearTimers();
      const why = this.fatal ?? (stderr.trim().split('\n').pop() || `the PC/SC process ended (${signal ?? `code ${code}`})`);
      this.lost(why);
    });
    const settings: PcscChildSettings = { type: 'settings', readers: this.config.connection.readers, eid: this.config.connection.eid, heartbeatMs: this.heartbeatMs };
    child.send(settings);
    this.lastBeat = this.now();
    this.watchdog = setInterval(() => this.checkHeartbeat(child), Math.max(50, Math.min(this.heartbeatMs, this.watchdogMs / 4)));
    this.watchdog.unref?.();
    this.serviceTimer = setInterval(() => void this.checkService(child), this.deps.serviceCheckMs ?? 2000);
    this.serviceTimer.unref?.();
  }

  private checkHeartbeat(child: WatchedChild): void {
    if (this.child !== child || this.now() - this.lastBeat <= this.watchdogMs) return;
    this.status.count('watchdog_kills');
    this.log(`reader ${this.config.id}: the PC/SC process stopped answering for ${this.watchdogMs} ms; killed and restarted`);
    this.kill(child, `the PC/SC binding stopped answering (no heartbeat for ${this.watchdogMs} ms); restarting it`);
  }

  private async checkService(child: WatchedChild): Promise<void> {
    if (this.child !== child) return;
    if (await (this.deps.serviceUp ?? pcscdAnswers)()) return;
    // The binding may spin or hang once pcscd has gone: it is not given the chance.
    this.kill(child, 'pcscd stopped (the PC/SC service): waiting for it to start again');
  }

  private kill(child: WatchedChild, reason: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.clearTimers();
    child.kill();
    this.lost(reason);
  }

  private clearTimers(): void {
    clearInterval(this.watchdog);
    clearInterval(this.serviceTimer);
  }

  private async endChild(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.clearTimers();
    if (!child || child.exited) return;
    const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
    child.kill();
    await exited;
  }

  private lost(reason: string): void {
    this.readers = [];
    this.status.setDetail(undefined);
    if (this.stopped) return;
    this.status.down(reason);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.open(), this.backoff.next());
    this.retry.unref?.();
  }

  private received(m: PcscChildMessage): void {
    switch (m.type) {
      case 'heartbeat':
        return;
      case 'ready':
        this.backoff.reset();
        this.status.count('started');
        return;
      case 'fatal':
        // The child exits next; its exit reports the device down with this reason.
        this.fatal = m.message;
        return;
      case 'readers':
        this.readers = m.readers;
        if (m.removed) {
          this.status.count('readers_removed');
          this.log(`reader ${this.config.id}: PC/SC reader "${m.removed}" went away`);
        }
        if (m.added) this.status.count('readers_added');
        this.showReaders();
        return;
      case 'card-inserted':
        this.status.count('cards');
        return;
      case 'card-removed':
        this.status.count('removals');
        return;
      case 'uid':
        // A card lifted and put back at once (or flickering at the edge of the field) is one read.
        this.gate.deliver(m.uid, Date.parse(m.at));
        return;
      case 'identity':
        this.status.count('identities');
        this.status.activity(Date.parse(m.at));
        this.deps.onIdentity?.({ ok: true, source: this.config.id, reader: m.reader, at: m.at, identity: m.identity });
        return;
      case 'card-error':
        this.status.count(`card_${m.problem}`);
        this.log(`reader ${this.config.id}: a card on "${m.reader}" could not be read (${m.problem}): ${m.detail}`);
        // Only an eID read ends at the guest form; a badge that failed is counted in the status.
        if (m.eid || m.problem === 'not_eid') this.deps.onIdentity?.({ ok: false, source: this.config.id, reader: m.reader, at: m.at, problem: m.problem, detail: m.detail });
        return;
    }
  }

  /** Up while at least one watched reader is connected; down, saying so, while none is. */
  private showReaders(): void {
    if (this.readers.length > 0) {
      this.status.up();
      this.status.setDetail(this.readers.join(', '));
      return;
    }
    this.status.setDetail(undefined);
    const which = this.config.connection.readers;
    this.status.down(which.length === 0 ? 'no PC/SC reader is connected' : `no PC/SC reader named ${which.map((r) => `"${r}"`).join(' or ')} is connected`);
  }

  snapshot(): DeviceStatus {
    return this.status.snapshot();
  }
}
