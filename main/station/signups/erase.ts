// A member erased at their request reaches this station as their reference record in erased form
// (names and e-mail a pseudonym, erasedAt set; server/hub/privacy.ts). The reference writers
// replace the names in the member and payer tables and erase the phone and address of the
// member's own sign-up row; what is left here is the member.signed_up event in the outbox, and
// the sign-up rows of provisional members merged into them. The events are erased as the hub
// erased its copies, with the same function, pseudonym and time, so a resend of either form is
// the same event at the hub.
import { eraseSignedUp, eventPayloadSchemas } from '../../../common/events.js';
import type { Member } from '../../../common/reference-data.js';
import { sql, type StationContext } from '../context.js';
import { rewriteOutboxPayloads } from '../outbox/rewrite.js';

/**
 * Erases this station's copies of an erased member's sign-up, and of sign-ups merged into them.
 * Runs in the caller's transaction (the reference page that brought the erasure). Idempotent: an
 * erased payload is left as it is.
 */
export function eraseSignUpsHere(ctx: StationContext, member: Member & { erasedAt: string }): void {
  const merged = (sql(ctx.db, 'SELECT member_id FROM member_signup WHERE merged_into = ?').all(member.id) as { member_id: string }[]).map((r) => r.member_id);
  const members = [member.id, ...merged];
  const ids = JSON.stringify(members);
  const signedUpHere = sql(ctx.db, 'SELECT member_id FROM member_signup WHERE member_id IN (SELECT value FROM json_each(?))').all(ids) as { member_id: string }[];
  // Members signed up elsewhere have no sign-up here: nothing to scan the outbox for.
  if (signedUpHere.length === 0) return;
  if (merged.length > 0) sql(ctx.db, 'UPDATE member_signup SET phone = NULL, billing_address = NULL WHERE merged_into = ?').run(member.id);
  const pseudonym = member.lastName;
  const payerName = (payerId: string) => (sql(ctx.db, 'SELECT name FROM payer WHERE id = ?').get(payerId) as { name: string } | undefined)?.name;
  // One scan of the outbox (no index on a payload field: it would cost every tap a page write),
  // only when an erasure of a member signed up here arrives.
  const rows = sql(
    ctx.db,
    `SELECT position, payload FROM outbox WHERE type = 'member.signed_up' AND json_extract(payload, '$.memberId') IN (SELECT value FROM json_each(?))`,
  ).all(ids) as { position: number; payload: string }[];
  const rewritten: { position: number; payload: string }[] = [];
  for (const r of rows) {
    const parsed = eventPayloadSchemas['member.signed_up'].safeParse(JSON.parse(r.payload));
    if (!parsed.success) continue;
    const s = parsed.data;
    // As the hub decides: the member's own self-paying payer is erased when the hub erased its
    // name (it reached this station's payer row earlier in the same page); a merged member's own payer always.
    const payerErased = s.memberId === member.id ? payerName(s.payer.payerId) === pseudonym : true;
    const payload = JSON.stringify(eraseSignedUp(s, pseudonym, member.erasedAt, payerErased));
    if (payload !== r.payload) rewritten.push({ position: r.position, payload });
  }
  rewriteOutboxPayloads(ctx, rewritten);
}
