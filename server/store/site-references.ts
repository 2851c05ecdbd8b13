// A station may only name visits, consumption lines, guests, members and payments of its own site
// (../shared/BRIEF.md, "Who may do what"): a visitor badge's QR carries a visit id, a line id is on
// a receipt, so without this rule a station of one site could void another site's line or purge its
// guest at the hub. The rule is written here once, store-independent: which ids an event creates
// (its site owns them from then on) and which it names, and why an event is refused given who owns
// what. Both stores look the owners up in their ingest transaction (one query per upload), judge
// each new event with this, and record what the accepted ones created.
import type { EventType, StationEvent } from '../../common/events.js';

/** What a site owns by creating it. */
export const OWNED_KINDS = ['visit', 'line', 'guest', 'member', 'payment'] as const;
export type OwnedKind = (typeof OWNED_KINDS)[number];

export interface OwnedRef {
  kind: OwnedKind;
  id: string;
}

/**
 * The event types that create an id, and the top-level payload field that holds it. The stores'
 * backfill (a hub database made before ownership was kept) reads the same table, in SQL.
 */
export const CREATED_BY = {
  'visit.checked_in': { kind: 'visit', field: 'visitId' },
  'consumption.recorded': { kind: 'line', field: 'consumptionId' },
  // A void is a compensating line of its own: it may be voided in turn.
  'consumption.voided': { kind: 'line', field: 'consumptionId' },
  'guest.registered': { kind: 'guest', field: 'guestId' },
  // A provisional member: the signing site's until the hub confirms them into the network's data.
  'member.signed_up': { kind: 'member', field: 'memberId' },
  // A payment taken at a desk: only its site may refund it (or withdraw its invoice). Payments
  // stored before this rule have no owner recorded; their refunds still name their visit, which has.
  'payment.recorded': { kind: 'payment', field: 'paymentId' },
} as const satisfies Partial<Record<EventType, { kind: OwnedKind; field: string }>>;

/** The id an event creates, if its type creates one. */
export function createdBy(e: StationEvent): OwnedRef | undefined {
  const made = (CREATED_BY as Partial<Record<EventType, { kind: OwnedKind; field: string }>>)[e.type];
  if (!made) return undefined;
  return { kind: made.kind, id: (e.payload as unknown as Record<string, string>)[made.field]! };
}

/** The ids an event names: each must be of the uploader's site, or unknown to the hub. */
export function namedBy(e: StationEvent): OwnedRef[] {
  const refs: OwnedRef[] = [];
  const add = (kind: OwnedKind, id: string | undefined) => void (id !== undefined && refs.push({ kind, id }));
  switch (e.type) {
    case 'visit.checked_in':
      if (e.payload.person.kind === 'guest') add('guest', e.payload.person.guestId);
      else add('member', e.payload.person.memberId);
      break;
    case 'visit.checked_out':
    case 'visit.voided':
      add('visit', e.payload.visitId);
      break;
    case 'visit.checkout_undone':
      add('visit', e.payload.visitId);
      add('member', e.payload.memberId);
      break;
    case 'consumption.recorded':
      add('visit', e.payload.visitId);
      add('guest', e.payload.guestId);
      add('member', e.payload.memberId);
      break;
    case 'consumption.voided':
      add('line', e.payload.voidsConsumptionId);
      add('visit', e.payload.visitId);
      break;
    case 'guest.registered':
      add('member', e.payload.hostMemberId);
      break;
    case 'guest.purged':
      add('guest', e.payload.guestId);
      break;
    case 'badge.assigned':
      add('member', e.payload.memberId);
      break;
    case 'payment.recorded':
      add('visit', e.payload.visitId);
      break;
    case 'payment.refunded':
      add('payment', e.payload.paymentId);
      add('visit', e.payload.visitId);
      break;
    default:
      break;
  }
  return refs;
}

/** The ids a batch's events create or name, by kind, each once: what a store looks up, in one query. */
export function referencedIds(events: Iterable<StationEvent>): Record<OwnedKind, string[]> {
  const ids: Record<OwnedKind, Set<string>> = { visit: new Set(), line: new Set(), guest: new Set(), member: new Set(), payment: new Set() };
  for (const e of events) {
    const created = createdBy(e);
    if (created) ids[created.kind].add(created.id);
    for (const r of namedBy(e)) ids[r.kind].add(r.id);
  }
  return { visit: [...ids.visit], line: [...ids.line], guest: [...ids.guest], member: [...ids.member], payment: [...ids.payment] };
}

const WORDS: Record<OwnedKind, string> = { visit: 'visit', line: 'consumption line', guest: 'guest', member: 'member', payment: 'payment' };

/**
 * Who owns the ids of one upload: what the store found, then what the upload's accepted events
 * created, in order, so an event may name what an earlier one of the same upload created.
 */
export class SiteOwners {
  /** By kind: the ingest asks this for every event, and a key built per question cost more than the rest. */
  private readonly owners: Record<OwnedKind, Map<string, string>> = { visit: new Map(), line: new Map(), guest: new Map(), member: new Map(), payment: new Map() };
  private readonly networkMembers = new Set<string>();

  /**
   * An owner the store holds. `networkMember`: a member the network's reference data holds (not
   * deleted), whom every site may name — members roam; a provisional one is their site's only.
   */
  known(kind: OwnedKind, id: string, siteId: string, networkMember = false): void {
    this.owners[kind].set(id, siteId);
    if (kind === 'member' && networkMember) this.networkMembers.add(id);
  }

  /**
   * Why `siteId` may not upload `e`, as a sentence for the station's operator and the hub's event
   * listing; undefined when the event creates and names nothing of another site. Ids unknown to
   * the hub pass: there is nothing of another site to protect.
   */
  reasonToReject(siteId: string, e: StationEvent): string | undefined {
    // A visit happens at the site whose station records it: one said to be at another site would
    // be billed, evaluated and listed on site there. (A sign-up naming another site is decided, and
    // refused, by the hub's sign-up decision: its station hears why through the reference data.)
    if (e.type === 'visit.checked_in' && e.payload.siteId !== siteId) return `records a visit at site ${e.payload.siteId}, not at this site (${siteId})`;
    const created = createdBy(e);
    if (created) {
      const owner = this.owners[created.kind].get(created.id);
      if (owner !== undefined && owner !== siteId) return `creates ${WORDS[created.kind]} ${created.id}, already a ${WORDS[created.kind]} of site ${owner}, not of this site (${siteId})`;
    }
    for (const r of namedBy(e)) {
      const owner = this.owners[r.kind].get(r.id);
      if (owner === undefined || owner === siteId) continue;
      if (r.kind === 'member') {
        if (this.networkMembers.has(r.id)) continue;
        return `names member ${r.id} of site ${owner} (signed up there, not yet a network member), not of this site (${siteId})`;
      }
      return `names ${WORDS[r.kind]} ${r.id} of site ${owner}, not of this site (${siteId})`;
    }
    return undefined;
  }

  /**
   * Records the id an accepted event of `siteId` created, for the events after it. Returns it when
   * it had no owner yet: the store then records it.
   */
  accepted(siteId: string, e: StationEvent): OwnedRef | undefined {
    const created = createdBy(e);
    if (!created) return undefined;
    const owners = this.owners[created.kind];
    if (owners.has(created.id)) return undefined;
    owners.set(created.id, siteId);
    return created;
  }
}
