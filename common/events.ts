// Events: the immutable facts a station appends to its outbox in the same transaction as the
// change they describe. They are what the hub ingests, so every payload has a schema here and is
// parsed as `unknown` wherever it crosses a boundary.
import { z } from 'zod';
import { badgeUidSchema, languageSchema } from './reference-data.js';
import { billingAddressSchema } from './signup.js';
import { invoicedCompanySchema, paymentMethodSchema } from './payments.js';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUIDv7');
const refId = z.string().min(1).max(64);
export const isoInstant = z.iso.datetime({ offset: false, precision: 3 });
const cents = z.number().int();

const amounts = { netCents: cents, vatCents: cents, grossCents: cents };

const deviceRef = z.string().min(1).max(32);
const deviceKind = z.enum(['reader', 'printer']);
/** How the device is attached: which kinds of connection fail is what a network operator compares. */
const deviceConnection = z.enum(['serial', 'hid', 'pcsc', 'tcp', 'file', 'window']);
const printerRoles = z.array(z.enum(['receipt', 'badge'])).min(1);
/** A device's error in a few words: long messages are cut by the station, never refused. */
const shortReason = z.string().min(1).max(200);

/**
 * What paid for a consumption line, as the station saw it offline: the member's pass, their
 * allocation of a company's hour quota (some or all of the billed minutes), or nothing
 * (pay-as-you-go). The hub decides again with the authoritative data and flags a difference.
 */
export const coverageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('payg') }),
  z.object({ kind: z.literal('pass'), planId: refId, subscriptionId: refId }),
  z.object({ kind: z.literal('quota'), quotaId: refId, coveredMinutes: z.number().int().min(0) }),
]);
export type Coverage = z.infer<typeof coverageSchema>;

