// A small network for the accounts tests: three sites of different star levels, a regional pass,
// a whole-network pass, a company's prepaid hour quota, roaming members, an agent's recruit, a
// tariff change in the middle of October 2026, and a month of traffic through real stations that
// sync to a real hub on 127.0.0.1.
import type { ReferenceDataInput } from '../../common/reference-data.js';
import { hashPin } from '../../main/station/staff/pin.js';
import type { SyncClient } from '../../main/sync/sync-client.js';
import type { Accounts } from '../../server/accounts/accounts.js';
import { importReference } from '../../server/hub/reference-admin.js';
import type { HubStore } from '../../server/store/store.js';
import { unwrap } from './ledger.js';
import { openSiteStation, startSync, startTestHub, type TestHub } from './hub-fixture.js';
import { waitFor } from './wait.js';
import type { TestStation } from './station-fixture.js';

export const SITE_A = 'bxl-a'; // 2 stars, on trial
export const SITE_B = 'gent-b'; // 3 stars
export const SITE_C = 'namur-c'; // 1 star
export const TZ = 'Europe/Brussels';
export const STAFF_PIN = '2468';

const weekdays = { open: '08:00', close: '19:00' };
const hours = { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays };

/** Members: who pays and what plan they hold. */
export const M = {
  pass: 'm-pass', // regional pass for A and B, home A
  roam: 'm-roam', // pay-as-you-go, home B, works at A too
  quota: 'm-quota', // on the acme quota (1,000 minutes), home A
  quota2: 'm-quota2', // acme too, quota of 300 minutes, works at B
  payg: 'm-payg', // pays herself, home C
  recruit: 'm-recruit', // signed up by C as agent, home C, works at B
  network: 'm-network', // whole-network pass from 2026-10-10
} as const;

