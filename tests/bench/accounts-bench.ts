// The accounts benchmark (npm run bench:accounts): one month of a network of 200 sites, 600,000
// events in the hub's store, then the month's statements (every payer) and its settlement, each
// timed on its own, on the SQLite store and on the PostgreSQL store. Target: ≤ 5 s each. Then the
// month's invoices (issue 17): numbered and stored in one transaction (target ≤ 10 s), then their
// files rendered (each PDF, and the UBL of the companies on Peppol), which happens on first emission.
//
//   node dist/tests/bench/accounts-bench.js [--store sqlite|postgres] [--events N]
//
// The traffic is generated as the stations would have written it (check-ins, check-outs with
// their workspace line, meeting rooms, prints, coffees, voids, reception shifts), priced by the
// stations' own rules without plans, so the hub's re-pricing with passes and quotas differs on
// some lines as it would after a network outage. It is loaded with the store's own batched
// ingest (500 a batch), which is not part of the figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 } from 'uuid';
import type { ReferenceDataInput } from '../../common/reference-data.js';
import type { StationEvent, Stream } from '../../common/events.js';
import { priceLine } from '../../common/tariff/pricing.js';
import { createAccounts } from '../../server/accounts/index.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { SqliteHubStore } from '../../server/store/sqlite-store.js';
import { PostgresHubStore } from '../../server/store/postgres-store.js';
import type { HubStore } from '../../server/store/store.js';
import { startTestPostgres } from '../support/postgres.js';
import { prng } from '../support/accounts-network.js';
import { NETWORK_PROFILE } from '../support/invoice-parties.js';
import { completeFiles, networkProfile, prepareIssue } from '../../server/accounts/invoicing/issue.js';
import { loadAccountsReference } from '../../server/accounts/reference.js';

const args = process.argv.slice(2);
const only = args.includes('--store') ? args[args.indexOf('--store') + 1] : undefined;
const TARGET_EVENTS = args.includes('--events') ? Number(args[args.indexOf('--events') + 1]) : 600_000;
const SITES = 200;
const MEMBERS = 24_000;
const PERIOD = '2026-10';
const TARGET_SECONDS = 5;
const INVOICES_TARGET_SECONDS = 10;

/** A valid Belgian enterprise number for company i (check digits: 97 − the first eight mod 97). */
function enterpriseNumber(i: number): string {
  const eight = String(4_000_000 + i).padStart(8, '0');
  return eight + String(97 - (Number(eight) % 97)).padStart(2, '0');
}

const hours = { open: '08:00', close: '19:00' };
const openingHours = { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours };

