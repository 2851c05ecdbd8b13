// Agent sale at the hub: every member.signed_up event a station uploads is decided once.
// - confirmed: the member (and their self-paying payer, and their badge) join the network's
//   reference data under the id the station made, with the signing site as agent site and the
//   sign-up's local day as signedUpOn; every station recognises them at its next pull;
// - duplicate_case: the same e-mail, or the same name with the same payer, is already a member:
//   never merged silently, an operator case holding both records (listed, then resolved: confirm as
//   a new member, merge into the existing one, or refuse);
// - refused: the payer is blocked or unknown, or the sign-up names another site than its stream's.
// The decision and its reference changes are written in one transaction, with a `signup` outcome
// entity the signing station pulls (and only it). Sign-ups still to decide are found in the store
// (events without a decision), so a hub stopped mid-way decides them at its next start.
import { z } from 'zod';
import { eventPayloadSchemas, type EventPayload } from '../../common/events.js';
import type { Badge, Member, Payer, SignupOutcomeRecord } from '../../common/reference-data.js';
import type { ReferenceEntity } from '../../common/sync/protocol.js';
import type { HubStore, SignupRecord, StoredEvent } from '../store/store.js';
import { HubInputError } from './reference-admin.js';
import { foldText } from '../../common/text-fold.js';

type SignedUp = EventPayload<'member.signed_up'>;
type Change = { entity: ReferenceEntity; key: string; data: unknown | null };

const outcomeChange = (o: SignupOutcomeRecord): Change => ({ entity: 'signup', key: `${o.siteId}/${o.memberId}`, data: o });

/** The reference changes that make a sign-up a network member. */
async function memberChanges(store: HubStore, s: SignedUp, agentSiteId: string, log: (line: string) => void): Promise<Change[]> {
  const changes: Change[] = [];
  if (s.payer.kind === 'self') {
    const payer: Payer = {
      id: s.payer.payerId,
      kind: 'self',
      name: s.payer.name,
      language: s.person.language,
      billingAddress: s.payer.billingAddress,
      ...(s.payer.vatNumber ? { vatNumber: s.payer.vatNumber } : {}),
    };
    changes.push({ entity: 'payer', key: payer.id, data: payer });
  }
  const member: Member = {
    id: s.memberId,
    payerId: s.payer.payerId,
    firstName: s.person.firstName,
    lastName: s.person.lastName,
    email: s.person.email,
    ...(s.person.phone ? { phone: s.person.phone } : {}),
    language: s.person.language,
    status: 'active',
    homeSiteId: agentSiteId,
    agentSiteId,
    signedUpOn: s.signedUpOn,
  };
  changes.push({ entity: 'member', key: member.id, data: member });
  if (s.badge) {
    const owner = (await store.getReference('badge', s.badge.uid)) as Badge | null | undefined;
    if (owner && owner.memberId !== s.memberId) log(`sign-up ${s.memberId}: badge ${s.badge.uid} belongs to ${owner.memberId} in the network: the member is confirmed without it`);
    else changes.push({ entity: 'badge', key: s.badge.uid, data: { uid: s.badge.uid, memberId: s.memberId, kind: s.badge.kind, status: 'active' } satisfies Badge });
  }
  return changes;
}

/** An existing member who may be the person signing up: the same e-mail, or the same name with the same payer. */
async function possibleDuplicate(store: HubStore, s: SignedUp): Promise<Member | undefined> {
  const members = (await store.listReference('member')) as Member[];
  const email = s.person.email.toLowerCase();
  const name = `${foldText(s.person.firstName)}|${foldText(s.person.lastName)}`;
  const samePayer = async (m: Member): Promise<boolean> => {
    if (s.payer.kind === 'company') return m.payerId === s.payer.payerId;
    // "Themself" as payer: another self-paying member of that name.
    const payer = (await store.getReference('payer', m.payerId)) as Payer | null | undefined;
    return payer?.kind === 'self';
  };
  for (const m of members) {
    if (m.id === s.memberId || m.erasedAt) continue;
    if (m.email.toLowerCase() === email) return m;
  }
  for (const m of members) {
    if (m.id === s.memberId || m.erasedAt) continue;
    if (`${foldText(m.firstName)}|${foldText(m.lastName)}` === name && (await samePayer(m))) return m;
  }
  return undefined;
}