export function accountsReference(): ReferenceDataInput {
  const staffHash = hashPin(STAFF_PIN);
  const member = (id: string, payerId: string, homeSiteId: string, extra: Record<string, unknown> = {}) => ({
    id, payerId, firstName: id.slice(2, 3).toUpperCase() + id.slice(3), lastName: 'Test', email: `${id}@example.be`, language: 'fr' as const, status: 'active' as const, homeSiteId, ...extra,
  });
  const price = (serviceCode: string, stars: number, unitPriceCents: number, extra: Record<string, unknown> = {}) => ({ serviceCode, stars, unitPriceCents, vatRateBp: 2100, ...extra });
  const tariff = (id: string, effectiveFrom: string, factor: number) => ({
    id,
    effectiveFrom,
    prices: [1, 2, 3].flatMap((stars) => [
      price('desk_hour', stars, Math.round((300 + 100 * stars) * factor), { billingIncrementMinutes: 15, dailyCapCents: Math.round((2000 + 500 * stars) * factor) }),
      price('meeting_room', stars, Math.round((1500 + 500 * stars) * factor), { billingIncrementMinutes: 30 }),
      price('print', stars, 10),
      price('coffee', stars, Math.round(250 * factor), { vatRateBp: 600 }),
    ]),
  });
  return {
    format: 'escale.reference/1',
    sites: [
      { id: SITE_A, name: 'Bruxelles A', region: 'brussels', stars: 2, timeZone: TZ, openingHours: hours, membership: { status: 'trial', trialUntil: '2027-03-31' } },
      { id: SITE_B, name: 'Gent B', region: 'flanders', stars: 3, timeZone: TZ, openingHours: hours, membership: { status: 'confirmed' } },
      { id: SITE_C, name: 'Namur C', region: 'wallonia', stars: 1, timeZone: TZ, openingHours: hours, membership: { status: 'confirmed' } },
    ],
    payers: [
      { id: 'acme', kind: 'company', name: 'Acme SA', vatNumber: 'BE0123456749', language: 'fr' },
      { id: 'self-pass', kind: 'self', name: 'P. Test', language: 'nl' },
      { id: 'self-roam', kind: 'self', name: 'R. Test', language: 'en' },
      { id: 'self-payg', kind: 'self', name: 'G. Test', language: 'fr' },
      { id: 'self-recruit', kind: 'self', name: 'N. Test', language: 'de' },
      { id: 'self-network', kind: 'self', name: 'W. Test', language: 'fr' },
    ],
    members: [
      member(M.pass, 'self-pass', SITE_A),
      member(M.roam, 'self-roam', SITE_B),
      member(M.quota, 'acme', SITE_A),
      member(M.quota2, 'acme', SITE_B),
      member(M.payg, 'self-payg', SITE_C),
      member(M.recruit, 'self-recruit', SITE_C, { agentSiteId: SITE_C }),
      member(M.network, 'self-network', SITE_B, { agentSiteId: SITE_A, signedUpOn: '2026-10-12' }),
    ],
    badges: [],
    services: [
      { code: 'desk_hour', names: { fr: 'Poste de travail', nl: 'Werkplek', en: 'Desk', de: 'Arbeitsplatz' }, unit: 'hour', category: 'workspace' },
      { code: 'meeting_room', names: { fr: 'Salle de réunion', nl: 'Vergaderzaal', en: 'Meeting room', de: 'Besprechungsraum' }, unit: 'hour', category: 'meeting' },
      { code: 'print', names: { fr: 'Impression', nl: 'Afdruk', en: 'Print', de: 'Druck' }, unit: 'page', category: 'print' },
      { code: 'coffee', names: { fr: 'Café', nl: 'Koffie', en: 'Coffee', de: 'Kaffee' }, unit: 'item', category: 'food' },
    ],
    tariffs: [tariff('t2026a', '2026-01-01', 1), tariff('t2026b', '2026-10-16', 1.1)],
    staff: [SITE_A, SITE_B, SITE_C].map((siteId) => ({ id: `clerk-${siteId}`, siteId, name: `Clerk ${siteId}`, pinHash: staffHash })),
    plans: [
      { id: 'pass-ab', kind: 'pass', name: 'Pass A+B', monthlyFeeCents: 25_000, vatRateBp: 2100, sites: [SITE_A, SITE_B] },
      { id: 'pass-all', kind: 'pass', name: 'Pass réseau', monthlyFeeCents: 40_000, vatRateBp: 2100, sites: 'all' },
    ],
    subscriptions: [
      { id: 'sub-pass', memberId: M.pass, planId: 'pass-ab', from: '2026-09-01' },
      { id: 'sub-network', memberId: M.network, planId: 'pass-all', from: '2026-10-10', until: '2026-11-30' },
    ],
    quotas: [
      {
        id: 'acme-q4', payerId: 'acme', name: 'Acme Q4', minutes: 1_500, priceCents: 60_000, vatRateBp: 2100, validFrom: '2026-10-01', validUntil: '2026-12-31',
        allocations: [{ memberId: M.quota, minutes: 1_000 }, { memberId: M.quota2, minutes: 300 }],
      },
    ],
  };
}

export interface NetworkStation {
  siteId: string;
  t: TestStation;
  sync: SyncClient;
  shift: string;
}

export async function openNetworkStations(hub: TestHub): Promise<Record<string, NetworkStation>> {
  const out: Record<string, NetworkStation> = {};
  for (const siteId of [SITE_A, SITE_B, SITE_C]) {
    const { credential } = await hub.enroll(siteId);
    const t = openSiteStation(siteId, { now: '2026-09-30T06:00:00.000Z' });
    const sync = startSync(t.station, { url: hub.url, credential }, { heartbeatMs: 0 });
    if (!(await sync.drained(20_000))) throw new Error(`station ${siteId} did not get the reference data`);
    out[siteId] = { siteId, t, sync, shift: '' };
  }
  return out;
}

