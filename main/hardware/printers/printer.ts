// One printer: checks its health (reachable; paper out, read from the ESC/POS real-time status)
// and prints a job so that it counts as printed only once the printer took all of it: after the
// job's bytes comes GS r 1, a status request the printer answers in order, after the job.
import type { PrinterConfig } from '../../../common/devices.js';
import type { PrintDocument } from '../../../common/documents/print-documents.js';
import { StatusTracker, type HealthListener } from '../device-status.js';
import { connectPrinter, type PrinterConnection, type PrinterConnector } from './connection.js';
import { encodeEscPos } from './escpos.js';
import { encodeZpl } from './zpl.js';

/** DLE EOT 4: real-time roll paper sensor status. */
export const REALTIME_PAPER_STATUS = Uint8Array.of(0x10, 0x04, 0x04);
/** GS r 1: paper sensor status, processed in sequence — its answer means all before it was taken. */
export const IN_ORDER_STATUS = Uint8Array.of(0x1d, 0x72, 0x01);
/** Paper-end bits in the DLE EOT 4 answer. */
const PAPER_END = 0x60;

export class PrinterProblem extends Error {
  constructor(
    readonly reason: 'unreachable' | 'paper_out' | 'no_answer',
    message: string,
  ) {
    super(message);
  }
}

export interface PrinterDeps {
  connect?: PrinterConnector;
  /** The files the command line allowed as file printers, besides device nodes (read at each open). */
  allowedFiles?: () => ReadonlySet<string>;
  now?: () => number;
  connectTimeoutMs?: number;
  /** How long a printer may take to print a job before its answer is given up on. */
  jobTimeoutMs?: number;
  /** Told when the printer starts or stops working (unreachable, out of paper), not on each check. */
  onHealth?: HealthListener;
}

export class Printer {
  readonly status: StatusTracker;
  private readonly connect: PrinterConnector;
  private readonly allowedFiles: () => ReadonlySet<string>;
  private readonly connectTimeoutMs: number;
  private readonly jobTimeoutMs: number;

  constructor(
    readonly config: PrinterConfig,
    deps: PrinterDeps = {},
  ) {
    this.connect = deps.connect ?? connectPrinter;
    this.allowedFiles = deps.allowedFiles ?? (() => new Set());
    this.connectTimeoutMs = deps.connectTimeoutMs ?? 3000;
    this.jobTimeoutMs = deps.jobTimeoutMs ?? 20_000;
    this.status = new StatusTracker(config.id, 'printer', config.name, config.enabled, deps.now ?? Date.now, deps.onHealth);
  }

  /** Whether jobs should go elsewhere for now. */
  get unavailable(): boolean {
    const s = this.status.snapshot();
    return s.state === 'down' || s.state === 'disabled' || s.paperOut === true;
  }

  canPrint(kind: PrintDocument['kind']): boolean {
    // A welcome slip and a till's shift report are printed where receipts are (the receipt role).
    const role = kind === 'welcome' || kind === 'shiftReport' ? 'receipt' : kind;
    if (this.config.language === 'zpl' && role === 'receipt') return false;
    return role === 'test' || this.config.roles.includes(role);
  }

  encode(doc: PrintDocument): Uint8Array {
    return this.config.language === 'zpl' ? encodeZpl(doc) : encodeEscPos(doc, this.config.columns);
  }

  private async open(): Promise<PrinterConnection> {
    try {
      return await this.connect(this.config.connection, this.connectTimeoutMs, this.allowedFiles());
    } catch (e) {
      const problem = new PrinterProblem('unreachable', `${this.config.name} cannot be reached: ${(e as Error).message}`);
      this.status.down(problem.message);
      throw problem;
    }
  }

  /** Asks the printer for its paper status (ESC/POS over TCP or serial); undefined when it cannot say. */
  private async paperOut(conn: PrinterConnection): Promise<boolean | undefined> {
    if (this.config.language !== 'escpos') return undefined;
    const answer = await conn.ask(REALTIME_PAPER_STATUS, 1, this.connectTimeoutMs);
    return answer === undefined ? undefined : (answer[0]! & PAPER_END) !== 0;
  }

  async checkHealth(): Promise<void> {
    const conn = await this.open();
    try {
      const out = await this.paperOut(conn);
      this.status.setPaperOut(out);
      this.status.up();
    } catch (e) {
      this.status.down((e as Error).message);
    } finally {
      await conn.close().catch(() => undefined);
    }
  }

  /** Prints `doc`; resolves once the printer took the whole job, throws PrinterProblem otherwise. */
  async print(doc: PrintDocument): Promise<void> {
    const bytes = this.encode(doc);
    const conn = await this.open();
    try {
      const out = await this.paperOut(conn);
      this.status.setPaperOut(out);
      if (out) throw new PrinterProblem('paper_out', `${this.config.name} is out of paper.`);
      await conn.write(bytes);
      if (this.config.language === 'escpos') {
        const answer = await conn.ask(IN_ORDER_STATUS, 1, this.jobTimeoutMs);
        if (answer === undefined && this.config.connection.type !== 'file')
          throw new PrinterProblem('no_answer', `${this.config.name} did not confirm the job.`);
      }
      this.status.up();
      this.status.activity();
      this.status.count('jobs');
    } catch (e) {
      const problem = e instanceof PrinterProblem ? e : new PrinterProblem('no_answer', `${this.config.name}: ${(e as Error).message}`);
      if (problem.reason !== 'paper_out') this.status.down(problem.message);
      else this.status.count('errors');
      throw problem;
    } finally {
      await conn.close().catch(() => undefined);
    }
  }
}
