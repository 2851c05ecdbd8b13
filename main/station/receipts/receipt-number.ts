// Receipt numbers: gap-free per station stream (site + install epoch). A number is taken inside
// the caller's write transaction, together with what the receipt proves, so a crash either keeps
// both or neither: no number is lost between two receipts, none is ever given twice.
import { iso, sql, type StationContext } from '../context.js';

export interface IssuedReceipt {
  /** As printed: site, stream and number, e.g. "bxl-louise-3F9A2C-000042". */
  number: string;
  /** The very receipt was already issued: this print is a duplicate of it. */
  duplicate: boolean;
}

/** The stream's tag on paper: the random tail of the install epoch (a UUIDv7), enough to tell streams apart. */
export const streamTag = (epoch: string): string => epoch.replace(/-/g, '').slice(-6).toUpperCase();

export const formatReceiptNumber = (siteId: string, epoch: string, n: number): string => `${siteId}-${streamTag(epoch)}-${String(n).padStart(6, '0')}`;

/**
 * The number of a visit's receipt saying `content`: the one it already has if its last receipt
 * said the same (a duplicate), else the stream's next. Call inside a write transaction.
 */
export function issueReceiptNumber(ctx: StationContext, visitId: string, content: unknown): IssuedReceipt {
  const said = JSON.stringify(content);
  const last = sql(ctx.db, 'SELECT site_id, epoch, number, content FROM receipt_number WHERE visit_id = ? ORDER BY issued_at DESC, number DESC LIMIT 1').get(visitId) as
    | { site_id: string; epoch: string; number: number; content: string }
    | undefined;
  if (last && last.content === said) return { number: formatReceiptNumber(last.site_id, last.epoch, last.number), duplicate: true };
  const { next } = sql(ctx.db, 'SELECT COALESCE(MAX(number), 0) + 1 AS next FROM receipt_number WHERE site_id = ? AND epoch = ?').get(ctx.siteId, ctx.epoch) as { next: number };
  sql(ctx.db, 'INSERT INTO receipt_number (site_id, epoch, number, visit_id, issued_at, content) VALUES (?, ?, ?, ?, ?, ?)').run(ctx.siteId, ctx.epoch, next, visitId, iso(ctx.clock.now()), said);
  return { number: formatReceiptNumber(ctx.siteId, ctx.epoch, next), duplicate: false };
}
