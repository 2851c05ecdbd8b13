// A member erased at their request reaches this station as their reference record in erased form
// (names and e-mail a pseudonym, erasedAt set; server/hub/privacy.ts). The reference writers
// replace the names in the member and payer tables and erase the phone and address of the
// member's own sign-up row; what is left here is the member.signed_up event in the outbox, and
// the provisional members merged into them (rows the hub never sent). The events are erased as
// the hub erased its copies, with the same function, pseudonym and time, so a resend of either
// form is the same event at the hub.
import { erasedEmail, eraseSignedUp, eventPayloadSchemas } from '../../../common/events.js';
import type { Member } from '../../../common/reference-data.js';
import { sql, type StationContext } from '../context.js';
import { rewriteOutboxPayloads } from '../outbox/rewrite.js';
import { searchKey } from '../queries/search-key.js';

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
  const pseudonym = member.lastName;
  if (merged.length > 0) eraseMergedHere(ctx, member, merged);
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

/**
 * A provisional member merged into the erased one is the same person, still in this station's
 * tables (blocked, so their visits keep their member): their names, e-mail and search text, the
 * name of the payer they made for themself (used by nobody else), their print jobs and the phone
 * and address of their sign-up go the way the erased member's did, under the same pseudonym.
 */
function eraseMergedHere(ctx: StationContext, member: Member, merged: readonly string[]): void {
  const pseudonym = member.lastName;
  const email = erasedEmail(pseudonym);
  for (const id of merged) {
    const row = sql(ctx.db, 'SELECT m.payer_id, p.kind FROM member m JOIN payer p ON p.id = m.payer_id WHERE m.id = ?').get(id) as { payer_id: string; kind: string } | undefined;
    if (!row) continue;
    const ownPayer =
      row.kind === 'self' && (sql(ctx.db, 'SELECT COUNT(*) AS n FROM member WHERE payer_id = ? AND id <> ?').get(row.payer_id, id) as { n: number }).n === 0;
    if (ownPayer) sql(ctx.db, 'UPDATE payer SET name = ? WHERE id = ?').run(pseudonym, row.payer_id);
    const payerName = (sql(ctx.db, 'SELECT name FROM payer WHERE id = ?').get(row.payer_id) as { name: string }).name;
    sql(ctx.db, 'UPDATE member SET first_name = ?, last_name = ?, email = ?, search_text = ? WHERE id = ?').run(
      member.firstName, pseudonym, email, searchKey(`${member.firstName} ${pseudonym} ${email} ${payerName}`), id,
    );
    sql(ctx.db, `UPDATE print_job SET document = json_set(document, '$.person', json_object('name', ?)) WHERE visit_id IN (SELECT id FROM visit WHERE member_id = ?)`).run(
      `${member.firstName} ${pseudonym}`,
      id,
    );
    sql(ctx.db, 'UPDATE member_signup SET phone = NULL, billing_address = NULL WHERE member_id = ?').run(id);
  }
}
