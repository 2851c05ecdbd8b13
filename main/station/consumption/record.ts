// Recording consumption: priced with the tariff version in force on the visit's local day at
// the site's star level, the daily cap counted over what the person was already charged that
// day here. A void is a compensating line with the opposite amounts; nothing is edited.
import { newId } from '../../../common/ids.js';
import { localDate } from '../../../common/time.js';
import { priceLine } from '../../../common/tariff/pricing.js';
import { StationFailure } from '../errors.js';
import { iso, requireSite, sql, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { priceInForce } from '../tariff/lookup.js';
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

export function recordConsumption(ctx: StationContext, r: RecordConsumption): string {
  const site = requireSite(ctx);
  const day = localDate(r.visit.checked_in_at, site.timeZone);
  const found = priceInForce(ctx, r.serviceCode, site.stars, day);
  const who = r.visit.member_id ? { column: 'member_id', id: r.visit.member_id } : { column: 'guest_id', id: r.visit.guest_id! };
  const chargedToday =
    found.price.dailyCapCents === undefined
      ? 0
      : (
          sql(ctx.db, `SELECT COALESCE(SUM(net_cents), 0) AS n FROM consumption WHERE ${who.column} = ? AND service_code = ? AND local_date = ?`).get(
            who.id,
            r.serviceCode,
            day,
          ) as { n: number }
        ).n;
  const line = priceLine({ unit: found.unit, quantity: r.quantity, price: found.price, chargedTodayCents: chargedToday });
  const id = newId();
  const at = iso(r.atMs);
  sql(
    ctx.db,
    `INSERT INTO consumption (id, visit_id, member_id, guest_id, service_code, quantity, billed_quantity, tariff_version_id, stars, unit_price_cents,
       vat_rate_bp, net_cents, vat_cents, gross_cents, cap_applied, local_date, at, source, shift_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id, r.visit.id, r.visit.member_id, r.visit.guest_id, r.serviceCode, r.quantity, line.billedQuantity, found.tariffVersionId, site.stars,
    found.price.unitPriceCents, found.price.vatRateBp, line.netCents, line.vatCents, line.grossCents, line.capApplied ? 1 : 0, day, at, r.source,
    r.shiftId ?? null,
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
}

export function voidConsumption(ctx: StationContext, consumptionId: string, reason: string, shiftId: string | undefined): string {
  const c = sql(ctx.db, 'SELECT * FROM consumption WHERE id = ?').get(consumptionId) as ConsumptionRow | undefined;
  if (!c) throw new StationFailure('NOT_FOUND', `No consumption ${consumptionId} at this station.`);
  if (c.source === 'void') throw new StationFailure('REFUSED', 'This line is itself a correction and cannot be voided. Record a new consumption instead.');
  const already = sql(ctx.db, 'SELECT id FROM consumption WHERE voids_id = ?').get(consumptionId) as { id: string } | undefined;
  if (already) throw new StationFailure('CONFLICT', `This consumption was already voided (correction ${already.id}).`);
  const id = newId();
  const nowMs = ctx.clock.now();
  const at = iso(nowMs);
  sql(
    ctx.db,
    `INSERT INTO consumption (id, visit_id, member_id, guest_id, service_code, quantity, billed_quantity, tariff_version_id, stars, unit_price_cents,
       vat_rate_bp, net_cents, vat_cents, gross_cents, cap_applied, local_date, at, source, voids_id, reason, shift_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'void', ?, ?, ?)`,
  ).run(
    id, c.visit_id, c.member_id, c.guest_id, c.service_code, -c.quantity, -c.billed_quantity, c.tariff_version_id, c.stars, c.unit_price_cents,
    c.vat_rate_bp, -c.net_cents, -c.vat_cents, -c.gross_cents, c.local_date, at, c.id, reason, shiftId ?? null,
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
