// Consumption: services priced here today, lines added to a visit, voids. The handlers of the
// station API's consumption methods (common/station-api/consumption.ts), over parsed input; api.ts
// wraps them with validation and Results.
import type { StationOutputs } from '../../../common/station-api.js';
import { vatOf } from '../../../common/tariff/pricing.js';
import { recordConsumption, voidConsumption } from './record.js';
import { requireSite, siteClock, sql, writeTransaction } from '../context.js';
import { StationFailure } from '../errors.js';
import { consumptionLines, findVisit, personOf } from '../visits/read.js';
import type { ConsumptionOutputs } from '../../../common/station-api/consumption.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';

export function consumptionHandlers({ ctx, now, today, checkShift }: HandlerDeps): HandlersOf<ConsumptionOutputs> {
  return {
    addConsumption: ({ visitId, serviceCode, quantity, at, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(shiftId);
        const visit = findVisit(ctx, visitId);
        if (visit.void_reason !== null) throw new StationFailure('REFUSED', 'This visit was voided; nothing can be added to it.').saying('visitVoidedNoAdd');
        const atMs = at ? Date.parse(at) : now();
        if (atMs < Date.parse(visit.checked_in_at)) throw new StationFailure('INVALID_INPUT', `at: ${at} is before the visit began (${visit.checked_in_at}).`).saying('lineBeforeVisit', { time: siteClock(ctx, visit.checked_in_at) });
        const id = recordConsumption(ctx, { visit, serviceCode, quantity, atMs, source: 'staff', shiftId });
        return consumptionLines(ctx, 'c.id = ?', id, personOf(ctx, visit).language)[0]!;
      }),
    voidConsumption: ({ consumptionId, reason, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(shiftId);
        const id = voidConsumption(ctx, consumptionId, reason, shiftId);
        const line = consumptionLines(ctx, 'c.id = ?', id, 'en')[0]!;
        const visit = findVisit(ctx, (sql(ctx.db, 'SELECT visit_id FROM consumption WHERE id = ?').get(id) as { visit_id: string }).visit_id);
        return consumptionLines(ctx, 'c.id = ?', id, personOf(ctx, visit).language)[0] ?? line;
      }),
    services: ({ language }) => {
      const site = requireSite(ctx);
      const version = sql(ctx.db, 'SELECT id FROM tariff_version WHERE effective_from <= ? ORDER BY effective_from DESC LIMIT 1').get(today()) as { id: string } | undefined;
      if (!version) throw new StationFailure('NOT_CONFIGURED', `No tariff is in force on ${today()}. Import the network's tariff.`).saying('noTariff', { day: today() });
      const rows = sql(
        ctx.db,
        `SELECT s.code, s.names, s.unit, s.category, p.unit_price_cents, p.vat_rate_bp, p.billing_increment_minutes FROM service s
         JOIN tariff_price p ON p.service_code = s.code AND p.tariff_version_id = ? AND p.stars = ? ORDER BY s.category, s.code`,
      ).all(version.id, site.stars) as { code: string; names: string; unit: StationOutputs['services'][number]['unit']; category: StationOutputs['services'][number]['category']; unit_price_cents: number; vat_rate_bp: number; billing_increment_minutes: number | null }[];
      return rows.map((r) => ({
        code: r.code,
        name: (JSON.parse(r.names) as Record<string, string>)[language] ?? r.code,
        unit: r.unit,
        category: r.category,
        unitPriceCents: r.unit_price_cents,
        vatRateBp: r.vat_rate_bp,
        unitGrossCents: r.unit_price_cents + vatOf(r.unit_price_cents, r.vat_rate_bp),
        ...(r.unit === 'hour' && r.billing_increment_minutes !== null && r.billing_increment_minutes > 1 ? { billingIncrementMinutes: r.billing_increment_minutes } : {}),
      }));
    },
  };
}