/** A deterministic pseudo-random sequence (tests must fail the same way twice). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Brussels is UTC+2 until 2026-10-25, UTC+1 after: a local time as an instant. */
export function brussels(date: string, time: string): string {
  const offset = date < '2026-10-25' ? 2 : 1;
  const [h, m] = time.split(':').map(Number) as [number, number];
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCHours(h - offset, m);
  return d.toISOString();
}

export interface Visit {
  siteId: string;
  memberId: string;
  date: string;
  visitId: string;
}

/**
 * October 2026, every weekday: who comes where, for how long, and what they consume. Returns the
 * visits made (for later corrections). Each step moves the station's clock first. `lastDay` stops
 * after that day of the month (quicker tests); the days run are the same as in the whole month.
 */
export async function runOctober(stations: Record<string, NetworkStation>, options: { lastDay?: number } = {}): Promise<Visit[]> {
  const random = prng(2026_10);
  const visits: Visit[] = [];
  const station = (siteId: string) => stations[siteId]!;
  const plan: { siteId: string; memberId: string; from: string; minutes: number; extras?: [string, number][] }[] = [];
  const lastDay = options.lastDay ?? 31;
  if (!Number.isInteger(lastDay) || lastDay < 1 || lastDay > 31) throw new RangeError(`lastDay must be a day of October (1–31), not ${lastDay}`);
  for (let day = 1; day <= lastDay; day++) {
    const date = `2026-10-${String(day).padStart(2, '0')}`;
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    plan.length = 0;
    const len = (base: number) => base + Math.floor(random() * 8) * 15 + Math.floor(random() * 14);
    plan.push({ siteId: SITE_A, memberId: M.pass, from: '09:00', minutes: len(300), extras: random() < 0.3 ? [['meeting_room', 60]] : [] });
    plan.push({ siteId: SITE_A, memberId: M.quota, from: '09:10', minutes: 240 + (day % 3) * 7 });
    if (day % 2 === 0) plan.push({ siteId: SITE_A, memberId: M.roam, from: '10:00', minutes: len(180), extras: [['coffee', 2]] });
    if (day % 2 === 1) plan.push({ siteId: SITE_B, memberId: M.roam, from: '09:30', minutes: len(420) });
    plan.push({ siteId: SITE_B, memberId: M.quota2, from: '08:45', minutes: len(120) });
    if (day % 3 === 0) plan.push({ siteId: SITE_C, memberId: M.pass, from: '13:00', minutes: len(120), extras: [['print', 12]] }); // pass outside its sites
    plan.push({ siteId: SITE_C, memberId: M.payg, from: '08:30', minutes: len(480), extras: [['meeting_room', 90], ['print', 3]] }); // long: the daily cap
    if (day % 2 === 0) plan.push({ siteId: SITE_B, memberId: M.recruit, from: '11:00', minutes: len(200) });
    if (day >= 5) plan.push({ siteId: random() < 0.5 ? SITE_C : SITE_B, memberId: M.network, from: '09:20', minutes: len(240), extras: [['coffee', 1]] });
    for (const siteId of [SITE_A, SITE_B, SITE_C]) {
      const s = station(siteId);
      s.t.clock.set(brussels(date, '08:05'));
      s.shift = unwrap(await s.t.api.staffSignIn({ staffId: `clerk-${siteId}`, pin: STAFF_PIN })).shiftId;
    }
    // Check-ins in time order at each site, then check-outs.
    const open: { p: (typeof plan)[number]; visitId: string }[] = [];
    for (const p of [...plan].sort((a, b) => (a.from < b.from ? -1 : 1))) {
      const s = station(p.siteId);
      s.t.clock.set(brussels(date, p.from));
      const v = unwrap(await s.t.api.checkIn({ memberId: p.memberId, shiftId: s.shift }));
      open.push({ p, visitId: v.visitId });
      visits.push({ siteId: p.siteId, memberId: p.memberId, date, visitId: v.visitId });
    }
    const outAt = (o: (typeof open)[number]) => Date.parse(brussels(date, o.p.from)) + o.p.minutes * 60_000;
    for (const o of open.sort((a, b) => outAt(a) - outAt(b))) {
      const s = station(o.p.siteId);
      s.t.clock.set(outAt(o) - 30 * 60_000);
      for (const [serviceCode, quantity] of o.p.extras ?? []) unwrap(await s.t.api.addConsumption({ visitId: o.visitId, serviceCode, quantity, shiftId: s.shift }));
      s.t.clock.set(outAt(o));
      // One visit a week is left open: the station closes it at closing time.
      if (o.p.memberId === M.roam && weekday === 3) continue;
      unwrap(await s.t.api.checkOut({ visitId: o.visitId, shiftId: s.shift }));
    }
    for (const siteId of [SITE_A, SITE_B, SITE_C]) {
      const s = station(siteId);
      s.t.clock.set(brussels(date, '19:30'));
      unwrap(await s.t.api.autoClose({}));
      unwrap(await s.t.api.staffSignOut({ shiftId: s.shift }));
    }
  }
  return visits;
}

