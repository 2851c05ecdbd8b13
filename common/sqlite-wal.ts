// After personal data is erased (a guest purge, a member erasure), the old page images that held it
// may still sit in the SQLite write-ahead log: a commit appends pages to the -wal file and a
// checkpoint copies them into the database but leaves the file as it is, to be overwritten later.
// So after such a commit the WAL is checkpointed and truncated to zero bytes. The station and the
// hub's SQLite store share this, over the few methods of a better-sqlite3 connection they use.

/** What the scrub needs of a connection (better-sqlite3's Database has these). */
export interface WalConnection {
  pragma(source: string, options?: { simple?: boolean }): unknown;
  readonly open: boolean;
}

/**
 * One try at `PRAGMA wal_checkpoint(TRUNCATE)`. It must wait for every reader to leave the WAL, so
 * the connection's busy timeout (seconds, for writers) is lowered meanwhile to `waitMs`: a reader
 * holding a snapshot must not freeze the caller's event loop. True when the WAL is now empty (or
 * the database is not in WAL mode); false when a reader or writer held it.
 */
export function truncateWal(db: WalConnection, waitMs = 100): boolean {
  const previous = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(waitMs))}`);
  try {
    const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return row === undefined || row.busy === 0;
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
  }
}

/** Delays between tries while the WAL is held: soon, then backing off to once a minute. */
export const WAL_SCRUB_DELAYS_MS: readonly number[] = [50, 250, 1000, 5000, 15_000, 60_000];

/**
 * Truncates one connection's WAL after an erasure has committed, and keeps trying while a reader
 * holds it (another process reading the same file), logging each busy try. Never throws: the
 * erasure is committed, and a WAL that could not be truncated yet is no reason to fail it.
 */
export class WalScrubber {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private tries = 0;
  private reason = '';
  private waiting: (() => void)[] = [];

  constructor(
    private readonly db: WalConnection,
    private log: (line: string) => void = () => undefined,
    private readonly delaysMs: readonly number[] = WAL_SCRUB_DELAYS_MS,
  ) {}

  /** Where busy tries and errors are told (a running station's or hub's log). */
  setLog(log: ((line: string) => void) | undefined): void {
    this.log = log ?? (() => undefined);
  }

  /** True while a truncation is still to be done (a reader held the WAL). */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** An erasure (`reason`: what, for the log) has committed: truncate the WAL now, or soon. */
  request(reason: string): void {
    // A retry already waits: it will truncate whatever this commit added too.
    if (this.timer !== undefined) return;
    this.reason = reason;
    this.tries = 0;
    this.attempt();
  }

  /** Resolves once no truncation is pending (at once when none is). */
  settled(): Promise<void> {
    if (this.timer === undefined) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Stops retrying (the connection is closing); a last try is made first. */
  stop(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.db.open) this.tryOnce();
    this.release();
  }

  private attempt(): void {
    this.timer = undefined;
    if (!this.db.open) return this.release();
    this.tries++;
    if (this.tryOnce()) {
      if (this.tries > 1) this.log(`WAL truncated after the ${this.reason} (try ${this.tries}): no old page of it is left in the -wal file`);
      return this.release();
    }
    const delay = this.delaysMs[Math.min(this.tries - 1, this.delaysMs.length - 1)]!;
    this.log(`WAL not truncated yet after the ${this.reason}: another connection is reading it; trying again in ${delay} ms`);
    this.timer = setTimeout(() => this.attempt(), delay);
    // A pending retry must not keep a command-line process alive (its close makes a last try).
    (this.timer as { unref?: () => void }).unref?.();
  }

  private tryOnce(): boolean {
    try {
      return truncateWal(this.db);
    } catch (e) {
      this.log(`WAL truncation after the ${this.reason} failed: ${(e as Error).message}`);
      return false;
    }
  }

  private release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