export const eventPayloadSchemas = {
  'visit.checked_in': z.object({
    visitId: uuid,
    siteId: refId,
    person: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('member'), memberId: refId, badgeUid: badgeUidSchema.optional() }),
      z.object({ kind: z.literal('guest'), guestId: uuid }),
    ]),
    at: isoInstant,
    by: z.enum(['badge', 'staff']),
    shiftId: uuid.optional(),
  }),
  'visit.checked_out': z.object({
    visitId: uuid,
    at: isoInstant,
    by: z.enum(['badge', 'staff', 'auto']),
    durationMinutes: z.number().int().min(0),
    shiftId: uuid.optional(),
  }),
  'visit.voided': z.object({ visitId: uuid, reason: z.string().min(1), at: isoInstant, shiftId: uuid.optional() }),
  /**
   * A check-out undone the same local day (issue 15): the visit named is open again from its
   * check-out at `checkedOutAt`, whose lines were voided just before (consumption.voided); its next
   * check-out bills it again. Append-only: the check-out itself stays in the record.
   */
  'visit.checkout_undone': z.object({
    visitId: uuid,
    checkedOutAt: isoInstant,
    reason: z.string().min(1),
    at: isoInstant,
    shiftId: uuid.optional(),
    /** A member's visit: whose, and since when — the hub puts them on site here again. */
    memberId: refId.optional(),
    checkedInAt: isoInstant.optional(),
  }),
  'consumption.recorded': z.object({
    consumptionId: uuid,
    visitId: uuid,
    memberId: refId.optional(),
    guestId: uuid.optional(),
    serviceCode: refId,
    quantity: z.number().int().min(0),
    billedQuantity: z.number().int().min(0),
    tariffVersionId: refId,
    stars: z.number().int().min(1).max(3),
    unitPriceCents: cents,
    vatRateBp: z.number().int(),
    ...amounts,
    capApplied: z.boolean(),
    /** Absent on lines recorded before plans existed: pay-as-you-go. */
    coverage: coverageSchema.optional(),
    /** The visit's local day at the site (its check-in's date in the site's time zone): the day caps and tariffs go by. */
    localDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
    at: isoInstant,
    source: z.enum(['checkout', 'staff']),
    shiftId: uuid.optional(),
  }),
  'consumption.voided': z.object({
    consumptionId: uuid,
    voidsConsumptionId: uuid,
    visitId: uuid,
    ...amounts,
    reason: z.string().min(1),
    at: isoInstant,
    shiftId: uuid.optional(),
  }),
  // Registered with the guest's personal data, or (after the retention date) in its purged form:
  // the anonymous facts and when the personal fields were erased. See redactGuestRegistered.
  'guest.registered': z.union([
    z.object({
      guestId: uuid,
      firstName: z.string(),
      lastName: z.string(),
      company: z.string().optional(),
      email: z.string().optional(),
      /** As read from the eID or typed at the reception; absent when not given (and in registrations from before it was kept). */
      nationality: z.string().max(60).optional(),
      hostMemberId: refId.optional(),
      consentAt: isoInstant,
      retentionUntil: z.string(),
    }),
    z.object({
      guestId: uuid,
      hostMemberId: refId.optional(),
      consentAt: isoInstant,
      retentionUntil: z.string(),
      /** When the personal fields were erased; their absence is not an omission but a purge. */
      purgedAt: isoInstant,
    }),
  ]),
  /** A guest's personal data was erased at the station: the hub erases its copy too. */
  'guest.purged': z.object({ guestId: uuid, retentionUntil: z.string(), at: isoInstant }),
  'badge.assigned': z.object({ uid: badgeUidSchema, memberId: refId, kind: z.enum(['rfid', 'qr', 'barcode']), at: isoInstant, shiftId: uuid.optional() }),
  /**
   * A reception signed a new member up for the network (offline if need be): the member exists at
   * once at this station under the id it made; the hub confirms them into the network's data, opens
   * an operator case for a possible duplicate, or refuses (a blocked payer), and says so back.
   */
  'member.signed_up': z.object({
    /** m-<UUIDv7>: made by the station, unique network-wide. */
    memberId: refId.regex(/^m-[0-9a-f-]{36}$/, 'a station-made member id (m-<UUIDv7>)'),
    siteId: refId,
    person: z.object({
      firstName: z.string().min(1).max(200),
      lastName: z.string().min(1).max(200),
      email: z.email().max(254),
      phone: z.string().max(40).optional(),
      language: languageSchema,
    }),
    payer: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('company'), payerId: refId }),
      z.object({
        kind: z.literal('self'),
        /** p-<the same UUIDv7>: the payer made for a member paying for themself. */
        payerId: refId.regex(/^p-[0-9a-f-]{36}$/, 'a station-made payer id (p-<UUIDv7>)'),
        name: z.string().min(1).max(200),
        billingAddress: billingAddressSchema,
        vatNumber: z.string().regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/).optional(),
      }),
    ]),
    consent: z.object({ termsVersion: z.string().min(1).max(64), privacyVersion: z.string().min(1).max(64), acceptedAt: isoInstant }),
    badge: z.object({ uid: badgeUidSchema, kind: z.enum(['rfid', 'qr', 'barcode']) }).optional(),
    /** The local day at the signing site: the agent's commission counts from it. */
    signedUpOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    at: isoInstant,
    shiftId: uuid.optional(),
    /**
     * Set when the member was erased at their request (GDPR art. 17): the person's names and
     * e-mail are then the erasure's pseudonym, the phone is gone, and a self-paying payer's name is
     * the pseudonym. See eraseSignedUp.
     */
    erasedAt: isoInstant.optional(),
  }),
  // Device health, so the hub can count a site's device faults in its evaluation. Transitions
  // only (never a retry, never a periodic status): a device found working for the first time, a
  // device that worked going down, its coming back, and a print job given up on. Reasons are the
  // device's own error in a few words (paths, addresses, the printer's name), never a person's data.
  /** The station watches this configured device's health from now on: it was found working for the first time. */
  'device.monitored': z.object({ deviceId: deviceRef, kind: deviceKind, connection: deviceConnection, roles: printerRoles.optional(), at: isoInstant }),
  /** A configured device that worked went down (unplugged, tty hung up, pcscd gone, printer unreachable or out of paper): once per down period. */
  'device.fault': z.object({ deviceId: deviceRef, kind: deviceKind, connection: deviceConnection, roles: printerRoles.optional(), reason: shortReason, at: isoInstant }),
  /** The device of the last device.fault works again; downMinutes: from that fault to now, on the station's clock. */
  'device.recovered': z.object({ deviceId: deviceRef, kind: deviceKind, at: isoInstant, downMinutes: z.number().int().min(0) }),
  /** A print job ended without being printed (it is not retried any more; the reception may reprint it). */
  'print.failed': z.object({
    jobId: uuid,
    kind: z.enum(['receipt', 'badge', 'test', 'welcome', 'shiftReport']),
    /** The printer it was queued for (it may have been removed since). */
    deviceId: deviceRef.optional(),
    reason: shortReason,
    at: isoInstant,
  }),
  'shift.started': z.object({ shiftId: uuid, staffId: refId, at: isoInstant }),
  'shift.ended': z.object({ shiftId: uuid, staffId: refId, at: isoInstant }),
  /**
   * The station refused a call (a kiosk asking for a desk method, a desk method without a signed-in
   * clerk, a wrong PIN, a page from another origin…): the audit trail of who tried what. Coalesced:
   * the first refusal of a kind is appended at once, the same kind again within a minute is counted
   * into the next one (count), so a flood of refusals writes a handful of events, never a flood.
   * Names the method and the window, never the input (a PIN, a person's data).
   */
  'access.refused': z.object({
    /** Where the call came from: a station window (Electron or the local host), or a connection the host refused before any window. */
    window: z.enum(['kiosk', 'reception', 'setup', 'unknown']),
    /** The station method asked for ("(connect)" for a refused connection). */
    method: z.string().min(1).max(64),
    reason: z.enum(['forbidden', 'sign_in_required', 'session_expired', 'supervisor_required', 'pin_invalid', 'pin_locked', 'bad_credential', 'bad_origin']),
    /** The clerk of the session, or the clerk whose PIN was tried. */
    staffId: refId.optional(),
    /** Refusals of this kind since the last event of it (1 for the first). */
    count: z.number().int().min(1),
    at: isoInstant,
  }),
  /** A supervisor lifted a clerk's PIN lockout. */
  'staff.unlocked': z.object({ staffId: refId, by: refId, at: isoInstant }),
  /**
   * Money taken at the desk for a visit (issue 16): cash (tendered, change given back) or card (the
   * terminal is outside Escale: the clerk confirmed its approval, and may give its reference).
   * Append-only: a refund is a payment.refunded naming it.
   */
  'payment.recorded': z.object({
    paymentId: uuid,
    visitId: uuid,
    method: paymentMethodSchema,
    amountCents: cents.positive(),
    tenderedCents: cents.positive().optional(),
    changeCents: cents.min(0).optional(),
    cardReference: z.string().min(1).max(40).optional(),
    /** "Invoice the company": who the network bills for it (the hub makes it a payer, by its VAT number). */
    company: invoicedCompanySchema.optional(),
    /** Cash: the till it went into (till.opened). */
    tillId: uuid.optional(),
    /**
     * The member whose visit it pays (absent: a guest's), so that the hub books a member's payment
     * as a prepayment of their payer's bill even when the visit's lines are older than what it reads.
     */
    memberId: refId.optional(),
    at: isoInstant,
    shiftId: uuid.optional(),
  }),
  /** Money given back on a payment, with the reason: the compensating entry of a payment.recorded. */
  'payment.refunded': z.object({
    refundId: uuid,
    paymentId: uuid,
    visitId: uuid,
    /** The payment's method: cash comes out of the till, card goes back through the terminal, an invoice to a company is withdrawn. */
    method: paymentMethodSchema,
    amountCents: cents.positive(),
    reason: z.string().min(1).max(500),
    /** Cash: the till it came out of. */
    tillId: uuid.optional(),
    /** The member whose visit the payment was for (absent: a guest's). */
    memberId: refId.optional(),
    at: isoInstant,
    shiftId: uuid.optional(),
  }),
  /** A clerk opened the station's till for their shift with a float (the cash in the drawer to give change from). */
  'till.opened': z.object({ tillId: uuid, shiftId: uuid, staffId: refId, floatCents: cents.min(0), at: isoInstant }),
  /**
   * The clerk who opened the till closed it with a count: the shift report. Expected cash is
   * float + cash received (already net of the change given) − cash refunds; the difference (counted − expected) is
   * recorded with the clerk's reason when it is not zero. Card and invoice totals are for the report.
   */
  'till.closed': z.object({
    tillId: uuid,
    shiftId: uuid,
    staffId: refId,
    floatCents: cents.min(0),
    /** Cash kept from payments: tendered less change. */
    cashReceivedCents: cents.min(0),
    cashRefundsCents: cents.min(0),
    cardReceivedCents: cents.min(0),
    cardRefundsCents: cents.min(0),
    /** Invoiced to companies while it was open, less invoices withdrawn meanwhile (negative when an earlier invoice was withdrawn). */
    invoicedCents: cents,
    expectedCents: cents,
    countedCents: cents.min(0),
    differenceCents: cents,
    reason: z.string().min(1).max(500).optional(),
    payments: z.number().int().min(0),
    refunds: z.number().int().min(0),
    openedAt: isoInstant,
    at: isoInstant,
    /** Who counted and closed it: the clerk who opened it, or a supervisor closing a till left open (absent: the clerk who opened it). */
    closedBy: refId.optional(),
  }),
  'reference.imported': z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    counts: z.record(z.string(), z.number().int()),
    at: isoInstant,
  }),
} as const;