/** Decides one uploaded sign-up (idempotent: a decided one is left as it is). Returns the record, or undefined when decided before. */
export async function decideSignup(store: HubStore, event: Pick<StoredEvent, 'id' | 'siteId' | 'payload'>, at: string, log: (line: string) => void = () => undefined): Promise<SignupRecord | undefined> {
  const parsed = eventPayloadSchemas['member.signed_up'].safeParse(event.payload);
  if (!parsed.success) {
    // Stored as accepted, so it parsed at ingest: only a schema change could bring this here.
    log(`sign-up event ${event.id} does not parse any more: ${parsed.error.issues[0]?.message}; left undecided`);
    return undefined;
  }
  const s = parsed.data;
  const base = { memberId: s.memberId, siteId: event.siteId, eventId: event.id, payload: s, decidedAt: at };
  const refuse = (reason: string, detail: string): SignupRecord => ({ ...base, state: 'refused', reason, detail });
  let record: SignupRecord;
  let changes: Change[] = [];
  const existing = (await store.getReference('member', s.memberId)) as Member | null | undefined;
  if (s.siteId !== event.siteId) record = refuse('site_mismatch', `the sign-up names site ${s.siteId} but came from ${event.siteId}`);
  else if (existing) {
    // Only this sign-up makes this id: the member is there already (an operator put them): confirmed as they are.
    record = { ...base, state: 'confirmed' };
  } else {
    const payer = s.payer.kind === 'company' ? ((await store.getReference('payer', s.payer.payerId)) as Payer | null | undefined) : undefined;
    if (s.payer.kind === 'company' && !payer) record = refuse('payer_unknown', `no payer "${s.payer.payerId}" in the network`);
    else if (payer?.status === 'blocked') record = refuse('payer_blocked', payer.blockedReason ?? `the payer ${payer.name} is blocked`);
    else {
      const duplicate = await possibleDuplicate(store, s);
      if (duplicate)
        record = {
          ...base,
          state: 'duplicate_case',
          duplicateOf: duplicate.id,
          detail: duplicate.email.toLowerCase() === s.person.email.toLowerCase() ? 'the same e-mail address' : 'the same name and payer',
        };
      else {
        record = { ...base, state: 'confirmed' };
        changes = await memberChanges(store, s, event.siteId, log);
      }
    }
  }
  changes.push(outcomeChange(outcomeOf(record)));
  const written = await store.recordSignup(record, changes, at);
  if (!written) return undefined;
  log(`sign-up ${s.memberId} at ${event.siteId}: ${record.state}${record.reason ? ` (${record.reason})` : ''}${record.duplicateOf ? ` — possibly ${record.duplicateOf}` : ''}`);
  return record;
}

function outcomeOf(r: SignupRecord): SignupOutcomeRecord {
  return {
    memberId: r.memberId,
    siteId: r.siteId,
    outcome: r.state,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.detail ? { detail: r.detail.slice(0, 500) } : {}),
    ...(r.duplicateOf ? { duplicateOf: r.duplicateOf } : {}),
    ...(r.mergedInto ? { mergedInto: r.mergedInto } : {}),
    decidedAt: r.resolvedAt ?? r.decidedAt,
  };
}

/**
 * Decides every uploaded sign-up not decided yet, oldest first (so of two sign-ups of one person,
 * the first is confirmed and the second is the case). Returns how many were decided now.
 */
export async function decidePendingSignups(store: HubStore, now: () => number, log: (line: string) => void): Promise<number> {
  let decided = 0;
  for (;;) {
    const pending = await store.pendingSignups(100);
    if (pending.length === 0) return decided;
    let progress = 0;
    for (const event of pending) if (await decideSignup(store, event, new Date(now()).toISOString(), log)) progress++;
    decided += progress;
    // Another hub process decided them meanwhile (or they cannot be decided): the next round finds none, or stops here.
    if (progress === 0) return decided;
  }
}

