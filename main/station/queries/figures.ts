// Read-only views of the ledger: who is on site now (the evacuation list), a day's figures,
// a member's visits.
import type { DayFigures, OnSiteEntry, VisitDetail, VisitSummary } from '../../../common/station-api.js';
import type { Language } from '../../../common/reference-data.js';
import { localDayBounds } from '../../../common/time.js';
import { sumTotals } from '../../../common/tariff/pricing.js';
import { iso, requireSite, sql, type StationContext } from '../context.js';
import { CURRENT_CHECKOUT, durationMinutes, findVisit, visitDetail, visitSummary } from '../visits/read.js';
import { isPurgedGuest } from '../guests/purge.js';

interface OnSiteRow {
  visit_id: string;
  checked_in_at: string;
  kind: 'member' | 'guest';
  id: string;
  first_name: string;
  last_name: string;
  language: Language;
  company: string | null;
  host_first: string | null;
  host_last: string | null;
}

export function onSite(ctx: StationContext): OnSiteEntry[] {
  const rows = sql(
    ctx.db,
    `SELECT o.visit_id, o.checked_in_at, 'member' AS kind, m.id, m.first_name, m.last_name, m.language,
            CASE p.kind WHEN 'company' THEN p.name END AS company, NULL AS host_first, NULL AS host_last
       FROM open_visit o JOIN member m ON m.id = o.member_id JOIN payer p ON p.id = m.payer_id
     UNION ALL
     SELECT o.visit_id, o.checked_in_at, 'guest', g.id, g.first_name, g.last_name, g.language, g.company, h.first_name, h.last_name
       FROM open_visit o JOIN visit v ON v.id = o.visit_id JOIN guest g ON g.id = v.guest_id LEFT JOIN member h ON h.id = g.host_member_id
     ORDER BY 2`,
  ).all() as OnSiteRow[];
  return rows.map((r) => ({
    visitId: r.visit_id,
    checkedInAt: r.checked_in_at,
    person: {
      kind: r.kind,
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      language: r.language,
      ...(r.company ? { company: r.company } : {}),
      ...(r.kind === 'guest' && isPurgedGuest(r) ? { purged: true as const } : {}),
    },
    ...(r.host_last ? { hostName: `${r.host_first} ${r.host_last}` } : {}),
  }));
}

interface DayVisitRow {
  member_id: string | null;
  guest_id: string | null;
  checked_in_at: string;
  checked_out_at: string | null;
  checked_out_by: string | null;
  voided: number;
}

export function dayFigures(ctx: StationContext, date: string): DayFigures {
  const site = requireSite(ctx);
  const { startMs, endMs } = localDayBounds(date, site.timeZone);
  const visits = sql(
    ctx.db,
    `SELECT v.member_id, v.guest_id, v.checked_in_at, c.checked_out_at, c.checked_out_by, (vv.visit_id IS NOT NULL) AS voided
     FROM visit v LEFT JOIN visit_checkout c ON ${CURRENT_CHECKOUT} LEFT JOIN visit_void vv ON vv.visit_id = v.id
     WHERE v.checked_in_at >= ? AND v.checked_in_at < ?`,
  ).all(iso(startMs), iso(endMs)) as DayVisitRow[];
  const nowMs = ctx.clock.now();
  const members = new Set<string>();
  let counted = 0, voided = 0, guests = 0, open = 0, auto = 0, minutes = 0;
  for (const v of visits) {
    if (v.voided) {
      voided++;
      continue;
    }
    counted++;
    if (v.member_id) members.add(v.member_id);
    else guests++;
    if (!v.checked_out_at) open++;
    if (v.checked_out_by === 'auto') auto++;
    const end = v.checked_out_at ? Date.parse(v.checked_out_at) : Math.min(nowMs, endMs);
    minutes += durationMinutes(v.checked_in_at, end);
  }
  // A line's local day is its visit's check-in day (priceConsumption prices it so): the day's
  // lines are those of the day's visits, found through visit_time and consumption_visit.
  const byService = (
    sql(
      ctx.db,
      `SELECT c.service_code, s.names, SUM(c.billed_quantity) AS billed, SUM(c.net_cents) AS net, SUM(c.vat_cents) AS vat, SUM(c.gross_cents) AS gross
       FROM visit v JOIN consumption c ON c.visit_id = v.id JOIN service s ON s.code = c.service_code
       WHERE v.checked_in_at >= ? AND v.checked_in_at < ? GROUP BY c.service_code ORDER BY c.service_code`,
    ).all(iso(startMs), iso(endMs)) as { service_code: string; names: string; billed: number; net: number; vat: number; gross: number }[]
  ).map((r) => ({
    serviceCode: r.service_code,
    serviceName: (JSON.parse(r.names) as Record<string, string>).en ?? r.service_code,
    billedQuantity: r.billed,
    netCents: r.net,
    vatCents: r.vat,
    grossCents: r.gross,
  }));
  return {
    date,
    timeZone: site.timeZone,
    visits: counted,
    voidedVisits: voided,
    distinctMembers: members.size,
    guests,
    onSiteNow: open,
    autoClosed: auto,
    minutesHosted: minutes,
    byService,
    totals: sumTotals(byService),
  };
}

export function dayVisits(ctx: StationContext, date: string): VisitDetail[] {
  const { startMs, endMs } = localDayBounds(date, requireSite(ctx).timeZone);
  const ids = sql(ctx.db, 'SELECT id FROM visit WHERE checked_in_at >= ? AND checked_in_at < ? ORDER BY checked_in_at DESC').all(iso(startMs), iso(endMs)) as { id: string }[];
  return ids.map(({ id }) => visitDetail(ctx, findVisit(ctx, id)));
}

export function memberVisits(ctx: StationContext, memberId: string, limit: number): VisitSummary[] {
  const ids = sql(ctx.db, 'SELECT id FROM visit WHERE member_id = ? ORDER BY checked_in_at DESC LIMIT ?').all(memberId, limit) as { id: string }[];
  return ids.map(({ id }) => visitSummary(ctx, findVisit(ctx, id)));
}