export type EventType = keyof typeof eventPayloadSchemas;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloadSchemas)[T]>;
export const EVENT_TYPES = Object.keys(eventPayloadSchemas) as EventType[];

/** The device-health events: the hub's evaluation counts them (and indexes them by site). */
export const DEVICE_EVENT_TYPES = ['device.monitored', 'device.fault', 'device.recovered', 'print.failed'] as const satisfies readonly EventType[];

/** Hybrid logical clock stamp: 15-digit wall milliseconds, ":", 6-digit counter; sorts as text. */
export const hlcSchema = z.string().regex(/^\d{15}:\d{6}$/);

export const streamSchema = z.object({ siteId: refId, epoch: uuid });
export type Stream = z.infer<typeof streamSchema>;

const envelope = { id: uuid, stream: streamSchema, seq: z.number().int().min(1), wallTime: isoInstant, hlc: hlcSchema };

/** Parses an event that crossed a boundary: the envelope, then the payload by its type. */
export const stationEventSchema = z
  .object({ ...envelope, type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]), payload: z.unknown() })
  .transform((e, ctx) => {
    const parsed = eventPayloadSchemas[e.type].safeParse(e.payload);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['payload', ...issue.path] } as never);
      return z.NEVER;
    }
    return { ...e, payload: parsed.data } as StationEvent;
  });