function network(): ReferenceDataInput {
  const random = prng(200);
  const regions = ['brussels', 'wallonia', 'flanders'] as const;
  const sites = Array.from({ length: SITES }, (_, i) => ({
    id: `site-${i}`, name: `Centre ${i}`, region: regions[i % 3]!, stars: 1 + (i % 3), timeZone: 'Europe/Brussels', openingHours,
    membership: i % 10 === 0 ? { status: 'trial' as const, trialUntil: '2027-06-30' } : { status: 'confirmed' as const },
  }));
  const payers = [
    ...Array.from({ length: 400 }, (_, i) => ({
      id: `co-${i}`, kind: 'company' as const, name: `Company ${i}`, language: (['fr', 'nl', 'en', 'de'] as const)[i % 4]!,
      vatNumber: `BE${enterpriseNumber(i)}`, enterpriseNumber: enterpriseNumber(i), peppolId: `0208:${enterpriseNumber(i)}`,
      // A payer on Peppol has its address (the reference import refuses one without).
      billingAddress: { street: `Rue de l'Industrie ${i + 1}`, postalCode: '1040', city: 'Bruxelles', country: 'BE' },
    })),
    ...Array.from({ length: 4_000 }, (_, i) => ({ id: `self-${i}`, kind: 'self' as const, name: `Self ${i}`, language: 'fr' as const })),
  ];
  const members = Array.from({ length: MEMBERS }, (_, i) => ({
    id: `m-${i}`, payerId: i % 6 === 0 ? `self-${i % 4000}` : `co-${i % 400}`, firstName: 'M', lastName: `${i}`, email: `m${i}@example.be`, language: 'fr' as const,
    status: 'active' as const, homeSiteId: `site-${i % SITES}`, ...(i % 7 === 0 ? { agentSiteId: `site-${(i * 13) % SITES}` } : {}),
  }));
  const price = (serviceCode: string, stars: number, cents: number, extra = {}) => ({ serviceCode, stars, unitPriceCents: cents, vatRateBp: 2100, ...extra });
  const tariff = (id: string, from: string, f: number) => ({
    id, effectiveFrom: from,
    prices: [1, 2, 3].flatMap((s) => [
      price('desk_hour', s, Math.round((300 + 100 * s) * f), { billingIncrementMinutes: 15, dailyCapCents: Math.round((2000 + 500 * s) * f) }),
      price('meeting_room', s, Math.round((1500 + 500 * s) * f), { billingIncrementMinutes: 30 }),
      price('print', s, 10),
      price('coffee', s, 250, { vatRateBp: 600 }),
    ]),
  });
  const regional = (r: number) => sites.filter((_, i) => i % 3 === r).slice(0, 8).map((s) => s.id);
  return {
    format: 'escale.reference/1',
    network: NETWORK_PROFILE,
    sites, payers, members, badges: [],
    services: [
      { code: 'desk_hour', names: { fr: 'Poste', nl: 'Werkplek', en: 'Desk', de: 'Arbeitsplatz' }, unit: 'hour', category: 'workspace' },
      { code: 'meeting_room', names: { fr: 'Salle', nl: 'Zaal', en: 'Room', de: 'Raum' }, unit: 'hour', category: 'meeting' },
      { code: 'print', names: { fr: 'Impression', nl: 'Afdruk', en: 'Print', de: 'Druck' }, unit: 'page', category: 'print' },
      { code: 'coffee', names: { fr: 'Café', nl: 'Koffie', en: 'Coffee', de: 'Kaffee' }, unit: 'item', category: 'food' },
    ],
    tariffs: [tariff('t-a', '2026-01-01', 1), tariff('t-b', '2026-10-16', 1.1)],
    staff: [],
    plans: [
      ...[0, 1, 2].map((r) => ({ id: `regional-${r}`, kind: 'pass' as const, name: `Regional ${r}`, monthlyFeeCents: 25_000, vatRateBp: 2100, sites: regional(r) })),
      { id: 'network', kind: 'pass' as const, name: 'Network', monthlyFeeCents: 40_000, vatRateBp: 2100, sites: 'all' as const },
    ],
    subscriptions: members.filter((_, i) => i % 10 === 3).map((m, i) => ({ id: `sub-${m.id}`, memberId: m.id, planId: i % 4 === 3 ? 'network' : `regional-${i % 3}`, from: random() < 0.5 ? '2026-09-01' : '2026-10-12' })),
    quotas: Array.from({ length: 50 }, (_, q) => ({
      id: `quota-${q}`, payerId: `co-${q}`, name: `Hours ${q}`, minutes: 60_000, priceCents: 900_000, vatRateBp: 2100, validFrom: '2026-10-01', validUntil: '2026-12-31',
      allocations: members.filter((m) => m.payerId === `co-${q}`).slice(0, 20).map((m) => ({ memberId: m.id, minutes: 2_400 })),
    })),
  };
}

/** Brussels wall time → UTC (UTC+2 until 25 October 2026, UTC+1 after). */
const at = (day: number, minutes: number) => new Date(Date.UTC(2026, 9, day, 0, minutes - (day < 25 ? 120 : 60))).toISOString();
const hlc = (iso: string, n: number) => `${String(Date.parse(iso)).padStart(15, '0')}:${String(n % 1_000_000).padStart(6, '0')}`;

