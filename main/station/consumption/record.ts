// Recording consumption: priced with the tariff version in force on the visit's local day at
// the site's star level, under what pays for a member's workspace that day (a pass, hours left on
// a company quota, or pay-as-you-go), the daily cap counted over what the person was already
// charged (pay-as-you-go) that day here. A void is a compensating line with the opposite amounts
// and quota minutes; nothing is edited.
import { requireNotInvoiced } from '../payments/read.js';
import { newId } from '../../../common/ids.js';
import { addDays, localDate } from '../../../common/time.js';
import { priceCovered, quotaMinutesOf, type CoveredLine, type Entitlement } from '../../../common/accounts/entitlement.js';
import { coverageSchema } from '../../../common/events.js';
import { StationFailure } from '../errors.js';
import { iso, requireSite, sql, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { memberEntitlement } from '../plans/entitlement.js';
import { priceInForce, type PriceInForce } from '../tariff/lookup.js';
import type { VisitRow } from '../visits/read.js';

export interface RecordConsumption {
  visit: VisitRow;
  serviceCode: string;
  quantity: number;
  /** When it was consumed. */
  atMs: number;
  source: 'checkout' | 'staff';
  shiftId?: string | undefined;
}

export interface PricedConsumption {
  /** The visit's local day: the tariff version, the daily cap and the entitlement are those of that day. */
  day: string;
  found: PriceInForce;
  line: CoveredLine;
}

/**
 * Prices a quantity of a service for a visit as it would be recorded now, without writing
 * anything: what recording uses, and what an open visit shows as its provisional amount.
 * Guests pay as they go; a member's line is priced under their entitlement on the visit's day.
 */
export function priceConsumption(ctx: StationContext, visit: VisitRow, serviceCode: string, quantity: number, entitlement?: Entitlement): PricedConsumption {
  const site = requireSite(ctx);
  const day = localDate(visit.checked_in_at, site.timeZone);
  const found = priceInForce(ctx, serviceCode, site.stars, day);
  // Covered lines hold only their pay-as-you-go part in net_cents: the cap counts exactly that.
  const chargedToday = found.price.dailyCapCents === undefined ? 0 : chargedOnDay(ctx, visit, serviceCode, day);
  const e: Entitlement = entitlement ?? (visit.member_id ? memberEntitlement(ctx, visit.member_id, day) : { kind: 'payg' });
  const line = priceCovered({ unit: found.unit, category: found.category, quantity, price: found.price, chargedTodayCents: chargedToday, entitlement: e });
  return { day, found, line };
}

/**
 * What the visit's person was already charged (pay-as-you-go) for a service on a local day here.
 * A line's local day is its visit's check-in day, so a member's lines of the day are found through
 * their visits that began that day (visit_member_time, consumption_visit): no index on the
 * consumption table by member and day is written on every check-out. The visit range is widened
 * by a day each side so a site that changed time zone still finds them; local_date decides.
 */
function chargedOnDay(ctx: StationContext, visit: VisitRow, serviceCode: string, day: string): number {
  if (visit.member_id === null)
    return (
      sql(ctx.db, 'SELECT COALESCE(SUM(net_cents), 0) AS n FROM consumption WHERE guest_id = ? AND service_code = ? AND local_date = ?').get(
        visit.guest_id,
        serviceCode,
        day,
      ) as { n: number }
    ).n;
  return (
    sql(
      ctx.db,
      `SELECT COALESCE(SUM(c.net_cents), 0) AS n FROM visit v JOIN consumption c ON c.visit_id = v.id
       WHERE v.member_id = ? AND v.checked_in_at >= ? AND v.checked_in_at < ? AND c.service_code = ? AND c.local_date = ?`,
    ).get(visit.member_id, addDays(day, -1), addDays(day, 2), serviceCode, day) as { n: number }
  ).n;
}

/**
 * Whether checking the visit out charges its workspace time by the hour: members, and walk-in
 * guests without a host, pay their time, unless a day or half-day package was already added;
 * a member's visitor does not.
 */
export function chargesWorkspaceTime(ctx: StationContext, visit: VisitRow): boolean {
  if (visit.guest_id !== null) {
    const guest = sql(ctx.db, 'SELECT host_member_id FROM guest WHERE id = ?').get(visit.guest_id) as { host_member_id: string | null } | undefined;
    if (guest?.host_member_id) return false;
  }
  const workspacePackage = sql(
    ctx.db,
    `SELECT 1 FROM consumption c JOIN service s ON s.code = c.service_code
     WHERE c.visit_id = ? AND s.category = 'workspace' AND s.unit IN ('day','half_day') AND c.source <> 'void'
       AND NOT EXISTS (SELECT 1 FROM consumption v WHERE v.voids_id = c.id)`,
  ).get(visit.id);
  return workspacePackage === undefined;
}

export function recordConsumption(ctx: StationContext, r: RecordConsumption): string {
  const site = requireSite(ctx);
  requireNotInvoiced(ctx, r.visit.id);
  const { day, found, line } = priceConsumption(ctx, r.visit, r.serviceCode, r.quantity);
  const quotaId = line.coverage.kind === 'quota' ? line.coverage.quotaId : null;
  const id = newId();
  const at = iso(r.atMs);
  sql(
    ctx.db,
    `INSERT INTO consumption (id, visit_id, member_id, guest_id, service_code, quantity, billed_quantity, tariff_version_id, stars, unit_price_cents,
       vat_rate_bp, net_cents, vat_cents, gross_cents, cap_applied, local_date, at, source, shift_id, coverage, quota_id, quota_minutes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id, r.visit.id, r.visit.member_id, r.visit.guest_id, r.serviceCode, r.quantity, line.billedQuantity, found.tariffVersionId, site.stars,
    found.price.unitPriceCents, found.price.vatRateBp, line.netCents, line.vatCents, line.grossCents, line.capApplied ? 1 : 0, day, at, r.source,
    r.shiftId ?? null, JSON.stringify(line.coverage), quotaId, quotaMinutesOf(line.coverage),
  );
  appendEvent(
    ctx,
    'consumption.recorded',
    {
      consumptionId: id,
      visitId: r.visit.id,
      ...(r.visit.member_id ? { memberId: r.visit.member_id } : { guestId: r.visit.guest_id! }),
      serviceCode: r.serviceCode,
      quantity: r.quantity,
      billedQuantity: line.billedQuantity,
      tariffVersionId: found.tariffVersionId,
      stars: site.stars,
      unitPriceCents: found.price.unitPriceCents,
      vatRateBp: found.price.vatRateBp,
      netCents: line.netCents,
      vatCents: line.vatCents,
      grossCents: line.grossCents,
      capApplied: line.capApplied,
      coverage: line.coverage,
      localDate: day,
      at,
      source: r.source,
      ...(r.shiftId ? { shiftId: r.shiftId } : {}),
    },
    ctx.clock.now(),
  );
  return id;
}

interface ConsumptionRow {
  id: string;
  visit_id: string;
  member_id: string | null;
  guest_id: string | null;
  service_code: string;
  quantity: number;
  billed_quantity: number;
  tariff_version_id: string;
  stars: number;
  unit_price_cents: number;
  vat_rate_bp: number;
  net_cents: number;
  vat_cents: number;
  gross_cents: number;
  local_date: string;
  source: string;
  coverage: string | null;
  quota_id: string | null;
  quota_minutes: number;
}

/** A line's stored coverage; lines from before plans have none: pay-as-you-go. */
export function storedCoverage(json: string | null) {
  if (json === null) return { kind: 'payg' as const };
  const parsed = coverageSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new StationFailure('DATABASE_CORRUPT', 'A consumption line holds a coverage this station cannot read.', parsed.error.issues[0]?.message);
  return parsed.data;
}

export function voidConsumption(ctx: StationContext, consumptionId: string, reason: string, shiftId: string | undefined): string {
  const c = sql(ctx.db, 'SELECT * FROM consumption WHERE id = ?').get(consumptionId) as ConsumptionRow | undefined;
  if (!c) throw new StationFailure('NOT_FOUND', `No consumption ${consumptionId} at this station.`).saying('lineNotFound');
  if (c.source === 'void') throw new StationFailure('REFUSED', 'This line is itself a correction and cannot be voided. Record a new consumption instead.').saying('lineIsCorrection');
  const already = sql(ctx.db, 'SELECT id FROM consumption WHERE voids_id = ?').get(consumptionId) as { id: string } | undefined;
  if (already) throw new StationFailure('CONFLICT', `This consumption was already voided (correction ${already.id}).`).saying('lineAlreadyVoided');
  requireNotInvoiced(ctx, c.visit_id);
  const id = newId();
  const nowMs = ctx.clock.now();
  const at = iso(nowMs);
  sql(
    ctx.db,
    `INSERT INTO consumption (id, visit_id, member_id, guest_id, service_code, quantity, billed_quantity, tariff_version_id, stars, unit_price_cents,
       vat_rate_bp, net_cents, vat_cents, gross_cents, cap_applied, local_date, at, source, voids_id, reason, shift_id, coverage, quota_id, quota_minutes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'void', ?, ?, ?, ?, ?, ?)`,
  ).run(
    id, c.visit_id, c.member_id, c.guest_id, c.service_code, -c.quantity, -c.billed_quantity, c.tariff_version_id, c.stars, c.unit_price_cents,
    c.vat_rate_bp, -c.net_cents, -c.vat_cents, -c.gross_cents, c.local_date, at, c.id, reason, shiftId ?? null,
    // The void names what it compensates and gives the quota's minutes back (the hub links it by voidsConsumptionId).
    c.coverage, c.quota_id, -c.quota_minutes,
  );
  appendEvent(
    ctx,
    'consumption.voided',
    {
      consumptionId: id,
      voidsConsumptionId: c.id,
      visitId: c.visit_id,
      netCents: -c.net_cents,
      vatCents: -c.vat_cents,
      grossCents: -c.gross_cents,
      reason,
      at,
      ...(shiftId ? { shiftId } : {}),
    },
    nowMs,
  );
  return id;
}