export type StationEvent = {
  [T in EventType]: { id: string; stream: Stream; seq: number; type: T; payload: EventPayload<T>; wallTime: string; hlc: string };
}[EventType];

/** The personal fields of a guest.registered payload: what a purge erases. */
export const GUEST_PERSONAL_FIELDS = ['firstName', 'lastName', 'company', 'email', 'nationality'] as const;

type GuestRegistered = EventPayload<'guest.registered'>;

/**
 * The purged form of a guest.registered payload: the anonymous facts (guest, host member,
 * consent and retention dates) and when the personal fields were erased. Station and hub build
 * it with this one function, from the purge's own time, so both hold the same text. Built from the
 * anonymous facts rather than by deleting GUEST_PERSONAL_FIELDS, so a personal field added to the
 * registration later (as the nationality was) cannot survive a purge by being forgotten here.
 */
export function redactGuestRegistered(payload: GuestRegistered, purgedAt: string): GuestRegistered {
  if ('purgedAt' in payload) return payload;
  return {
    guestId: payload.guestId,
    ...(payload.hostMemberId !== undefined ? { hostMemberId: payload.hostMemberId } : {}),
    consentAt: payload.consentAt,
    retentionUntil: payload.retentionUntil,
    purgedAt,
  };
}

/**
 * Whether two guest.registered payloads state the same anonymous facts. A resend of a guest's
 * registration may meet its purged copy (the hub purged on its own schedule, or the station purged
 * before its ack arrived): that is the same fact, not a different event at the same seq.
 */
