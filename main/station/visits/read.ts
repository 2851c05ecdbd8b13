// Reads visits back as the summaries and details the API answers with.
import type { ConsumptionLine, PersonRef, VisitDetail, VisitSummary } from '../../../common/station-api.js';
import type { Language } from '../../../common/reference-data.js';
import { sumTotals } from '../../../common/tariff/pricing.js';
import { localDate } from '../../../common/time.js';
import { StationFailure } from '../errors.js';
import { sql, type StationContext } from '../context.js';
import { chargesWorkspaceTime, priceConsumption, storedCoverage } from '../consumption/record.js';
import { memberEntitlement } from '../plans/entitlement.js';
import { isPurgedGuest } from '../guests/purge.js';

export interface VisitRow {
  id: string;
  site_id: string;
  member_id: string | null;
  guest_id: string | null;
  badge_uid: string | null;
  checked_in_at: string;
  checked_in_by: 'badge' | 'staff';
  checked_out_at: string | null;
  checked_out_by: 'badge' | 'staff' | 'auto' | null;
  void_reason: string | null;
  voided_at: string | null;
}

/**
 * The join condition of a visit `v` and its check-out `c`: the one no undo names (an undone
 * check-out stays in visit_checkout, append-only; migration 012).
 */
export const CURRENT_CHECKOUT = `c.visit_id = v.id AND NOT EXISTS (SELECT 1 FROM visit_checkout_undo u WHERE u.visit_id = c.visit_id AND u.checked_out_at = c.checked_out_at)`;

const VISIT_SELECT = `SELECT v.id, v.site_id, v.member_id, v.guest_id, v.badge_uid, v.checked_in_at, v.checked_in_by,
  c.checked_out_at, c.checked_out_by, vv.reason AS void_reason, vv.voided_at
  FROM visit v LEFT JOIN visit_checkout c ON ${CURRENT_CHECKOUT} LEFT JOIN visit_void vv ON vv.visit_id = v.id`;

export function findVisit(ctx: StationContext, visitId: string): VisitRow {
  const row = sql(ctx.db, `${VISIT_SELECT} WHERE v.id = ?`).get(visitId) as VisitRow | undefined;
  if (!row) throw new StationFailure('NOT_FOUND', `No visit ${visitId} at this station. Check the id, or search the person instead.`).saying('visitUnknown');
  return row;
}

export interface PersonRow {
  id: string;
  first_name: string;
  last_name: string;
  language: Language;
  company: string | null;
  /** Guests only (members have none). */
  nationality?: string | null;
}

export function memberRef(ctx: StationContext, memberId: string): PersonRef {
  const r = sql(
    ctx.db,
    `SELECT m.id, m.first_name, m.last_name, m.language, CASE p.kind WHEN 'company' THEN p.name END AS company
     FROM member m JOIN payer p ON p.id = m.payer_id WHERE m.id = ?`,
  ).get(memberId) as PersonRow | undefined;
  if (!r) throw new StationFailure('NOT_FOUND', `No member ${memberId} in this station's reference data.`).saying('memberUnknown');
  return toRef('member', r);
}

export function guestRef(ctx: StationContext, guestId: string): PersonRef {
  const r = sql(ctx.db, 'SELECT id, first_name, last_name, language, company, nationality FROM guest WHERE id = ?').get(guestId) as PersonRow | undefined;
  if (!r) throw new StationFailure('NOT_FOUND', `No guest ${guestId} at this station.`).saying('guestUnknown');
  return toRef('guest', r);
}

/** A person's reference from their row (member: with the payer's name when a company pays). */
export function toRef(kind: 'member' | 'guest', r: PersonRow): PersonRef {
  const ref: PersonRef = { kind, id: r.id, firstName: r.first_name, lastName: r.last_name, language: r.language };
  if (r.company) ref.company = r.company;
  if (r.nationality) ref.nationality = r.nationality;
  if (kind === 'guest' && isPurgedGuest(r)) ref.purged = true;
  return ref;
}

export const personOf = (ctx: StationContext, v: VisitRow): PersonRef => (v.member_id ? memberRef(ctx, v.member_id) : guestRef(ctx, v.guest_id!));

export function durationMinutes(fromIso: string, toMs: number): number {
  return Math.max(0, Math.ceil((toMs - Date.parse(fromIso)) / 60_000));
}

/** What the caller already holds, so the summary does not read it again (the tap path). */
export interface KnownOfVisit {
  person?: PersonRef | undefined;
  /** The sum of the visit's lines; zero for a visit just begun. */
  totals?: VisitSummary['totals'] | undefined;
}

export const NO_LINES: VisitSummary['totals'] = Object.freeze({ netCents: 0, vatCents: 0, grossCents: 0 });