/** The month's events, per site stream, in each stream's order. */
function traffic(ref: ReferenceDataInput): Map<string, { stream: Stream; events: StationEvent[] }> {
  const random = prng(600);
  const streams = new Map(ref.sites.map((s) => [s.id, { stream: { siteId: s.id, epoch: v7() }, events: [] as StationEvent[] }]));
  const price = (tariffs: ReferenceDataInput['tariffs'], day: number, code: string, stars: number) => {
    const t = day >= 16 ? tariffs[1]! : tariffs[0]!;
    return { id: t.id, p: t.prices.find((p) => p.serviceCode === code && p.stars === stars)! };
  };
  let total = 0;
  const byHome = new Map<string, ReferenceDataInput['members']>();
  for (const m of ref.members) byHome.set(m.homeSiteId, [...(byHome.get(m.homeSiteId) ?? []), m]);
  const days = Array.from({ length: 31 }, (_, i) => i + 1).filter((d) => ![0, 6].includes(new Date(Date.UTC(2026, 9, d)).getUTCDay()));
  // About 3.3 events per visit and two shift events per site and day: visits per site and day to reach the target.
  const perSiteDay = Math.max(1, Math.round((TARGET_EVENTS / days.length / SITES - 2) / 3.3));
  for (const day of days) {
    for (const site of ref.sites) {
      const s = streams.get(site.id)!;
      const push = (type: StationEvent['type'], payload: unknown, wall: string) => {
        s.events.push({ id: v7(), stream: s.stream, seq: s.events.length + 1, type, payload, wallTime: wall, hlc: hlc(wall, s.events.length) } as StationEvent);
        total++;
      };
      const shiftId = v7();
      push('shift.started', { shiftId, staffId: 'clerk', at: at(day, 475) }, at(day, 475));
      const charged = new Map<string, number>();
      for (let v = 0; v < perSiteDay && total < TARGET_EVENTS; v++) {
        // Most members work at their home site; one visit in four is roaming (anyone, anywhere).
        const locals = byHome.get(site.id)!;
        const member = random() < 0.75 ? locals[Math.floor(random() * locals.length)]! : ref.members[Math.floor(random() * ref.members.length)]!;
        const visitId = v7();
        const start = 480 + Math.floor(random() * 300);
        const minutes = 30 + Math.floor(random() * 480);
        const localDate = `2026-10-${String(day).padStart(2, '0')}`;
        push('visit.checked_in', { visitId, siteId: site.id, person: { kind: 'member', memberId: member.id }, at: at(day, start), by: 'badge' }, at(day, start));
        const line = (code: string, quantity: number, when: string) => {
          const { id, p } = price(ref.tariffs, day, code, site.stars);
          const key = `${member.id}|${code}`;
          const unit = code === 'desk_hour' || code === 'meeting_room' ? 'hour' : 'item';
          const l = priceLine({ unit, quantity, price: p, chargedTodayCents: charged.get(key) ?? 0 });
          if (p.dailyCapCents !== undefined) charged.set(key, (charged.get(key) ?? 0) + l.netCents);
          const consumptionId = v7();
          push('consumption.recorded', {
            consumptionId, visitId, memberId: member.id, serviceCode: code, quantity, billedQuantity: l.billedQuantity, tariffVersionId: id, stars: site.stars,
            unitPriceCents: p.unitPriceCents, vatRateBp: p.vatRateBp, netCents: l.netCents, vatCents: l.vatCents, grossCents: l.grossCents, capApplied: l.capApplied,
            localDate, at: when, source: code === 'desk_hour' ? 'checkout' : 'staff',
          }, when);
          return { consumptionId, l };
        };
        const out = at(day, start + minutes);
        if (random() < 0.15) line('meeting_room', 60, at(day, start + 10));
        if (random() < 0.1) {
          const c = line('coffee', 1, at(day, start + 20));
          if (random() < 0.2) push('consumption.voided', { consumptionId: v7(), voidsConsumptionId: c.consumptionId, visitId, netCents: -c.l.netCents, vatCents: -c.l.vatCents, grossCents: -c.l.grossCents, reason: 'wrong member', at: at(day, start + 25) }, at(day, start + 25));
        }
        push('visit.checked_out', { visitId, at: out, by: random() < 0.05 ? 'auto' : 'badge', durationMinutes: minutes }, out);
        line('desk_hour', minutes, out);
      }
      push('shift.ended', { shiftId, staffId: 'clerk', at: at(day, 1150) }, at(day, 1150));
    }
  }
  return streams;
}

async function load(store: HubStore, ref: ReferenceDataInput, streams: Map<string, { stream: Stream; events: StationEvent[] }>): Promise<number> {
  await importReference(store, ref, '2026-09-01T00:00:00.000Z');
  const t0 = performance.now();
  for (const { stream, events } of streams.values()) {
    for (let i = 0; i < events.length; i += 500) {
      const batch = events.slice(i, i + 500);
      await store.ingest(stream.siteId, stream, batch.map((event) => ({ kind: 'valid' as const, seq: event.seq, event })), { receivedAt: '2026-11-02T08:00:00.000Z', clockOffsetMs: 0, flags: [] });
    }
    await store.markCaughtUp(stream, '2026-11-05T08:00:00.000Z');
  }
  return (performance.now() - t0) / 1000;
}

/**
 * Each report is timed twice: first as a fresh process (`escale-hub statements` from the shell)
 * meets it, the code not yet optimised by V8; then as a serving hub answers the admin page, warm.
 * The target is checked on both; the cold figure is the one a shell user waits for.
 */
