// A simulated serial badge reader with real I/O: it drives the simulator side of a socat pty pair,
// sending valid frames, corrupted ones and noise, on command or at a rate; unplug and replug
// kill and restart socat.
import { em4100Frame, type FramingKind } from '../../common/readers/framing.js';
import { PtyPair } from './pty-pair.js';

interface Port {
  write(data: Buffer, cb?: (err?: Error | null) => void): boolean;
  drain(cb: (err?: Error | null) => void): void;
  close(cb?: (err?: Error | null) => void): void;
  isOpen: boolean;
}

export class ReaderSimulator {
  readonly pty: PtyPair;
  private port: Port | undefined;
  private rateTimer: NodeJS.Timeout | undefined;

  constructor(
    deviceSide: string,
    simulatorSide: string,
    readonly framing: FramingKind = 'em4100',
  ) {
    this.pty = new PtyPair(deviceSide, simulatorSide);
  }

  get devicePath(): string {
    return this.pty.deviceSide;
  }

  async start(): Promise<this> {
    await this.pty.plug();
    await this.openPort();
    return this;
  }

  private async openPort(): Promise<void> {
    const { SerialPort } = await import('serialport');
    const port = new SerialPort({ path: this.pty.simulatorSide, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on('error', () => undefined);
    this.port = port;
  }

  /** The bytes a reader sends for a card: an EM4100 frame, or the text and CR LF. */
  frameFor(uid: string): Uint8Array {
    return this.framing === 'em4100' ? em4100Frame(uid) : new TextEncoder().encode(`${uid}\r\n`);
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port) throw new Error('the simulated reader is unplugged');
    await new Promise<void>((resolve, reject) => port.write(Buffer.from(bytes), (e) => (e ? reject(e) : port.drain((e2) => (e2 ? reject(e2) : resolve())))));
  }

  tap(uid: string): Promise<void> {
    return this.write(this.frameFor(uid));
  }

  /** A frame with its checksum (EM4100) or its text (line) damaged. */
  corrupted(uid: string): Uint8Array {
    const frame = this.frameFor(uid).slice();
    if (this.framing === 'em4100') frame[11] = frame[11] === 0x30 ? 0x31 : 0x30;
    else frame[1] = 0x07;
    return frame;
  }

  noise(length: number, random: () => number = Math.random): Uint8Array {
    return Uint8Array.from({ length }, () => 0x80 + Math.floor(random() * 0x7f));
  }

  /** Sends `uid` every `intervalMs` (a card held on the reader, or a busy reception). */
  repeat(uids: string[], intervalMs: number): void {
    let i = 0;
    clearInterval(this.rateTimer);
    this.rateTimer = setInterval(() => void this.tap(uids[i++ % uids.length]!).catch(() => undefined), intervalMs);
  }

  stopRepeat(): void {
    clearInterval(this.rateTimer);
  }

  async unplug(): Promise<void> {
    this.stopRepeat();
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    await this.pty.unplug();
  }

  async replug(): Promise<void> {
    await this.pty.plug();
    await this.openPort();
  }

  async stop(): Promise<void> {
    await this.unplug();
  }
}