export function visitSummary(ctx: StationContext, v: VisitRow, known: KnownOfVisit = {}): VisitSummary {
  const totals =
    known.totals !== undefined
      ? { ...known.totals }
      : (sql(
          ctx.db,
          'SELECT COALESCE(SUM(net_cents),0) AS netCents, COALESCE(SUM(vat_cents),0) AS vatCents, COALESCE(SUM(gross_cents),0) AS grossCents FROM consumption WHERE visit_id = ?',
        ).get(v.id) as VisitSummary['totals']);
  const end = v.checked_out_at ? Date.parse(v.checked_out_at) : v.voided_at ? Date.parse(v.voided_at) : ctx.clock.now();
  const s: VisitSummary = {
    visitId: v.id,
    person: known.person ?? personOf(ctx, v),
    checkedInAt: v.checked_in_at,
    checkedInBy: v.checked_in_by,
    autoClosed: v.checked_out_by === 'auto',
    durationMinutes: durationMinutes(v.checked_in_at, end),
    totals,
  };
  if (v.badge_uid) s.badgeUid = v.badge_uid;
  if (v.checked_out_at) s.checkedOutAt = v.checked_out_at;
  if (v.checked_out_by) s.checkedOutBy = v.checked_out_by;
  if (v.void_reason && v.voided_at) s.voided = { reason: v.void_reason, at: v.voided_at };
  if (!v.checked_out_at && !v.voided_at) provisional(ctx, v, s);
  return s;
}

/** What an open visit would cost if checked out now, and what applies to a member's workspace. */
function provisional(ctx: StationContext, v: VisitRow, s: VisitSummary): void {
  const site = ctx.site;
  if (v.member_id && site) s.entitlement = memberEntitlement(ctx, v.member_id, localDate(v.checked_in_at, site.timeZone));
  const p: NonNullable<VisitSummary['provisional']> = { ...s.totals };
  if (s.durationMinutes > 0 && chargesWorkspaceTime(ctx, v)) {
    try {
      const { line } = priceConsumption(ctx, v, ctx.settings.workspaceService, s.durationMinutes, s.entitlement);
      p.netCents += line.netCents;
      p.vatCents += line.vatCents;
      p.grossCents += line.grossCents;
      p.workspaceCoverage = line.coverage;
    } catch (e) {
      // Without a price for the workspace (tariff not imported yet) the visit is still shown; the
      // check-out will name what is missing.
      if (!(e instanceof StationFailure) || e.code !== 'NOT_CONFIGURED') throw e;
      return;
    }
  }
  s.provisional = p;
}

interface LineRow {
  id: string;
  service_code: string;
  names: string;
  unit: string;
  quantity: number;
  billed_quantity: number;
  unit_price_cents: number;
  vat_rate_bp: number;
  net_cents: number;
  vat_cents: number;
  gross_cents: number;
  cap_applied: number;
  coverage: string | null;
  at: string;
  source: 'checkout' | 'staff' | 'void';
  voids_id: string | null;
  voided_by: string | null;
  reason: string | null;
  billing_increment_minutes: number | null;
}

export function consumptionLines(ctx: StationContext, where: string, arg: string, language: Language): ConsumptionLine[] {
  const rows = sql(
    ctx.db,
    `SELECT c.id, c.service_code, s.names, s.unit, c.quantity, c.billed_quantity, c.unit_price_cents, c.vat_rate_bp, c.net_cents, c.vat_cents,
       c.gross_cents, c.cap_applied, c.coverage, c.at, c.source, c.voids_id, vb.id AS voided_by, c.reason,
       tp.billing_increment_minutes
     FROM consumption c JOIN service s ON s.code = c.service_code LEFT JOIN consumption vb ON vb.voids_id = c.id
       LEFT JOIN tariff_price tp ON tp.tariff_version_id = c.tariff_version_id AND tp.service_code = c.service_code AND tp.stars = c.stars
     WHERE ${where} ORDER BY c.at, c.id`,
  ).all(arg) as LineRow[];
  return rows.map((r) => {
    const line: ConsumptionLine = {
      id: r.id,
      serviceCode: r.service_code,
      serviceName: (JSON.parse(r.names) as Record<Language, string>)[language],
      quantity: r.quantity,
      billedQuantity: r.billed_quantity,
      unit: r.unit,
      unitPriceCents: r.unit_price_cents,
      vatRateBp: r.vat_rate_bp,
      netCents: r.net_cents,
      vatCents: r.vat_cents,
      grossCents: r.gross_cents,
      capApplied: r.cap_applied === 1,
      coverage: storedCoverage(r.coverage),
      at: r.at,
      source: r.source,
    };
    if (r.voids_id) line.voidsId = r.voids_id;
    if (r.voided_by) line.voidedBy = r.voided_by;
    if (r.reason) line.reason = r.reason;
    if (r.unit === 'hour' && r.billing_increment_minutes !== null && r.billing_increment_minutes > 1) line.billingIncrementMinutes = r.billing_increment_minutes;
    return line;
  });
}

export function visitDetail(ctx: StationContext, v: VisitRow, person: PersonRef = personOf(ctx, v)): VisitDetail {
  const lines = consumptionLines(ctx, 'c.visit_id = ?', v.id, person.language);
  const totals = sumTotals(lines);
  return { ...visitSummary(ctx, v, { person, totals }), lines, totals };
}

/**
 * A visit just checked out, with what applies to the member's workspace now that this visit drew
 * on it (hours left on the quota after it), for the goodbye screen and the clerk.
 */
export function checkedOutDetail(ctx: StationContext, v: VisitRow, person?: PersonRef): VisitDetail {
  const detail = visitDetail(ctx, v, person);
  if (v.member_id && ctx.site) detail.entitlement = memberEntitlement(ctx, v.member_id, localDate(v.checked_in_at, ctx.site.timeZone));
  return detail;
}
