// Privacy at the hub: a member's data export and erasure on request, and the purge of guests'
// personal data after their retention date (on the hub's own schedule: it never waits for a
// station, which may be off or gone).
import { randomBytes } from 'node:crypto';
import { erasedEmail, eraseSignedUp, eventPayloadSchemas, type EventPayload, type EventType } from '../../common/events.js';
import {
  memberErasureRequestSchema,
  memberExportSchema,
  memberIdSchema,
  type MemberErasure,
  type MemberExport,
} from '../../common/privacy.js';
import { badgeSchema, memberSchema, payerSchema, type Badge, type Member, type Payer } from '../../common/reference-data.js';
import type { ReferenceEntity } from '../../common/sync/protocol.js';
import type { HubStore, StoredEvent } from '../store/store.js';
import type { ErasureLogEntry } from '../store/erasure-log.js';
import { HubInputError } from './reference-admin.js';

function parseMemberId(value: unknown): string {
  const parsed = memberIdSchema.safeParse(value);
  if (!parsed.success) throw new HubInputError('INVALID_INPUT', `member id: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

async function requireMember(store: HubStore, memberId: string): Promise<Member> {
  const stored = await store.getReference('member', memberId);
  if (!stored) throw new HubInputError('NOT_FOUND', `no member "${memberId}" in the network; check the id (escale-hub member export takes the member id, not a name)`);
  return memberSchema.parse(stored);
}

async function badgesOf(store: HubStore, memberId: string): Promise<Badge[]> {
  return ((await store.listReference('badge')) as unknown[]).map((b) => badgeSchema.parse(b)).filter((b) => b.memberId === memberId);
}

/** A stored event's payload, parsed with its type's schema (it was valid when stored). */
function payloadOf<T extends EventType>(e: StoredEvent, type: T): EventPayload<T> {
  return eventPayloadSchemas[type].parse(e.payload) as EventPayload<T>;
}

/**
 * Everything the network holds about a member: their reference record, payer and badges, every
 * visit and priced line the stations recorded (with sites and amounts), and past erasures.
 */
export async function exportMember(store: HubStore, memberIdInput: unknown, at: string): Promise<MemberExport> {
  const memberId = parseMemberId(memberIdInput);
  const member = await requireMember(store, memberId);
  const payerData = await store.getReference('payer', member.payerId);
  const siteNames = new Map(((await store.listReference('site')) as { id: string; name: string }[]).map((s) => [s.id, s.name]));
  const site = (siteId: string) => ({ siteId, ...(siteNames.has(siteId) ? { siteName: siteNames.get(siteId)! } : {}) });

  const visits = new Map<string, MemberExport['visits'][number]>();
  const consumption: MemberExport['consumption'] = [];
  for (const e of await store.memberEvents(memberId)) {
    switch (e.type) {
      case 'visit.checked_in': {
        const p = payloadOf(e, 'visit.checked_in');
        const badgeUid = p.person.kind === 'member' ? p.person.badgeUid : undefined;
        visits.set(p.visitId, { visitId: p.visitId, ...site(p.siteId), checkedInAt: p.at, checkedInBy: p.by, ...(badgeUid ? { badgeUid } : {}) });
        break;
      }
      case 'visit.checked_out': {
        const p = payloadOf(e, 'visit.checked_out');
        const v = visits.get(p.visitId);
        if (v) Object.assign(v, { checkedOutAt: p.at, checkedOutBy: p.by, durationMinutes: p.durationMinutes });
        break;
      }
      case 'visit.checkout_undone': {
        // The check-out it names no longer holds: the visit is open until its next one.
        const p = payloadOf(e, 'visit.checkout_undone');
        const v = visits.get(p.visitId);
        if (v && v.checkedOutAt === p.checkedOutAt) {
          delete v.checkedOutAt;
          delete v.checkedOutBy;
          delete v.durationMinutes;
        }
        break;
      }
      case 'visit.voided': {
        const p = payloadOf(e, 'visit.voided');
        const v = visits.get(p.visitId);
        if (v) v.voided = { reason: p.reason, at: p.at };
        break;
      }
      case 'consumption.recorded': {
        const p = payloadOf(e, 'consumption.recorded');
        consumption.push({
          kind: 'recorded',
          consumptionId: p.consumptionId,
          visitId: p.visitId,
          ...site(e.siteId),
          at: p.at,
          serviceCode: p.serviceCode,
          quantity: p.quantity,
          billedQuantity: p.billedQuantity,
          unitPriceCents: p.unitPriceCents,
          vatRateBp: p.vatRateBp,
          tariffVersionId: p.tariffVersionId,
          stars: p.stars,
          localDate: p.localDate,
          netCents: p.netCents,
          vatCents: p.vatCents,
          grossCents: p.grossCents,
        });
        break;
      }
      case 'consumption.voided': {
        const p = payloadOf(e, 'consumption.voided');
        consumption.push({
          kind: 'void',
          consumptionId: p.consumptionId,
          visitId: p.visitId,
          ...site(e.siteId),
          at: p.at,
          voidsConsumptionId: p.voidsConsumptionId,
          reason: p.reason,
          netCents: p.netCents,
          vatCents: p.vatCents,
          grossCents: p.grossCents,
        });
        break;
      }
      default:
        // badge.assigned: the badges themselves are listed from the reference data.
        break;
    }
  }
  const totals = consumption.reduce((t, l) => ({ netCents: t.netCents + l.netCents, vatCents: t.vatCents + l.vatCents, grossCents: t.grossCents + l.grossCents }), {
    netCents: 0,
    vatCents: 0,
    grossCents: 0,
  });
  // Parsed on the way out: what leaves the hub has the documented shape.
  return memberExportSchema.parse({
    format: 'escale.member-export/1',
    exportedAt: at,
    member,
    payer: payerData ? payerSchema.parse(payerData) : null,
    badges: await badgesOf(store, memberId),
    visits: [...visits.values()],
    consumption,
    totals,
    erasures: (await store.listErasures({ memberId, limit: 1000 })).map((e) => ({ at: e.at, by: e.by, reason: e.reason })),
  });
}

/** A pseudonym: random, so nothing about the person can be derived from it. */
const newPseudonym = () => `ERASED-${randomBytes(5).toString('hex').toUpperCase()}`;

/**
 * Erases a member's personal data on request. Their names and e-mail become a pseudonym, their
 * phone goes; the billing facts stay (id, payer, home and agent site, status, language — and every
 * event, which names members only by id), so statements and settlements still add up. Their badges are revoked.
 * When the member pays for themselves, the payer's name (their own) is pseudonymised too; a VAT
 * number stays (invoices must show it). The changes go through the reference change log, so every
 * station replaces the names at its next pull; the audit entry and the changes commit together.
 */
export async function eraseMember(
  store: HubStore,
  memberIdInput: unknown,
  requestInput: unknown,
  at: string,
  /** An erasure of the erasure log applied again (reapplyErasures): its pseudonym, and no new log entry. */
  again?: { pseudonym: string },
): Promise<MemberErasure> {
  const memberId = parseMemberId(memberIdInput);
  const request = memberErasureRequestSchema.safeParse(requestInput);
  if (!request.success) throw new HubInputError('INVALID_INPUT', `erasure refused: ${request.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
  const member = await requireMember(store, memberId);
  if (member.erasedAt) throw new HubInputError('CONFLICT', `member "${memberId}" was already erased at ${member.erasedAt}; nothing left to erase`);

  const pseudonym = again?.pseudonym ?? newPseudonym();
  // The phone a sign-up gave is the person's too: it goes, as the names do (the residue test found
  // it left in the member's record).
  const { blockedReason: _reason, phone: _phone, ...kept } = member;
  const erased: Member = memberSchema.parse({
    ...kept,
    firstName: 'Erased',
    lastName: pseudonym,
    email: erasedEmail(pseudonym),
    // A reason written about the person may name them: a neutral one replaces it.
    ...(member.status === 'blocked' ? { blockedReason: 'Membership suspended by the network.' } : {}),
    erasedAt: at,
  });
  const changes: { entity: ReferenceEntity; key: string; data: unknown }[] = [{ entity: 'member', key: memberId, data: erased }];

  const badges = await badgesOf(store, memberId);
  const revoked = badges.filter((b) => b.status !== 'revoked');
  for (const b of revoked) changes.push({ entity: 'badge', key: b.uid, data: { ...b, status: 'revoked' } });

  // The payer they pay through now, and the one they made for themself at a sign-up (they may have
  // moved to a company since): each names them when it is a self-paying payer nobody else uses.
  const pseudonymisedPayers = new Set<string>();
  const signup = await store.getSignup(memberId);
  const signedUp = signup ? eventPayloadSchemas['member.signed_up'].safeParse(signup.payload) : undefined;
  const ownPayers = [member.payerId, ...(signedUp?.success && signedUp.data.payer.kind === 'self' ? [signedUp.data.payer.payerId] : [])];
  const members = (await store.listReference('member')) as Member[];
  for (const payerId of new Set(ownPayers)) {
    const payerData = await store.getReference('payer', payerId);
    if (!payerData) continue;
    const payer: Payer = payerSchema.parse(payerData);
    const others = members.some((m) => m.payerId === payer.id && m.id !== memberId);
    if (payer.kind === 'self' && !others) {
      changes.push({ entity: 'payer', key: payer.id, data: { ...payer, name: pseudonym } });
      pseudonymisedPayers.add(payer.id);
    }
  }
  // The one they pay through now when it was pseudonymised, else the sign-up's.
  const payerPseudonymised = [...pseudonymisedPayers][0];
  // Payer before member before badges: the order a station applies a page in anyway.
  changes.sort((a, b) => ['payer', 'member', 'badge'].indexOf(a.entity) - ['payer', 'member', 'badge'].indexOf(b.entity));
  // Their sign-up (and those merged into them) named them too: erased with the same pseudonym. A
  // self-paying payer's name in it goes with the payer record's; a provisional member merged into
  // this one paid for themself under a payer of their own, which names them.
  const eraseSignup = (payload: unknown) => {
    const parsed = eventPayloadSchemas['member.signed_up'].safeParse(payload);
    if (!parsed.success) return undefined;
    const own = parsed.data.memberId === memberId;
    return eraseSignedUp(parsed.data, pseudonym, at, own ? pseudonymisedPayers.has(parsed.data.payer.payerId) : true);
  };
  const audit = await store.recordErasure(changes, { memberId, by: request.data.by, reason: request.data.reason }, at, eraseSignup);
  if (!again) appendToLog(store, { kind: 'member.erased', memberId, at, auditId: audit.id, pseudonym }, `member ${memberId} was erased (audit ${audit.id})`);
  return {
    memberId,
    pseudonym,
    erasedAt: at,
    revokedBadges: revoked.map((b) => b.uid),
    ...(payerPseudonymised ? { payerPseudonymised } : {}),
    cursor: audit.cursor,
    auditId: audit.id,
  };
}

/**
 * The hub's own guest purge: every registration whose retention date is before today is redacted.
 * Today is the UTC date: the network's stations keep Brussels time, ahead of UTC, so the hub never
 * purges before a station would (at most two hours after).
 */
export async function purgeDueGuests(store: HubStore, nowMs: number): Promise<string[]> {
  const at = new Date(nowMs).toISOString();
  const { guestIds } = await store.purgeGuests({ retentionBefore: at.slice(0, 10) }, at);
  if (guestIds.length > 0) appendToLog(store, { kind: 'guests.purged', guestIds, at }, `${guestIds.length} guests were purged`);
  return guestIds;
}

/**
 * Appends an erasure, once committed, to the store's erasure log. A log that cannot be written does
 * not undo the erasure: the error says it was made, and the hub's next start writes the entry from
 * the database's audit (a member erasure; a guest purge is found again by its retention date).
 */
export function appendToLog(store: HubStore, entry: ErasureLogEntry, done: string): void {
  if (!store.erasureLog) return;
  try {
    store.erasureLog.append(entry);
  } catch (e) {
    throw new Error(`${done}, but the erasure log ${store.erasureLog.file} could not be written (${(e as Error).message}); the hub's next start writes it`, { cause: e });
  }
}

/** What reapplyErasures did. */
export interface ReappliedErasures {
  /** Members the database held unerased, erased again. */
  members: string[];
  /** Guests whose data the database held, purged again. */
  guests: string[];
  /** Erasures of the database's audit that were missing from the log, written to it now. */
  logged: number;
}

/**
 * Applies again every erasure of the store's erasure log that the database does not hold — a
 * database restored from a backup older than them — with its own time and pseudonym, so the
 * stations' copies and the hub's agree again; and writes to the log the erasures of the database's
 * audit it lacks (an append a crash cut off). Run when the hub opens its store for work: `serve`
 * and every command of escale-hub. Each one applied is logged (ids only).
 */
export async function reapplyErasures(store: HubStore, log: (line: string) => void): Promise<ReappliedErasures> {
  const done: ReappliedErasures = { members: [], guests: [], logged: 0 };
  const erasureLog = store.erasureLog;
  if (!erasureLog) return done;
  const entries = erasureLog.read((problem) => log(`erasure log: ${problem}`));
  const inLog = new Set<string>();
  for (const e of entries) {
    if (e.kind !== 'member.erased') continue;
    inLog.add(`${e.memberId}\u0000${e.at}`);
    const stored = await store.getReference('member', e.memberId);
    if (stored === undefined || stored === null) {
      log(`erasure log: member ${e.memberId} (erased at ${e.at}) is not in this database: nothing to erase`);
      continue;
    }
    if (memberSchema.parse(stored).erasedAt) continue;
    const again = await eraseMember(
      store,
      e.memberId,
      { by: 'erasure-log', reason: `applied again from the erasure log after a restore: the erasure of ${e.at} (audit ${e.auditId})` },
      e.at,
      { pseudonym: e.pseudonym },
    );
    done.members.push(e.memberId);
    log(`erasure log: member ${e.memberId} erased again (the erasure of ${e.at}, audit ${e.auditId}; now audit ${again.auditId}): this database predates it`);
  }

  // Guest purges: only the guests whose data the database still holds are purged again, each with
  // the time of its first purge.
  const purgedAt = new Map<string, string>();
  for (const e of entries) if (e.kind === 'guests.purged') for (const g of e.guestIds) if (!purgedAt.has(g)) purgedAt.set(g, e.at);
  const held = purgedAt.size > 0 ? await store.heldGuests([...purgedAt.keys()]) : [];
  const byTime = new Map<string, string[]>();
  for (const g of held) byTime.set(purgedAt.get(g)!, [...(byTime.get(purgedAt.get(g)!) ?? []), g]);
  for (const [at, guestIds] of byTime) {
    await store.purgeGuests({ guestIds }, at);
    done.guests.push(...guestIds);
  }
  if (done.guests.length > 0) log(`erasure log: ${done.guests.length} guests purged again (their purges were made after this database's backup)`);

  // The other way: an erasure the database holds but the log lacks.
  for (const r of await store.listErasures({ limit: Number.MAX_SAFE_INTEGER })) {
    if (inLog.has(`${r.memberId}\u0000${r.at}`)) continue;
    const member = memberSchema.safeParse(await store.getReference('member', r.memberId));
    if (!member.success || !member.data.erasedAt) continue;
    try {
      erasureLog.append({ kind: 'member.erased', memberId: r.memberId, at: r.at, auditId: r.id, pseudonym: member.data.lastName });
    } catch (e) {
      log(`erasure log: the erasure of member ${r.memberId} at ${r.at} (audit ${r.id}) could not be written: ${(e as Error).message}`);
      continue;
    }
    inLog.add(`${r.memberId}\u0000${r.at}`);
    done.logged++;
  }
  if (done.logged > 0) log(`erasure log: ${done.logged} erasures of the database's audit were missing from ${erasureLog.file}: written now`);
  return done;
}
