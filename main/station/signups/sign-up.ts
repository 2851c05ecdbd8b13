// Agent sale: the reception signs a new member up for the whole network. Offline-first: the member,
// their payer when they pay for themself, and their badge are written into this station's reference
// tables at once, under ids made here (m-/p-<UUIDv7>, unique network-wide), so they can check in
// now; the member.signed_up event carries everything the hub needs to confirm them into the
// network's data. Until the hub answers (the `signup` reference entity), the sign-up is "awaiting".
import { randomBytes } from 'node:crypto';
import { newId } from '../../../common/ids.js';
import type { PrintDocument } from '../../../common/documents/print-documents.js';
import type { PrintJob } from '../../../common/devices.js';
import type { Language, SignupOutcomeRecord } from '../../../common/reference-data.js';
import { PRIVACY_VERSION, TERMS_VERSION, provisionalMemberId, provisionalPayerId, type BillingAddress, type SignupState } from '../../../common/signup.js';
import type { ParsedInput, SignUpResult, SignUpSummary } from '../../../common/station-api.js';
import { localDate } from '../../../common/time.js';
import { StationFailure } from '../errors.js';
import { iso, requireSite, sql, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { memberSearchKey } from '../queries/search-key.js';
import { checkedBadgeUid } from '../badges/badge-uid.js';
import { checkInMember } from '../visits/lifecycle.js';
import { memberRef, visitSummary } from '../visits/read.js';
import { enqueuePrint } from '../devices/print-jobs.js';

/** A QR badge's UID: printable, unmistakable for a card's UID (which is hex or decimal digits only). */
const newQrUid = (): string => `QR-${randomBytes(8).toString('hex').toUpperCase()}`;

export function signUpMember(ctx: StationContext, input: ParsedInput<'signUpMember'>): Omit<SignUpResult, 'welcomePrint' | 'welcomePrintError'> {
  const site = requireSite(ctx);
  const nowMs = ctx.clock.now();
  const at = iso(nowMs);
  const uuid = newId();
  const memberId = provisionalMemberId(uuid);
  const person = { firstName: input.firstName, lastName: input.lastName, email: input.email.trim().toLowerCase() };

  let payer: { id: string; kind: 'company' | 'self'; name: string; billingAddress?: BillingAddress; vatNumber?: string };
  if (input.payer.kind === 'company') {
    const company = sql(ctx.db, 'SELECT id, kind, name FROM payer WHERE id = ?').get(input.payer.payerId) as { id: string; kind: string; name: string } | undefined;
    if (!company || company.kind !== 'company')
      throw new StationFailure('NOT_FOUND', `payer.payerId: no company "${input.payer.payerId}" in the network's data; choose the company from the list.`, undefined, 'payer.payerId').saying('companyUnknown');
    payer = { id: company.id, kind: 'company', name: company.name };
  } else {
    payer = {
      id: provisionalPayerId(uuid),
      kind: 'self',
      name: `${input.firstName} ${input.lastName}`,
      billingAddress: input.payer.billingAddress,
      ...(input.payer.vatNumber ? { vatNumber: input.payer.vatNumber } : {}),
    };
  }

  let badge: { uid: string; kind: 'rfid' | 'qr' } | undefined;
  if (input.badge.kind === 'rfid') {
    let uid: string;
    try {
      uid = checkedBadgeUid(input.badge.uid);
    } catch {
      throw new StationFailure('INVALID_INPUT', 'badge.uid: tap the new card on a reader (no badge number was read).', undefined, 'badge.uid').saying('badgeNotRead');
    }
    const owner = sql(ctx.db, 'SELECT member_id FROM badge WHERE uid = ?').get(uid) as { member_id: string } | undefined;
    if (owner) {
      const m = memberRef(ctx, owner.member_id);
      throw new StationFailure('CONFLICT', `badge.uid: card ${uid} already belongs to ${m.firstName} ${m.lastName}; tap a new card.`, undefined, 'badge.uid').saying('badgeTaken', { uid, name: `${m.firstName} ${m.lastName}` });
    }
    badge = { uid, kind: 'rfid' };
  } else badge = { uid: newQrUid(), kind: 'qr' };

  const signedUpOn = localDate(at, site.timeZone);
  if (payer.kind === 'self')
    sql(ctx.db, 'INSERT INTO payer (id, kind, name, vat_number, language) VALUES (?, ?, ?, ?, ?)').run(payer.id, 'self', payer.name, payer.vatNumber ?? null, input.language);
  sql(
    ctx.db,
    `INSERT INTO member (id, payer_id, first_name, last_name, email, language, status, blocked_reason, home_site_id, agent_site_id, search_text)
     VALUES (?, ?, ?, ?, ?, ?, 'active', NULL, ?, ?, ?)`,
  ).run(memberId, payer.id, person.firstName, person.lastName, person.email, input.language, ctx.siteId, ctx.siteId,
    memberSearchKey(person.firstName, person.lastName, person.email, payer.name));
  sql(
    ctx.db,
    `INSERT INTO member_signup (member_id, payer_id, payer_kind, phone, billing_address, terms_version, privacy_version, accepted_at, badge_uid, badge_kind,
       signed_up_at, signed_up_on, shift_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(memberId, payer.id, payer.kind, input.phone ?? null, payer.billingAddress ? JSON.stringify(payer.billingAddress) : null, TERMS_VERSION, PRIVACY_VERSION, at,
    badge.uid, badge.kind, at, signedUpOn, input.shiftId ?? null);
  // assigned_here_at: the badge is this station's until the hub sends it back, so a reference
  // snapshot that does not hold it yet leaves it alone.
  sql(ctx.db, `INSERT INTO badge (uid, member_id, kind, status, assigned_here_at) VALUES (?, ?, ?, 'active', ?)`).run(badge.uid, memberId, badge.kind, at);
  appendEvent(
    ctx,
    'member.signed_up',
    {
      memberId,
      siteId: ctx.siteId,
      person: { ...person, ...(input.phone ? { phone: input.phone } : {}), language: input.language },
      payer:
        payer.kind === 'company'
          ? { kind: 'company', payerId: payer.id }
          : { kind: 'self', payerId: payer.id, name: payer.name, billingAddress: payer.billingAddress!, ...(payer.vatNumber ? { vatNumber: payer.vatNumber } : {}) },
      consent: { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION, acceptedAt: at },
      badge,
      signedUpOn,
      at,
      ...(input.shiftId ? { shiftId: input.shiftId } : {}),
    },
    nowMs,
  );
  const visit = input.checkIn ? visitSummary(ctx, checkInMember(ctx, { memberId, badgeUid: badge.uid, atMs: nowMs, by: 'staff', shiftId: input.shiftId })) : undefined;
  return { signUp: signUpSummary(ctx, memberId), ...(visit ? { visit } : {}) };
}

interface SignupRow {
  member_id: string;
  email: string;
  payer_id: string;
  payer_kind: 'company' | 'self';
  payer_name: string;
  badge_uid: string | null;
  badge_kind: 'rfid' | 'qr' | 'barcode' | null;
  signed_up_at: string;
  signed_up_on: string;
  state: SignupState;
  reason: string | null;
  detail: string | null;
  duplicate_of: string | null;
  merged_into: string | null;
  decided_at: string | null;
  terms_version: string;
  privacy_version: string;
}

const SIGNUP_SELECT = `SELECT s.*, m.email, p.name AS payer_name FROM member_signup s JOIN member m ON m.id = s.member_id JOIN payer p ON p.id = s.payer_id`;

function toSummary(ctx: StationContext, r: SignupRow): SignUpSummary {
  return {
    memberId: r.member_id,
    person: memberRef(ctx, r.member_id),
    email: r.email,
    payer: { id: r.payer_id, kind: r.payer_kind, name: r.payer_name },
    ...(r.badge_uid && r.badge_kind ? { badge: { uid: r.badge_uid, kind: r.badge_kind } } : {}),
    signedUpAt: r.signed_up_at,
    signedUpOn: r.signed_up_on,
    state: r.state,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.detail ? { detail: r.detail } : {}),
    ...(r.duplicate_of ? { duplicateOf: r.duplicate_of } : {}),
    ...(r.merged_into ? { mergedInto: r.merged_into } : {}),
    ...(r.decided_at ? { decidedAt: r.decided_at } : {}),
  };
}

export function signUpSummary(ctx: StationContext, memberId: string): SignUpSummary {
  const r = sql(ctx.db, `${SIGNUP_SELECT} WHERE s.member_id = ?`).get(memberId) as SignupRow | undefined;
  if (!r) throw new StationFailure('NOT_FOUND', `memberId: ${memberId} was not signed up at this reception.`, undefined, 'memberId').saying('notSignedUpHere');
  return toSummary(ctx, r);
}

export function listSignUps(ctx: StationContext, limit: number): SignUpSummary[] {
  return (sql(ctx.db, `${SIGNUP_SELECT} ORDER BY s.signed_up_at DESC, s.member_id DESC LIMIT ?`).all(limit) as SignupRow[]).map((r) => toSummary(ctx, r));
}

/** The welcome slip of a member signed up here, in their language. */
export function welcomeDocument(ctx: StationContext, memberId: string): PrintDocument {
  const site = requireSite(ctx);
  const r = sql(ctx.db, `${SIGNUP_SELECT} WHERE s.member_id = ?`).get(memberId) as SignupRow | undefined;
  if (!r) throw new StationFailure('NOT_FOUND', `memberId: ${memberId} was not signed up at this reception; a welcome slip is printed for sign-ups only.`, undefined, 'memberId').saying('welcomeForSignUpsOnly');
  const m = sql(ctx.db, 'SELECT first_name, last_name, language FROM member WHERE id = ?').get(memberId) as { first_name: string; last_name: string; language: Language };
  return {
    kind: 'welcome',
    language: m.language,
    timeZone: site.timeZone,
    site: { name: site.name, stars: site.stars },
    person: { name: `${m.first_name} ${m.last_name}` },
    memberId,
    at: r.signed_up_at,
    ...(r.badge_uid && r.badge_kind ? { badge: { uid: r.badge_uid, kind: r.badge_kind } } : {}),
    termsVersion: r.terms_version,
    privacyVersion: r.privacy_version,
  };
}

/** Queues the welcome slip on the receipt printer (the job's kind is the printer's role: receipt). */
export function printWelcome(ctx: StationContext, memberId: string, printerId?: string, visitId?: string): PrintJob {
  return enqueuePrint(ctx, 'receipt', welcomeDocument(ctx, memberId), { ...(printerId ? { printerId } : {}), ...(visitId ? { visitId } : {}) });
}

/** What a refusal or a merge tells the reception when the member taps again. */
const BLOCKED_REFUSED = 'The network refused this sign-up. Please see the reception.';
const BLOCKED_MERGED = 'This sign-up was merged into an existing membership: use that badge or membership. Please see the reception.';

/**
 * The hub's answer to a sign-up made here: recorded on the sign-up; a refused or merged provisional
 * member is blocked here (they cannot check in under it any more; their visits stay as they were).
 */
export function applySignupOutcome(db: StationContext['db'], o: SignupOutcomeRecord): void {
  const changed = db
    .prepare('UPDATE member_signup SET state = ?, reason = ?, detail = ?, duplicate_of = ?, merged_into = ?, decided_at = ? WHERE member_id = ?')
    .run(o.outcome, o.reason ?? null, o.detail ?? null, o.duplicateOf ?? null, o.mergedInto ?? null, o.decidedAt, o.memberId).changes;
  if (changed === 0) return; // not signed up here (a restored database that lost it): nothing to show
  if (o.outcome === 'refused' || o.outcome === 'merged')
    db.prepare("UPDATE member SET status = 'blocked', blocked_reason = ? WHERE id = ?").run(o.outcome === 'refused' ? BLOCKED_REFUSED : BLOCKED_MERGED, o.memberId);
}
