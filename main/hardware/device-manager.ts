// Runs the devices of a station: opens the configured readers and feeds their reads to the
// station's tap; prints the queued jobs, one at a time, with retries, health checks and the
// fallback printer. The station core stays free of timers and sockets; this is where they live.
import type { DeviceConfig, DeviceStatus, PrinterConfig, ReaderConfig } from '../../common/devices.js';
import type { BadgeRead } from '../../common/readers/read.js';
import type { Result } from '../../common/result.js';
import type { TapResult } from '../../common/station-api.js';
import type { Station } from '../station/station.js';
import { callStation } from '../station/api.js';
import { Backoff } from './backoff.js';
import { BadgeReader } from './readers/badge-reader.js';
import { PcscReader, type PcscReaderDeps } from './readers/pcsc/pcsc-reader.js';
import type { Reader } from './readers/reader.js';
import type { IdentityRead } from '../../common/readers/pcsc-protocol.js';
import { openHidDevice, openSerialPort, type HidOpener, type SerialOpener } from './readers/sources.js';
import { Printer, type PrinterDeps } from './printers/printer.js';
import type { DeviceHealth } from './device-status.js';
import type { PrintDocument } from '../../common/documents/print-documents.js';

/** What the station made of a health change, as the log says it after the device's state. */
const OUTCOME_WORDS: Record<Exclude<ReturnType<Station['reportDeviceHealth']>, 'unchanged'>, string> = {
  monitored: 'now monitored',
  fault: 'fault reported to the hub',
  recovered: 'recovery reported to the hub',
  never_worked: 'never seen working: check its settings',
  not_configured: 'no longer configured',
};

export interface DeviceManagerOptions {
  station: Station;
  openSerial?: SerialOpener;
  openHid?: HidOpener;
  printer?: PrinterDeps;
  /** Every read and what the station made of it: the kiosk and reception windows listen here. */
  onTap?: (read: BadgeRead, result: Result<TapResult>) => void;
  /**
   * Asked before a read is tapped: true when a reception form took it instead (a desk reader's read
   * while a form waits for a card). The read is then not tapped.
   */
  divert?: (read: BadgeRead, reader: ReaderConfig) => boolean;
  /** An eID read (or failed) at a PC/SC reader: the reception window fills its guest form. */
  onIdentity?: (read: IdentityRead) => void;
  /** PC/SC readers: how pcscd is checked and how the child is watched (tests shorten them). */
  pcsc?: Omit<PcscReaderDeps, 'onRead' | 'onIdentity' | 'log' | 'onHealth'>;
  /** How often a printer that is down is checked again (ms). */
  healthIntervalMs?: number;
  /** False to run only the printers (the CLI's one-shot printing). */
  readers?: boolean;
  log?: (line: string) => void;
}

export class DeviceManager {
  private readers = new Map<string, Reader>();
  private printers = new Map<string, Printer>();
  private draining: Promise<void> | undefined;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private readonly retryBackoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
  private running = false;
  /** Reloads run one after the other: two overlapping ones would leave readers open that nothing stops. */
  private reloading: Promise<void> = Promise.resolve();
  private readonly log: (line: string) => void;
  /** The state last said of each device in the log. */
  private readonly said = new Map<string, 'up' | 'down'>();

  constructor(private readonly options: DeviceManagerOptions) {
    this.log = options.log ?? (() => undefined);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open(this.options.station.deviceConfigs.list());
    this.options.station.attachDevices({
      statuses: () => this.statuses(),
      configChanged: () => void this.reload(),
      jobQueued: () => this.kick(),
    });
    this.healthTimer = setInterval(() => void this.checkDownPrinters(), this.options.healthIntervalMs ?? 10_000);
    this.healthTimer.unref?.();
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.options.station.attachDevices(undefined);
    clearInterval(this.healthTimer);
    clearTimeout(this.retryTimer);
    await this.reloading;
    await Promise.all([...this.readers.values()].map((r) => r.stop()));
    this.readers.clear();
    await this.draining;
    this.printers.clear();
  }

  /** Reopens every device from the stored configuration. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.reopen());
    return this.reloading;
  }

  private async reopen(): Promise<void> {
    await Promise.all([...this.readers.values()].map((r) => r.stop()));
    this.readers.clear();
    this.printers.clear();
    if (!this.running) return;
    this.open(this.options.station.deviceConfigs.list());
    this.kick();
  }

  private open(configs: DeviceConfig[]): void {
    for (const c of configs) {
      if (c.kind === 'reader') {
        if (this.options.readers !== false) this.openReader(c);
      }
      else {
        const printer: Printer = new Printer(c, {
          allowedFiles: () => this.options.station.deviceConfigs.allowedPrinterFiles(),
          ...this.options.printer,
          onHealth: (health, reason) => this.healthChanged(printer, health, reason),
        });
        this.printers.set(c.id, printer);
      }
    }
  }

  /**
   * Tells the station that a device's health changed; the station decides whether that is news for
   * the hub (one fault per down period). Only devices this manager still runs: a reader or printer
   * replaced by a reload may still report on its way out.
   */
  private healthChanged(device: Reader | Printer, health: DeviceHealth, reason: string | undefined): void {
    const { id, kind } = device.config;
    if (!this.running || (kind === 'reader' ? this.readers.get(id) : this.printers.get(id)) !== device) return;
    // Said whenever this process learns or sees a change of a device's state, in the form of the
    // start's "reader r1 (…): unknown": after a restart the station already holds the device as up
    // (no event, 'unchanged'), yet the log must not leave "unknown" as its last word.
    const state = health === 'working' ? 'up' : 'down';
    const news = this.said.get(id) !== state;
    this.said.set(id, state);
    try {
      const outcome = this.options.station.reportDeviceHealth({ deviceId: id, kind, health, ...(reason !== undefined ? { reason } : {}) });
      if (news || outcome !== 'unchanged') this.log(`${kind} ${id}: ${state}${reason && state === 'down' ? ` — ${reason}` : ''}${outcome === 'unchanged' ? '' : ` (${OUTCOME_WORDS[outcome]})`}`);
    } catch (e) {
      // A device's health is not worth stopping the devices for (a full disk, a closed station).
      this.log(`${kind} ${id}: its health could not be recorded: ${(e as Error).message}`);
    }
  }

