// Refused calls, audited in the outbox as access.refused — coalesced, so that a flood of refusals
// (a script hammering the kiosk, a page from another origin retrying) writes a handful of events,
// not a flood: the first refusal of a kind is appended at once; the same kind again within a
// minute is counted, and the count goes into the next event of that kind (or a flush).
import type { EventPayload } from '../../../common/events.js';
import { appendEvent } from '../outbox/outbox.js';
import { iso, writeTransaction, type StationContext } from '../context.js';

export const AUDIT_WINDOW_MS = 60_000;

type Refusal = Omit<EventPayload<'access.refused'>, 'count' | 'at'>;

interface Pending {
  refusal: Refusal;
  windowStartMs: number;
  /** Refusals since the last event of this kind. */
  unwritten: number;
}

export class RefusalAudit {
  private readonly kinds = new Map<string, Pending>();

  constructor(
    private readonly ctx: StationContext,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  record(refusal: Refusal): void {
    const nowMs = this.ctx.clock.now();
    const key = `${refusal.window}|${refusal.method}|${refusal.reason}|${refusal.staffId ?? ''}`;
    const pending = this.kinds.get(key);
    if (pending && nowMs - pending.windowStartMs < AUDIT_WINDOW_MS) {
      pending.unwritten += 1;
      return;
    }
    const count = (pending?.unwritten ?? 0) + 1;
    this.kinds.set(key, { refusal, windowStartMs: nowMs, unwritten: 0 });
    this.write(refusal, count, nowMs);
    // Kinds whose window has long passed are forgotten (their counts written first).
    if (this.kinds.size > 1000) this.flush();
  }

  /** Writes every kind's counted refusals (periodically, and when the station stops). */
  flush(): void {
    const nowMs = this.ctx.clock.now();
    for (const [key, pending] of this.kinds) {
      if (pending.unwritten > 0) this.write(pending.refusal, pending.unwritten, nowMs);
      if (pending.unwritten > 0 || nowMs - pending.windowStartMs >= AUDIT_WINDOW_MS) this.kinds.delete(key);
      else pending.unwritten = 0;
    }
  }

  private write(refusal: Refusal, count: number, nowMs: number): void {
    try {
      writeTransaction(this.ctx, () => appendEvent(this.ctx, 'access.refused', { ...refusal, count, at: iso(nowMs) }, nowMs));
    } catch (e) {
      // The refusal stands either way; a full or read-only disk must not turn it into an error.
      this.log(`could not audit a refused ${refusal.method} (${refusal.reason}): ${(e as Error).message}`);
    }
  }
}
