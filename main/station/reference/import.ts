// Imports reference data (what the hub will send down later) from a parsed JSON value. The whole
// value is validated first, every reference checked, then written in one transaction: a bad file
// changes nothing, and the error names the field at fault.
import { createHash } from 'node:crypto';
import { referenceDataSchema, referenceIssues, type ReferenceData } from '../../../common/reference-data.js';
import { StationFailure } from '../errors.js';
import { appendEvent, type StreamContext } from '../outbox/outbox.js';
import { searchKey } from '../queries/search-key.js';

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

export function parseReferenceData(value: unknown, source: string): ReferenceData {
  const parsed = referenceDataSchema.safeParse(value);
  const problems = parsed.success
    ? referenceIssues(parsed.data)
    : parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  if (!parsed.success || problems.length > 0) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new StationFailure(
      'REFERENCE_DATA_INVALID',
      `${source} was refused, nothing was imported: ${first?.path || '(top level)'}: ${first?.message ?? 'invalid'}${more}.`,
      problems.slice(0, 20).map((p) => `${p.path}: ${p.message}`).join('\n'),
    );
  }
  return parsed.data;
}

export function importReferenceData(ctx: StreamContext, data: ReferenceData, nowMs: number): { sha256: string; counts: Record<string, number> } {
  const { db } = ctx;
  if (!data.sites.some((s) => s.id === ctx.siteId))
    throw new StationFailure('REFERENCE_DATA_INVALID', `The reference data does not describe this station's site "${ctx.siteId}"; nothing was imported.`, 'sites');
  const sha256 = createHash('sha256').update(JSON.stringify(data)).digest('hex');
  const counts = {
    sites: data.sites.length,
    payers: data.payers.length,
    members: data.members.length,
    badges: data.badges.length,
    services: data.services.length,
    tariffs: data.tariffs.length,
    staff: data.staff.length,
  };
  const payerNames = new Map(data.payers.map((p) => [p.id, p.name]));
  const upsertSite = db.prepare(`INSERT INTO site (id, name, region, stars, time_zone, opening_hours, membership) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET name=excluded.name, region=excluded.region, stars=excluded.stars, time_zone=excluded.time_zone,
      opening_hours=excluded.opening_hours, membership=excluded.membership`);
  const upsertPayer = db.prepare(`INSERT INTO payer (id, kind, name, vat_number, language) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET kind=excluded.kind, name=excluded.name, vat_number=excluded.vat_number, language=excluded.language`);
  const upsertMember = db.prepare(`INSERT INTO member (id, payer_id, first_name, last_name, email, language, status, blocked_reason, home_site_id, agent_site_id, search_text)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET payer_id=excluded.payer_id, first_name=excluded.first_name, last_name=excluded.last_name, email=excluded.email,
      language=excluded.language, status=excluded.status, blocked_reason=excluded.blocked_reason, home_site_id=excluded.home_site_id,
      agent_site_id=excluded.agent_site_id, search_text=excluded.search_text`);
  const upsertBadge = db.prepare(`INSERT INTO badge (uid, member_id, kind, status) VALUES (?, ?, ?, ?)
    ON CONFLICT(uid) DO UPDATE SET member_id=excluded.member_id, kind=excluded.kind, status=excluded.status`);
  const upsertService = db.prepare(`INSERT INTO service (code, names, unit, category) VALUES (?, ?, ?, ?)
    ON CONFLICT(code) DO UPDATE SET names=excluded.names, unit=excluded.unit, category=excluded.category`);
  const upsertTariff = db.prepare(`INSERT INTO tariff_version (id, effective_from) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET effective_from=excluded.effective_from`);
  const clearPrices = db.prepare('DELETE FROM tariff_price WHERE tariff_version_id = ?');
  const insertPrice = db.prepare(`INSERT INTO tariff_price (tariff_version_id, service_code, stars, unit_price_cents, vat_rate_bp, billing_increment_minutes, daily_cap_cents)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const upsertStaff = db.prepare(`INSERT INTO staff (id, name, pin_hash) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, pin_hash=excluded.pin_hash`);

  db.transaction(() => {
    for (const s of data.sites)
      upsertSite.run(s.id, s.name, s.region, s.stars, s.timeZone, JSON.stringify(s.openingHours), JSON.stringify(s.membership));
    for (const p of data.payers) upsertPayer.run(p.id, p.kind, p.name, p.vatNumber ?? null, p.language);
    for (const m of data.members)
      upsertMember.run(m.id, m.payerId, m.firstName, m.lastName, m.email, m.language, m.status, m.blockedReason ?? null, m.homeSiteId, m.agentSiteId ?? null,
        searchKey(`${m.firstName} ${m.lastName} ${m.email} ${payerNames.get(m.payerId) ?? ''}`));
    for (const b of data.badges) upsertBadge.run(b.uid, b.memberId, b.kind, b.status);
    for (const s of data.services) upsertService.run(s.code, JSON.stringify(s.names), s.unit, s.category);
    for (const t of data.tariffs) {
      upsertTariff.run(t.id, t.effectiveFrom);
      // Consumption rows copy the prices they were charged with, so replacing a version's
      // prices never changes a recorded amount.
      clearPrices.run(t.id);
      for (const p of t.prices)
        insertPrice.run(t.id, p.serviceCode, p.stars, p.unitPriceCents, p.vatRateBp, p.billingIncrementMinutes ?? null, p.dailyCapCents ?? null);
    }
    for (const s of data.staff) upsertStaff.run(s.id, s.name, s.pinHash);
    appendEvent(ctx, 'reference.imported', { sha256, counts, at: new Date(nowMs).toISOString() }, nowMs);
  }).immediate();
  return { sha256, counts };
}
