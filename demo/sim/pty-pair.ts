// A real pty pair made by socat: what a serial device and its driver see of a cable. Killing
// socat is pulling the cable out; starting it again with the same links is plugging it back.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export class PtyPair {
  private child: ChildProcess | undefined;

  /** `deviceSide` is the path the station opens; `simulatorSide` the one the simulator drives. */
  constructor(
    readonly deviceSide: string,
    readonly simulatorSide: string,
  ) {}

  async plug(timeoutMs = 5000): Promise<void> {
    if (this.child) return;
    for (const p of [this.deviceSide, this.simulatorSide]) fs.rmSync(p, { force: true });
    const child = spawn('socat', [`pty,raw,echo=0,link=${this.deviceSide}`, `pty,raw,echo=0,link=${this.simulatorSide}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (e) => reject(new Error(`socat could not start (${(e as Error).message}); install the Debian package socat`)));
      child.once('exit', (code) => reject(new Error(`socat exited with ${code}: ${stderr.trim()}`)));
    });
    const deadline = Date.now() + timeoutMs;
    const ready = (async () => {
      while (!(fs.existsSync(this.deviceSide) && fs.existsSync(this.simulatorSide))) {
        if (Date.now() > deadline) throw new Error(`socat made no pty pair within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await Promise.race([ready, failed]);
    failed.catch(() => undefined);
  }

  async unplug(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }

  get plugged(): boolean {
    return this.child !== undefined;
  }
}