  private openReader(config: ReaderConfig): void {
    const onRead = (read: BadgeRead) => {
      if (this.options.divert?.(read, config)) return;
      const result = callStation(this.options.station, 'tap', read);
      this.options.onTap?.(read, result);
    };
    const c = config.connection;
    // The kiosk page reads a reader typing into its window; there is nothing to open here.
    if (c.type === 'window') return;
    const onHealth = (health: DeviceHealth, reason: string | undefined) => this.healthChanged(reader, health, reason);
    const reader: Reader =
      c.type === 'pcsc'
        ? new PcscReader({ ...config, connection: c }, { ...this.options.pcsc, onRead, onHealth, log: this.log, ...(this.options.onIdentity ? { onIdentity: this.options.onIdentity } : {}) })
        : new BadgeReader({ ...config, connection: c }, { openSerial: this.options.openSerial ?? openSerialPort, openHid: this.options.openHid ?? openHidDevice, onRead, onHealth });
    this.readers.set(config.id, reader);
    reader.start();
  }

  statuses(): DeviceStatus[] {
    return [...[...this.readers.values()].map((r) => r.snapshot()), ...[...this.printers.values()].map((p) => p.status.snapshot())];
  }

  reader(id: string): Reader | undefined {
    return this.readers.get(id);
  }

  printer(id: string): Printer | undefined {
    return this.printers.get(id);
  }

  /** Prints what is queued, now. Safe to call any number of times. */
  kick(): void {
    if (!this.running) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    clearTimeout(this.retryTimer);
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves when nothing is being printed (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** The printer a job goes to now: its own, or its fallback while its own is unavailable. */
  private route(printerId: string): Printer | undefined {
    const own = this.printers.get(printerId);
    if (!own || !own.unavailable || own.config.fallbackId === undefined) return own?.config.enabled ? own : undefined;
    const fallback = this.printers.get(own.config.fallbackId);
    return fallback && fallback.config.enabled && !fallback.unavailable ? fallback : own;
  }

  private async drain(): Promise<void> {
    const queue = this.options.station.printQueue;
    let failed = false;
    for (const { job, document } of queue.pending()) {
      if (!this.running) return;
      const own = this.printers.get(job.printerId);
      if (!own || !own.canPrint(document.kind)) {
        // Retrying cannot help: the job ends here, and the reception can reprint it elsewhere.
        if (own) queue.failed(job.id, `${own.config.name} cannot print ${document.kind}s; reprint it on another printer.`, `the printer cannot print ${document.kind}s`);
        else queue.failed(job.id, `The printer "${job.printerId}" was removed; reprint the job on another printer.`, 'the printer was removed');
        continue;
      }
      const printer = this.route(job.printerId);
      if (!printer) {
        queue.retry(job.id, `${own.config.name} is disabled.`);
        failed = true;
        continue;
      }
      queue.printing(job.id);
      const printedOn = await this.printOnce(printer, document, job.printerId);
      if (typeof printedOn !== 'string') {
        queue.retry(job.id, printedOn.message);
        this.log(`print job ${job.id}: ${printedOn.message}`);
        failed = true;
        continue;
      }
      queue.printed(job.id, printedOn);
    }
    if (failed && this.running) {
      this.retryTimer = setTimeout(() => this.kick(), this.retryBackoff.next());
      this.retryTimer.unref?.();
    } else {
      this.retryBackoff.reset();
    }
  }

  /** Prints on `printer`, or on the fallback at once if it just failed; the printer's id, or the error. */
  private async printOnce(printer: Printer, document: PrintDocument, ownId: string): Promise<string | Error> {
    try {
      await printer.print(document);
      return printer.config.id;
    } catch (e) {
      const fallback = this.route(ownId);
      if (!fallback || fallback === printer || !fallback.canPrint(document.kind)) return e as Error;
      try {
        await fallback.print(document);
        return fallback.config.id;
      } catch (e2) {
        return e2 as Error;
      }
    }
  }

  private healthRounds = 0;
  /** Printers that are down are checked every round; the others every sixth (every job checks them too). */
  private async checkDownPrinters(): Promise<void> {
    const everyone = this.healthRounds++ % 6 === 0;
    for (const p of this.printers.values()) {
      if (!p.config.enabled || !(everyone || p.unavailable)) continue;
      const before = p.unavailable;
      await p.checkHealth().catch(() => undefined);
      if (before && !p.unavailable) this.kick();
    }
  }

  /** Checks every printer now (at start-up and from the reception's device screen). */
  async checkPrinters(): Promise<void> {
    await Promise.all([...this.printers.values()].filter((p) => p.config.enabled).map((p) => p.checkHealth().catch(() => undefined)));
  }

  configs(): PrinterConfig[] {
    return [...this.printers.values()].map((p) => p.config);
  }
}