async function measure(kind: string, store: HubStore, events: number, loadSeconds: number) {
  const accounts = createAccounts(store, { now: () => Date.parse('2026-11-05T12:00:00.000Z') });
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number, number]> => {
    const t = performance.now();
    const value = await fn();
    return [value, (performance.now() - t) / 1000, accounts.lastEventsRead];
  };
  const [statements, statementCold, read] = await timed(() => accounts.statements(PERIOD));
  const [settlement, settlementCold] = await timed(() => accounts.settlement(PERIOD));
  (globalThis as { gc?: () => void }).gc?.();
  const [, statementWarm] = await timed(() => accounts.statements(PERIOD));
  const [, settlementWarm] = await timed(() => accounts.settlement(PERIOD));
  const billed = statements.reduce((n, s) => n + s.totals.netCents, 0);
  const paid = settlement.sites.reduce((n, s) => n + s.payoutCents, 0) + settlement.network.retainedCents;
  const verdict = (s: number) => (s <= TARGET_SECONDS ? 'PASS' : 'MISS');
  const rate = (seconds: number) => `${Math.round(events / seconds).toLocaleString('en')} events of the month/s`;
  console.log(`\n${kind} store — ${events.toLocaleString('en')} events loaded in ${loadSeconds.toFixed(1)} s (store.ingest, not part of the figures); ${read.toLocaleString('en')} lines and voids read per report`);
  console.log(`  statements ${PERIOD}: ${statements.length} payers, ${statements.reduce((n, s) => n + s.lines.length, 0).toLocaleString('en')} lines`);
  console.log(`    first call (cold process) ${statementCold.toFixed(2)} s, ${rate(statementCold)} (target ≤ ${TARGET_SECONDS} s: ${verdict(statementCold)})`);
  console.log(`    serving hub (warm)        ${statementWarm.toFixed(2)} s, ${rate(statementWarm)} (target ≤ ${TARGET_SECONDS} s: ${verdict(statementWarm)})`);
  console.log(`  settlement ${PERIOD}: ${settlement.sites.length} sites, ${settlement.cases.priceDifferences.length.toLocaleString('en')} price differences flagged`);
  console.log(`    after the statements      ${settlementCold.toFixed(2)} s, ${rate(settlementCold)} (target ≤ ${TARGET_SECONDS} s: ${verdict(settlementCold)})`);
  console.log(`    serving hub (warm)        ${settlementWarm.toFixed(2)} s, ${rate(settlementWarm)} (target ≤ ${TARGET_SECONDS} s: ${verdict(settlementWarm)})`);
  console.log(`  check: billed ${(billed / 100).toFixed(2)} € = centers' payouts + network retained ${(paid / 100).toFixed(2)} € → ${billed === paid ? 'equal' : 'DIFFERENT'}`);
  // The month's invoices from its statements, as a close issues them: numbered in one transaction, then their files.
  const t0 = performance.now();
  const network = await networkProfile(store);
  if (!network) throw new Error('the benchmark network has its legal profile: its invoices should issue');
  const issue = await prepareIssue(store, await loadAccountsReference(store), PERIOD, statements, '2026-11-05T12:00:00.000Z', network);
  if (!(await store.issueDocuments(issue))) throw new Error(`${PERIOD}'s invoices were issued already`);
  const numbered = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await completeFiles(store, await store.listDocuments({ period: PERIOD }));
  const rendered = (performance.now() - t1) / 1000;
  const docs = await store.listDocuments({ period: PERIOD });
  const bytes = docs.reduce((n, d) => n + (d.ubl?.length ?? 0) + (d.pdf?.length ?? 0), 0);
  console.log(`  invoices ${PERIOD}: ${docs.length} documents (${docs.filter((d) => d.ubl).length} UBL on Peppol), ${(bytes / 1e6).toFixed(1)} MB of files`);
  console.log(`    issued (numbered, stored) ${numbered.toFixed(2)} s (target ≤ ${INVOICES_TARGET_SECONDS} s: ${numbered <= INVOICES_TARGET_SECONDS ? 'PASS' : 'MISS'})`);
  console.log(`    their files rendered      ${rendered.toFixed(2)} s, ${(docs.length / rendered).toFixed(0)} documents/s (on first emission, not in the close)`);
}

const ref = network();
const events = [...traffic(ref).values()].reduce((n, s) => n + s.events.length, 0);
console.log(`accounts benchmark — ${SITES} sites, ${MEMBERS.toLocaleString('en')} members, ${ref.subscriptions!.length.toLocaleString('en')} passes, ${ref.quotas!.length} quotas, ${events.toLocaleString('en')} events in ${PERIOD}`);

/** Loads a fresh copy of the traffic (the same, from the same seed) and lets it go before measuring: the hub holds no stations' events in memory. */
async function run(kind: string, store: HubStore): Promise<void> {
  const loadSeconds = await load(store, ref, traffic(ref));
  (globalThis as { gc?: () => void }).gc?.();
  await measure(kind, store, events, loadSeconds);
}

if (only !== 'postgres') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escale-accounts-bench-'));
  const store = new SqliteHubStore(path.join(dir, 'hub.sqlite'));
  try {
    await run('sqlite', store);
  } finally {
    await store.close();
    if (!process.env.KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}
if (only !== 'sqlite') {
  const pg = await startTestPostgres({ settings: { fsync: 'on', full_page_writes: 'on' } });
  const store = await PostgresHubStore.connect(await pg.newDatabase());
  try {
    await run('postgres', store);
  } finally {
    await store.close();
    await pg.stop();
  }
}