export function sameGuestFacts(a: unknown, b: unknown): boolean {
  const facts = (p: unknown) => {
    const parsed = eventPayloadSchemas['guest.registered'].safeParse(p);
    if (!parsed.success) return undefined;
    const r = redactGuestRegistered(parsed.data, '') as { purgedAt?: string };
    delete r.purgedAt;
    return JSON.stringify(r);
  };
  const fa = facts(a);
  return fa !== undefined && fa === facts(b);
}

type MemberSignedUp = EventPayload<'member.signed_up'>;

/** The e-mail address an erased member is given: their pseudonym at a domain that cannot exist. */
export const erasedEmail = (pseudonym: string): string => `${pseudonym.toLowerCase()}@erased.invalid`;

/**
 * The erased form of a member.signed_up payload: the person's names and e-mail become the
 * erasure's pseudonym (as the member record does), the phone goes, and a self-paying payer's name
 * becomes the pseudonym when `payerErased`. The billing facts stay: payer ids, VAT number and
 * billing address (as the payer record keeps them), consent, badge, days. Hub and station build it
 * with this one function from the same pseudonym and time, so both hold the same text.
 */
export function eraseSignedUp(payload: MemberSignedUp, pseudonym: string, erasedAt: string, payerErased: boolean): MemberSignedUp {
  if (payload.erasedAt !== undefined) return payload;
  const { phone: _phone, ...person } = payload.person;
  return eventPayloadSchemas['member.signed_up'].parse({
    ...payload,
    person: { ...person, firstName: 'Erased', lastName: pseudonym, email: erasedEmail(pseudonym) },
    payer: payload.payer.kind === 'self' && payerErased ? { ...payload.payer, name: pseudonym } : payload.payer,
    erasedAt,
  });
}

/**
 * Whether two member.signed_up payloads are the same sign-up, one of them (or both) erased since:
 * a station that had not applied the erasure yet may resend the original after the hub erased its
 * copy (its ack lost), or the other way round. The erased one gives the pseudonym; the other is
 * erased with it and compared. Two unerased sign-ups that differ are different events.
 */
export function sameSignupFacts(a: unknown, b: unknown): boolean {
  const schema = eventPayloadSchemas['member.signed_up'];
  const pa = schema.safeParse(a);
  const pb = schema.safeParse(b);
  if (!pa.success || !pb.success) return false;
  const erased = pa.data.erasedAt !== undefined ? pa.data : pb.data.erasedAt !== undefined ? pb.data : undefined;
  if (!erased) return false;
  const pseudonym = erased.person.lastName;
  const payerErased = erased.payer.kind === 'self' && erased.payer.name === pseudonym;
  const as = (p: MemberSignedUp) => JSON.stringify(schema.parse(eraseSignedUp(p, pseudonym, erased.erasedAt!, payerErased)));
  return as(pa.data) === as(pb.data);
}
