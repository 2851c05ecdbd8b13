// Finds the price of a service at this site's star level in the tariff version in force on a
// local day. A missing price is a configuration error, named precisely.
import type { ServiceUnit } from '../../../common/tariff/pricing.js';
import type { Service, TariffPrice } from '../../../common/reference-data.js';
import { StationFailure } from '../errors.js';
import { sql, type StationContext } from '../context.js';

export interface PriceInForce {
  tariffVersionId: string;
  unit: ServiceUnit;
  /** A pass or a quota covers the "workspace" category only. */
  category: Service['category'];
  price: Pick<TariffPrice, 'unitPriceCents' | 'vatRateBp' | 'billingIncrementMinutes' | 'dailyCapCents'>;
}

interface Row {
  unit_price_cents: number;
  vat_rate_bp: number;
  billing_increment_minutes: number | null;
  daily_cap_cents: number | null;
}

export function priceInForce(ctx: StationContext, serviceCode: string, stars: number, localDate: string): PriceInForce {
  const service = sql(ctx.db, 'SELECT unit, category FROM service WHERE code = ?').get(serviceCode) as { unit: ServiceUnit; category: Service['category'] } | undefined;
  if (!service) throw new StationFailure('NOT_FOUND', `There is no service "${serviceCode}" in the network's catalogue.`).saying('serviceUnknown');
  const version = sql(ctx.db, 'SELECT id FROM tariff_version WHERE effective_from <= ? ORDER BY effective_from DESC LIMIT 1').get(localDate) as
    | { id: string }
    | undefined;
  if (!version) throw new StationFailure('NOT_CONFIGURED', `No tariff is in force on ${localDate}. Import the network's tariff.`).saying('noTariff', { day: localDate });
  const row = sql(
    ctx.db,
    'SELECT unit_price_cents, vat_rate_bp, billing_increment_minutes, daily_cap_cents FROM tariff_price WHERE tariff_version_id = ? AND service_code = ? AND stars = ?',
  ).get(version.id, serviceCode, stars) as Row | undefined;
  if (!row)
    throw new StationFailure('NOT_CONFIGURED', `Tariff ${version.id} has no price for "${serviceCode}" at ${stars} stars. Import a complete tariff.`).saying('noPrice');
  const price: PriceInForce['price'] = { unitPriceCents: row.unit_price_cents, vatRateBp: row.vat_rate_bp };
  if (row.billing_increment_minutes !== null) price.billingIncrementMinutes = row.billing_increment_minutes;
  if (row.daily_cap_cents !== null) price.dailyCapCents = row.daily_cap_cents;
  return { tariffVersionId: version.id, unit: service.unit, category: service.category, price };
}