/** Moves every station's clock to `iso` and waits until all of them have synced (and said so). */
export async function syncAll(stations: Record<string, NetworkStation>, iso: string): Promise<void> {
  for (const s of Object.values(stations)) s.t.clock.set(iso);
  for (const s of Object.values(stations)) if (!(await s.sync.drained(30_000))) throw new Error(`station ${s.siteId} did not drain`);
}

/** Waits until the hub's watermark (the stream's caughtUpAt) of each of `sites` has reached `iso`. */
export async function waitForWatermarks(hub: TestHub, iso: string, sites: readonly string[] = [SITE_A, SITE_B, SITE_C]): Promise<void> {
  await waitFor(async () => {
    const streams = await hub.store.listStreams();
    return sites.every((site) => streams.some((s) => s.siteId === site && (s.caughtUpAt ?? '') >= iso));
  }, `the watermarks of ${sites.join(', ')} to reach ${iso}`);
}

/** Moves the clocks of the stations of `sites` only to `iso`, waits until they synced and the hub's watermarks say so. */
export async function syncSites(hub: TestHub, stations: Record<string, NetworkStation>, sites: readonly string[], iso: string): Promise<void> {
  await syncAll(Object.fromEntries(sites.map((site) => [site, stations[site]!])), iso);
  await waitForWatermarks(hub, iso, sites);
}

export interface NetworkMonth {
  hub: TestHub;
  ref: ReferenceDataInput;
  stations: Record<string, NetworkStation>;
  visits: Visit[];
  /** Stops the stations' sync, closes their databases and the hub. */
  close(): Promise<void>;
}

/**
 * A real hub (with `accounts`, when given) holding the network's reference data, its three
 * stations syncing to it, October run up to `lastDay`, and every station synced at `syncedAt`
 * (the hub's watermarks reached it).
 */
export async function openNetworkMonth(options: { accounts?: (store: HubStore) => Accounts; lastDay?: number; syncedAt: string; now?: () => number }): Promise<NetworkMonth> {
  const ref = accountsReference();
  // The hub's clock (a station's watermark never runs ahead of it) is the story's when given.
  const hub = await startTestHub({ reference: false, ...(options.accounts ? { accounts: options.accounts } : {}), ...(options.now ? { now: options.now } : {}) });
  const stations: Record<string, NetworkStation> = {};
  const close = async () => {
    for (const s of Object.values(stations)) {
      await s.sync.stop();
      s.t.close();
    }
    await hub.close();
  };
  try {
    await importReference(hub.store, ref, '2026-09-01T00:00:00.000Z');
    Object.assign(stations, await openNetworkStations(hub));
    const visits = await runOctober(stations, options.lastDay === undefined ? {} : { lastDay: options.lastDay });
    await syncSites(hub, stations, [SITE_A, SITE_B, SITE_C], options.syncedAt);
    return { hub, ref, stations, visits, close };
  } catch (e) {
    await close();
    throw e;
  }
}
