// A log for what is refused, which whoever sends it controls: the first of each kind is written
// whole, then the same kind is counted and summed up once per interval ("N more like this"), so a
// burst of 10,000 bad requests writes a handful of lines and leaves the disk and the operator's
// screen to what matters. Pure (a clock and a sink): the hub and the station's local host use it.

export interface RateLimitedLogOptions {
  /** The clock (ms). */
  now: () => number;
  /** Where lines go. */
  sink: (line: string) => void;
  /** After a kind's line, how long more of that kind are only counted (default one minute). */
  intervalMs?: number;
  /**
   * The most kinds followed at once (default 1,000: a kind per station and code on a network of
   * hundreds of stations). Kinds are the caller's words (a refusal's code, a station's id), but a
   * bug could make them from input: past this, new kinds share one count.
   */
  maxKinds?: number;
}

export interface RateLimitedLog {
  /** Writes `line` when nothing of `kind` was written within the interval; else counts it. */
  note(kind: string, line: string | (() => string)): void;
  /**
   * Writes "N more like this" for each kind whose interval is over (all kinds: `all`) and forgets
   * quiet ones. Call it on a timer, and with `all` before closing, so no count is lost.
   */
  flush(all?: boolean): void;
  /** The kinds followed now (each holds a count until its next summary). */
  readonly kinds: number;
}

/** The kind that new kinds share once `maxKinds` are followed. */
export const OTHER_KINDS = 'other refusals';

interface KindState {
  /** When its last line (first or summary) was written. */
  since: number;
  /** How many came since then, unwritten. */
  more: number;
}

export function createRateLimitedLog(options: RateLimitedLogOptions): RateLimitedLog {
  const { now, sink } = options;
  const intervalMs = options.intervalMs ?? 60_000;
  const maxKinds = options.maxKinds ?? 1_000;
  const kinds = new Map<string, KindState>();

  const summary = (kind: string, state: KindState) => `${kind}: ${state.more} more like this since ${new Date(state.since).toISOString()}`;

  return {
    note(kind, line) {
      const at = now();
      let key = kind;
      if (!kinds.has(key) && kinds.size >= maxKinds) key = OTHER_KINDS;
      const state = kinds.get(key);
      if (!state) {
        kinds.set(key, { since: at, more: 0 });
        sink(typeof line === 'function' ? line() : line);
        return;
      }
      if (at - state.since < intervalMs) {
        state.more++;
        return;
      }
      // The interval is over. Still coming: one summary line, and this one counts in the next.
      // Quiet meanwhile: this one is news again, written whole.
      if (state.more > 0) {
        sink(summary(key, state));
        state.since = at;
        state.more = 1;
      } else {
        state.since = at;
        sink(typeof line === 'function' ? line() : line);
      }
    },
    flush(all = false) {
      const at = now();
      for (const [kind, state] of kinds) {
        if (!all && at - state.since < intervalMs) continue;
        if (state.more > 0) {
          sink(summary(kind, state));
          state.since = at;
          state.more = 0;
        } else kinds.delete(kind);
      }
    },
    get kinds() {
      return kinds.size;
    },
  };
}
