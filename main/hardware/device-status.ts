// The health of one device as the reception sees it: up or down (since when, why), its last
// activity and its counters (reads, discarded frames by reason, jobs, errors).
import type { DeviceStatus } from '../../common/devices.js';

/**
 * A device's health as the network counts it: working (up, with paper), broken (down, or a
 * printer out of paper), or not known (not opened yet, or disabled). Told on every change only.
 */
export type DeviceHealth = 'working' | 'broken';
export type HealthListener = (health: DeviceHealth, reason: string | undefined) => void;

export class StatusTracker {
  private state: DeviceStatus['state'] = 'unknown';
  private downSince: number | undefined;
  private lastError: string | undefined;
  private lastActivity: number | undefined;
  private paperOut: boolean | undefined;
  private detail: string | undefined;
  readonly counts: Record<string, number> = {};
  private told: DeviceHealth | undefined;

  constructor(
    private readonly id: string,
    private readonly kind: 'reader' | 'printer',
    private readonly name: string,
    private readonly enabled: boolean,
    private readonly now: () => number,
    /** Told when the health changes: the device manager reports it to the station. */
    private readonly onHealth?: HealthListener,
  ) {
    if (!enabled) this.state = 'disabled';
  }

  up(): void {
    this.state = 'up';
    this.downSince = undefined;
    this.lastError = undefined;
    this.tell();
  }

  down(error: string): void {
    if (this.state !== 'down') this.downSince = this.now();
    this.state = 'down';
    this.lastError = error;
    this.count('errors');
    this.tell();
  }

  get health(): DeviceHealth | undefined {
    if (this.state === 'disabled') return undefined;
    if (this.state === 'down' || this.paperOut === true) return 'broken';
    return this.state === 'up' ? 'working' : undefined;
  }

  /** Tells the listener of a change of health, not of each retry that finds it the same. */
  private tell(): void {
    const health = this.health;
    if (health === undefined || health === this.told) return;
    this.told = health;
    const reason = health === 'working' ? undefined : this.state === 'down' ? this.lastError : `${this.name} is out of paper`;
    this.onHealth?.(health, reason);
  }

  get isUp(): boolean {
    return this.state === 'up';
  }

  /** Something happened: a read (at the time it was read) or a job printed. */
  activity(atMs = this.now()): void {
    this.lastActivity = atMs;
  }

  setPaperOut(value: boolean | undefined): void {
    this.paperOut = value;
    this.tell();
  }

  setDetail(value: string | undefined): void {
    this.detail = value;
  }

  count(key: string, n = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }

  snapshot(): DeviceStatus {
    const s: DeviceStatus = { id: this.id, kind: this.kind, name: this.name, enabled: this.enabled, state: this.state, counts: { ...this.counts } };
    if (this.downSince !== undefined) s.downSince = new Date(this.downSince).toISOString();
    if (this.lastError !== undefined) s.lastError = this.lastError;
    if (this.lastActivity !== undefined) s.lastActivityAt = new Date(this.lastActivity).toISOString();
    if (this.paperOut !== undefined) s.paperOut = this.paperOut;
    if (this.detail !== undefined) s.detail = this.detail;
    return s;
  }
}
