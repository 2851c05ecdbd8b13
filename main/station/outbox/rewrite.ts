// The outbox is append-only (001's triggers): events are facts, never edited. Personal data is the
// one legal exception: a guest's registration past its retention date, and a member's sign-up when
// the member is erased at their request. The right to erasure and the retention rule outrank the
// immutability of the queue, so those payloads are rewritten in place, to an explicit redacted
// form the event schema accepts (an event not uploaded yet still uploads and validates, and the
// hub recognises a resend of either form as the same event: server/store/same-event.ts).
import type { StationContext } from '../context.js';

/**
 * Rewrites outbox payloads by position. Must run inside the caller's write transaction: the guard
 * is lifted for these updates only and put back exactly as the schema defines it, so no other
 * connection ever sees the outbox without it.
 */
export function rewriteOutboxPayloads(ctx: StationContext, rows: readonly { position: number; payload: string }[]): void {
  if (rows.length === 0) return;
  const guard = (ctx.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'outbox_no_update'").get() as { sql: string } | undefined)?.sql;
  if (!guard) throw new Error('the outbox has no append-only guard (outbox_no_update): the database schema is damaged');
  ctx.db.exec('DROP TRIGGER outbox_no_update');
  const update = ctx.db.prepare('UPDATE outbox SET payload = ? WHERE position = ?');
  for (const r of rows) update.run(r.payload, r.position);
  ctx.db.exec(guard);
}
