// A simulated ESC/POS receipt printer with real I/O: it listens on TCP (127.0.0.1) or sits on one
// end of a pty pair, decodes what it receives into readable text, saves each job to a file, answers
// status requests, and can be told to go offline or run out of paper — as a real one does.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { EscPosDecoder, type DecodedJob } from './escpos-decoder.js';

export interface SimulatedJob extends DecodedJob {
  file?: string;
  receivedAt: string;
}

export interface PrinterSimOptions {
  /** TCP port on 127.0.0.1 (0 = any free port). */
  port?: number;
  host?: string;
  /** Folder where each job is saved as job-0001.txt… */
  outDir?: string;
  log?: (line: string) => void;
}

export class PrinterSimulator {
  readonly jobs: SimulatedJob[] = [];
  private server: net.Server | undefined;
  private sockets = new Set<net.Socket>();
  private readonly state = { paperOut: false };
  private held: { decoder: EscPosDecoder; bytes: Uint8Array }[] = [];
  private listeners: ((job: SimulatedJob) => void)[] = [];
  private boundPort = 0;
  private readonly log: (line: string) => void;

  constructor(private readonly options: PrinterSimOptions = {}) {
    this.log = options.log ?? (() => undefined);
    if (options.outDir) fs.mkdirSync(options.outDir, { recursive: true });
  }

  get port(): number {
    return this.boundPort;
  }

  get online(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<this> {
    await this.listen(this.options.port ?? 0);
    return this;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.attach(socket));
      server.once('error', reject);
      server.listen(port, this.options.host ?? '127.0.0.1', () => {
        this.server = server;
        this.boundPort = (server.address() as net.AddressInfo).port;
        this.log(`printer simulator listening on ${this.options.host ?? '127.0.0.1'}:${this.boundPort}`);
        resolve();
      });
    });
  }

  /** A byte stream (TCP connection or pty end) talking to this printer. */
  attach(stream: net.Socket | NodeJS.ReadWriteStream): void {
    if (stream instanceof net.Socket) {
      this.sockets.add(stream);
      stream.on('close', () => this.sockets.delete(stream));
      stream.on('error', () => undefined);
    }
    const decoder = new EscPosDecoder(
      this.state,
      (answer) => stream.write(Buffer.from(answer)),
      (job) => this.saveJob(job),
    );
    stream.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk);
      if (this.state.paperOut) {
        // Out of paper: real-time requests are still answered, the rest waits for paper.
        for (let i = 0; i + 2 < bytes.length; i++) if (bytes[i] === 0x10 && bytes[i + 1] === 0x04) stream.write(Buffer.of(0x12 | (bytes[i + 2] === 4 ? 0x60 : 0x20)));
        this.held.push({ decoder, bytes });
        return;
      }
      decoder.push(bytes);
    });
    stream.on('end', () => {
      const rest = decoder.flush();
      if (rest) this.saveJob(rest);
    });
  }

  private saveJob(job: DecodedJob): void {
    const saved: SimulatedJob = { ...job, receivedAt: new Date().toISOString() };
    if (this.options.outDir) {
      saved.file = path.join(this.options.outDir, `job-${String(this.jobs.length + 1).padStart(4, '0')}.txt`);
      fs.writeFileSync(saved.file, job.text + '\n');
    }
    this.jobs.push(saved);
    this.log(`printed job ${this.jobs.length}${saved.file ? ` → ${saved.file}` : ''}\n${job.text}`);
    for (const l of this.listeners) l(saved);
  }

  /** Resolves when `count` jobs in all have been printed. */
  waitForJobs(count: number, timeoutMs = 10_000): Promise<SimulatedJob[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.jobs.length >= count) {
          clearTimeout(timer);
          this.listeners = this.listeners.filter((l) => l !== check);
          resolve(this.jobs.slice());
        }
      };
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error(`printer simulator: ${this.jobs.length} jobs after ${timeoutMs} ms, expected ${count}`));
      }, timeoutMs);
      this.listeners.push(check);
      check();
    });
  }

  setPaperOut(out: boolean): void {
    this.state.paperOut = out;
    if (!out) {
      const held = this.held;
      this.held = [];
      for (const h of held) h.decoder.push(h.bytes);
    }
  }

  /** Pulls the network cable: refuses connections and drops the open ones. */
  async goOffline(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async goOnline(): Promise<void> {
    if (!this.server) await this.listen(this.boundPort);
  }

  async stop(): Promise<void> {
    await this.goOffline();
  }
}