export const resolveSignupSchema = z.discriminatedUnion('action', [
  /** Not the same person: the sign-up becomes a network member as it was made. */
  z.object({ action: z.literal('confirm'), by: z.string().trim().min(1).max(80) }),
  /** The same person: the existing member stays; the sign-up's badge goes to them. */
  z.object({ action: z.literal('merge'), into: z.string().trim().min(1).max(64).optional(), by: z.string().trim().min(1).max(80) }),
  z.object({ action: z.literal('refuse'), reason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(300), by: z.string().trim().min(1).max(80) }),
]);
export type ResolveSignup = z.infer<typeof resolveSignupSchema>;

/** An operator resolves a sign-up case (a possible duplicate). */
export async function resolveSignupCase(store: HubStore, memberId: string, body: unknown, at: string, log: (line: string) => void = () => undefined): Promise<SignupRecord> {
  const parsed = resolveSignupSchema.safeParse(body);
  if (!parsed.success)
    throw new HubInputError('INVALID_INPUT', `resolution refused: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'action'}: ${i.message}`).join('; ')}`);
  const input = parsed.data;
  const current = await store.getSignup(memberId);
  if (!current) throw new HubInputError('NOT_FOUND', `no sign-up of member "${memberId}" at the hub`);
  if (current.state !== 'duplicate_case') throw new HubInputError('CONFLICT', `the sign-up of "${memberId}" is ${current.state}, not an open case: nothing to resolve`);
  const s = eventPayloadSchemas['member.signed_up'].parse(current.payload);
  let update: Parameters<HubStore['resolveSignup']>[1];
  let changes: Change[] = [];
  if (input.action === 'confirm') {
    update = { state: 'confirmed', detail: 'confirmed as a new member by the operator', resolvedBy: input.by };
    changes = await memberChanges(store, s, current.siteId, log);
  } else if (input.action === 'merge') {
    const into = input.into ?? current.duplicateOf;
    if (!into) throw new HubInputError('INVALID_INPUT', 'into: the member to merge into is required (this case names none)');
    const target = (await store.getReference('member', into)) as Member | null | undefined;
    if (!target) throw new HubInputError('NOT_FOUND', `into: no member "${into}" in the network`);
    if (target.erasedAt) throw new HubInputError('CONFLICT', `into: member "${into}" was erased at their request; confirm the sign-up as a new member instead`);
    update = { state: 'merged', mergedInto: into, detail: `merged into ${into} by the operator`, resolvedBy: input.by };
    // The card given at the reception keeps working: it becomes the existing member's.
    if (s.badge && !(await store.getReference('badge', s.badge.uid)))
      changes.push({ entity: 'badge', key: s.badge.uid, data: { uid: s.badge.uid, memberId: into, kind: s.badge.kind, status: 'active' } satisfies Badge });
  } else update = { state: 'refused', reason: 'operator', detail: input.reason, resolvedBy: input.by };
  const outcome = outcomeOf({ ...current, ...update, resolvedAt: at });
  changes.push(outcomeChange(outcome));
  const resolved = await store.resolveSignup(memberId, update, changes, at);
  if (!resolved) throw new HubInputError('CONFLICT', `the sign-up of "${memberId}" was resolved meanwhile`);
  log(`sign-up case ${memberId} resolved by ${input.by}: ${resolved.state}`);
  return resolved;
}

/** A case as the operator sees it: the sign-up and the member it may duplicate, side by side. */
export async function signupCases(store: HubStore, query: { state?: SignupRecord['state']; siteId?: string; limit: number }): Promise<(SignupRecord & { existing?: unknown })[]> {
  const records = await store.listSignups(query);
  return Promise.all(
    records.map(async (r) => {
      const existing = r.duplicateOf ? await store.getReference('member', r.duplicateOf) : undefined;
      return existing ? { ...r, existing } : r;
    }),
  );
}
