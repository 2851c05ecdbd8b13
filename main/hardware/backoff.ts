// Reopening a device that went away: exponential backoff with jitter, capped, so an unplugged
// reader is retried quickly at first and then without burning the CPU.
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 10_000;
    this.random = options.random ?? Math.random;
  }

  /** The next delay: doubling from initialMs up to maxMs, ±25 % jitter. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt++;
    return Math.round(base * (0.75 + this.random() * 0.5));
  }

  reset(): void {
    this.attempt = 0;
  }
}
