// A member erased at their request reaches this station as their reference record in erased form
// (names and e-mail a pseudonym, erasedAt set; server/hub/privacy.ts). The reference writers
// replace the names in the member and payer tables and erase the phone and address of the
// member's own sign-up row; what is left here is the member.signed_up event in the outbox, and
// the provisional members merged into them (rows the hub never sent). The events are erased as
// the hub erased its copies, with the same function, pseudonym and time, so a resend of either
// form is the same event at the hub.
import { eraseSignedUp, eventPayloadSchemas } from '../../../common/events.js';
import type { Member } from '../../../common/reference-data.js';
import { sql, type StationContext } from '../context.js';
import { rewriteOutboxPayloads } from '../outbox/rewrite.js';
import type { ReferenceWriters } from '../reference/writers.js';

/**
 * Erases this station's copies of an erased member's sign-up, and of sign-ups merged into them.
 * Runs in the caller's transaction (the reference page that brought the erasure). Idempotent: an
 * erased payload is left as it is.
 */
export function eraseSignUpsHere(ctx: StationContext, member: Member & { erasedAt: string }, write: ReferenceWriters): void {
  const merged = (sql(ctx.db, 'SELECT member_id FROM member_signup WHERE merged_into = ?').all(member.id) as { member_id: string }[]).map((r) => r.member_id);
  const members = [member.id, ...merged];
  const ids = JSON.stringify(members);
  const signedUpHere = sql(ctx.db, 'SELECT member_id FROM member_signup WHERE member_id IN (SELECT value FROM json_each(?))').all(ids) as { member_id: string }[];
  // Members signed up elsewhere have no sign-up here: nothing to scan the outbox for.
  if (signedUpHere.length === 0) return;
  const pseudonym = member.lastName;
  if (merged.length > 0) eraseMergedHere(ctx, member, merged, write);
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
 * tables (blocked, so their visits keep their member; the hub never sent them). They are erased
 * as the reference writers erase a member the hub sends erased — names, e-mail, search text,
 * print jobs, the phone and address of their sign-up — under the same pseudonym, and so is the
 * payer they made for themself when nobody else pays through it.
 */
function eraseMergedHere(ctx: StationContext, member: Member & { erasedAt: string }, merged: readonly string[], write: ReferenceWriters): void {
  for (const id of merged) {
    const row = sql(
      ctx.db,
      `SELECT m.payer_id, m.language, m.status, m.blocked_reason, m.home_site_id, m.agent_site_id, p.kind AS payer_kind, p.vat_number, p.language AS payer_language,
         (SELECT COUNT(*) FROM member o WHERE o.payer_id = m.payer_id AND o.id <> m.id) AS payer_others
       FROM member m JOIN payer p ON p.id = m.payer_id WHERE m.id = ?`,
    ).get(id) as MergedRow | undefined;
    if (!row) continue;
    if (row.payer_kind === 'self' && row.payer_others === 0)
      write.payer({ id: row.payer_id, kind: 'self', name: member.lastName, language: row.payer_language, ...(row.vat_number ? { vatNumber: row.vat_number } : {}) });
    write.member({
      id,
      payerId: row.payer_id,
      firstName: member.firstName,
      lastName: member.lastName,
      email: member.email,
      language: row.language,
      status: row.status,
      ...(row.blocked_reason ? { blockedReason: row.blocked_reason } : {}),
      homeSiteId: row.home_site_id,
      ...(row.agent_site_id ? { agentSiteId: row.agent_site_id } : {}),
      erasedAt: member.erasedAt,
    });
  }
}

interface MergedRow {
  payer_id: string;
  language: Member['language'];
  status: Member['status'];
  blocked_reason: string | null;
  home_site_id: string;
  agent_site_id: string | null;
  payer_kind: 'company' | 'self';
  vat_number: string | null;
  payer_language: Member['language'];
  payer_others: number;
}
