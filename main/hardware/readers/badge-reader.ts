// One badge reader: opens its source, turns bytes or reports into raw UIDs with the configured
// framing, normalises them, drops the repeats of a card held on the reader, and hands each read
// to the station. When the source goes away it is reported down and reopened with backoff.
import type { ReaderConfig } from '../../../common/devices.js';
import { createFrameDecoder, type FrameDecoder } from '../../../common/readers/framing.js';
import { HidKeyboardDecoder, rawUidFromReport } from '../../../common/readers/hid-usage.js';
import type { BadgeRead } from '../../../common/readers/read.js';
import { Backoff } from '../backoff.js';
import { StatusTracker, type HealthListener } from '../device-status.js';
import type { ByteSource, HidOpener, SerialOpener } from './sources.js';
import { ReadGate } from './read-gate.js';
import type { Reader } from './reader.js';
import type { DeviceStatus } from '../../../common/devices.js';

export interface BadgeReaderDeps {
  openSerial: SerialOpener;
  openHid: HidOpener;
  onRead: (read: BadgeRead) => void;
  now?: () => number;
  backoff?: Backoff;
  /** Told when the reader starts or stops working (not on each reopen attempt). */
  onHealth?: HealthListener;
}

/** Readers that send bytes or reports (PC/SC readers are PcscReader's). */
export type ByteReaderConfig = ReaderConfig & { connection: Exclude<ReaderConfig['connection'], { type: 'pcsc' } | { type: 'window' }> };

interface Decoder {
  push(chunk: Uint8Array, atMs: number): string[];
  readonly discarded: Record<string, number>;
}

export class BadgeReader implements Reader {
  readonly status: StatusTracker;
  private source: ByteSource | undefined;
  private stopped = true;
  private retry: NodeJS.Timeout | undefined;
  private decoder: Decoder;
  private readonly gate: ReadGate;
  private readonly now: () => number;
  private readonly backoff: Backoff;

  constructor(
    readonly config: ByteReaderConfig,
    private readonly deps: BadgeReaderDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.backoff = deps.backoff ?? new Backoff();
    this.status = new StatusTracker(config.id, 'reader', config.name, config.enabled, this.now, deps.onHealth);
    this.gate = new ReadGate(config, this.status, deps.onRead);
    this.decoder = this.newDecoder();
  }

  private newDecoder(): Decoder {
    const c = this.config.connection;
    if (c.type === 'serial') return createFrameDecoder(c.framing, { maxGapMs: c.maxGapMs }) as FrameDecoder;
    if (c.mode === 'keyboard') {
      const d = new HidKeyboardDecoder({ reportOffset: c.reportOffset, layout: c.keyboardLayout });
      return { push: (r) => d.push(r), discarded: d.discarded };
    }
    const discarded = { noise: 0 };
    return {
      discarded,
      push: (r) => {
        const uid = rawUidFromReport(r, c.reportOffset, c.rawLength);
        if (uid === undefined && r.some((b) => b !== 0)) discarded.noise++;
        return uid === undefined ? [] : [uid];
      },
    };
  }

  start(): void {
    if (!this.config.enabled || !this.stopped) return;
    this.stopped = false;
    void this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const source = this.source;
    this.source = undefined;
    await source?.close().catch(() => undefined);
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const c = this.config.connection;
    try {
      const source = c.type === 'serial' ? await this.deps.openSerial(c.path, c.baudRate) : await this.deps.openHid(c.vendorId, c.productId);
      if (this.stopped) {
        await source.close();
        return;
      }
      this.source = source;
      source.onData((chunk) => this.received(chunk));
      source.onClose((error) => this.lost(error?.message ?? 'the device went away'));
      this.backoff.reset();
      this.status.up();
      this.status.count('opened');
    } catch (e) {
      this.lost((e as Error).message);
    }
  }

  private lost(reason: string): void {
    this.source = undefined;
    this.foldDiscards();
    if (this.stopped) return;
    this.status.down(reason);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.open(), this.backoff.next());
    this.retry.unref?.();
  }

  private received(chunk: Uint8Array): void {
    const atMs = this.now();
    // A card held on the reader is sent again and again: the gate lets one read through.
    for (const raw of this.decoder.push(chunk, atMs)) this.gate.deliver(raw, atMs);
  }

  private folded: Record<string, number> = {};
  /**
   * A fresh decoder after a loss: bytes of a frame cut by the unplug must not join the next
   * frame. Its discard counters are kept.
   */
  private foldDiscards(): void {
    for (const [k, v] of Object.entries(this.decoder.discarded)) this.folded[k] = (this.folded[k] ?? 0) + v;
    this.decoder = this.newDecoder();
  }

  snapshot(): DeviceStatus {
    const s = this.status.snapshot();
    for (const [k, v] of Object.entries(this.decoder.discarded)) {
      const total = v + (this.folded[k] ?? 0);
      if (total > 0) s.counts[`discarded_${k}`] = total;
    }
    for (const [k, v] of Object.entries(this.folded)) if (!(`discarded_${k}` in s.counts) && v > 0) s.counts[`discarded_${k}`] = v;
    return s;
  }
}
