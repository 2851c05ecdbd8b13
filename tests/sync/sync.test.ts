// Sync between real stations and a real hub on 127.0.0.1 (SQLite store in a temporary folder):
// reference data down, events up exactly once, changes at the hub reaching the station after
// its next pull, roaming, the snapshot of a too-old cursor, and the sync status the reception sees.
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncClient } from '../../main/sync/sync-client.js';
import type { SyncStatus } from '../../common/sync/status.js';
import { unwrap } from '../support/ledger.js';
import { FaultyProxy } from '../support/faulty-proxy.js';
import { openTestStation, type TestStation } from '../support/station-fixture.js';
import { EVENTS_UPLOAD, MAX_BATCH_BYTES, REFERENCE_PULL } from '../../common/sync/protocol.js';
import {
  activeUids,
  appendRawEvent,
  demoReferenceFile,
  expectSameEvents,
  openSiteStation,
  outboxRows,
  startSync,
  startTestHub,
  storedEvents,
  tapMany,
  type TestHub,
} from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hubAndStation(options: { siteId?: string } = {}): Promise<{ hub: TestHub; t: TestStation; credential: string; sync: (o?: Parameters<typeof startSync>[2]) => SyncClient }> {
  const hub = await startTestHub();
  cleanups.push(() => hub.close());
  const siteId = options.siteId ?? SITE;
  const { credential } = await hub.enroll(siteId);
  const t = openSiteStation(siteId);
  cleanups.push(() => t.close());
  return {
    hub,
    t,
    credential,
    sync: (o) => {
      const client = startSync(t.station, { url: hub.url, credential }, o);
      cleanups.push(() => client.stop());
      return client;
    },
  };
}

const count = (t: TestStation, table: string, where = '1') => (contextOf(t.station).db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;

describe('reference data down', () => {
  it('a fresh station with no data pulls the whole network from the hub, and can then check members in', async () => {
    const { t, sync } = await hubAndStation();
    expect(contextOf(t.station).site).toBeUndefined();
    const client = sync();
    expect(await client.drained(20_000)).toBe(true);
    const ref = demoReferenceFile() as unknown as Record<string, { siteId?: string }[]>;
    expect(count(t, 'site')).toBe(ref.sites!.length);
    expect(count(t, 'payer')).toBe(ref.payers!.length);
    expect(count(t, 'member')).toBe(ref.members!.length);
    expect(count(t, 'badge')).toBe(ref.badges!.length);
    expect(count(t, 'service')).toBe(ref.services!.length);
    expect(count(t, 'tariff_version')).toBe(ref.tariffs!.length);
    // Each station gets its own site's reception staff only.
    expect(count(t, 'staff')).toBe(ref.staff!.filter((s) => s.siteId === SITE).length);
    expect(contextOf(t.station).site?.id).toBe(SITE);
    const tap = unwrap(await t.api.tap({ uid: activeUids()[0]! }));
    expect(tap.outcome).toBe('checked_in');
  });
});

describe('the watermark of a station with nothing to send', () => {
  it('a new site’s station that has written no event yet is known at the hub from its heartbeat, its watermark moving with it', async () => {
    const { hub, t, sync } = await hubAndStation();
    const client = sync({ heartbeatMs: 0 });
    expect(await client.drained(20_000)).toBe(true);
    expect(count(t, 'outbox')).toBe(0);
    const stream = async () => (await hub.store.listStreams(SITE)).find((s) => s.epoch === contextOf(t.station).epoch);
    await waitFor(async () => (await stream())?.caughtUpAt !== undefined, 'the heartbeat to give the stream a watermark');
    const first = (await stream())!;
    expect(first).toMatchObject({ siteId: SITE, ackedSeq: 0 });
    t.clock.advance(3_600_000);
    await waitFor(async () => (await stream())!.caughtUpAt! > first.caughtUpAt!, 'the watermark to move on with the station’s clock');
    // Its first events continue that stream, without an epoch-change alert.
    tapMany(t, activeUids(), 3);
    await waitFor(async () => (await stream())!.ackedSeq === count(t, 'outbox'), 'the first events to be acked');
    expect((await hub.store.listAlerts(10)).filter((a) => a.kind === 'epoch_change')).toEqual([]);
  });
});

describe('events up', () => {
  it("uploads every tap: the hub's events equal the station's outbox (ids, seq, payloads), none twice, even when everything is sent again", async () => {
    const { hub, t, sync } = await hubAndStation();
    let client = sync({ batchSize: 37 });
    expect(await client.drained(20_000)).toBe(true);
    const { outcomes } = tapMany(t, activeUids(), 400, 5_000);
    expect(outcomes.checked_in).toBeGreaterThan(0);
    expect(outcomes.checked_out).toBeGreaterThan(0);
    expect(await client.drained(30_000)).toBe(true);
    const outbox = outboxRows(contextOf(t.station).db);
    expect(outbox.length).toBeGreaterThan(400);
    expectSameEvents(await storedEvents(hub.store, SITE), outbox);
    const [stream] = await hub.store.listStreams(SITE);
    expect(stream).toMatchObject({ epoch: contextOf(t.station).epoch, ackedSeq: outbox.length });

    // The station forgets every ack (as after lost acks) and sends it all again: nothing doubles.
    await client.stop();
    contextOf(t.station).db.prepare('DELETE FROM sync_stream').run();
    expect(unwrap(await t.api.syncStatus({})).backlog).toBe(outbox.length);
    client = sync({ batchSize: 500 });
    expect(await client.drained(30_000)).toBe(true);
    expectSameEvents(await storedEvents(hub.store, SITE), outbox);
    expect(await hub.store.countEvents()).toBe(outbox.length);
  });
});

describe('batches within the hub’s limits', () => {
  it('a backlog of large events with non-ASCII text goes up in batches under MAX_BATCH_BYTES, never refused', async () => {
    const { hub, t, sync } = await hubAndStation();
    // Valid events of about 8 kB of UTF-8 each (1.5 bytes per character): 500 of them would be 4 MB.
    const counts = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`catégorie-${i}-${'é'.repeat(40)}`, i]));
    for (let i = 0; i < 300; i++) {
      t.clock.advance(1_000);
      appendRawEvent(t, 'reference.imported', { sha256: 'a'.repeat(64), counts, at: new Date(t.clock.now()).toISOString() });
    }
    const uploads: number[] = [];
    hub.hub.io.on('connection', (socket) => socket.on(EVENTS_UPLOAD, (batch: { events: unknown[] }) => void uploads.push(Buffer.byteLength(JSON.stringify(batch.events)))));
    const client = sync();
    expect(await client.drained(30_000)).toBe(true);
    expect(hub.logs.filter((l) => l.includes('refused'))).toEqual([]);
    expect(uploads.length).toBeGreaterThan(2);
    expect(Math.max(...uploads)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expectSameEvents(await storedEvents(hub.store, SITE), outboxRows(contextOf(t.station).db));
  });
});

describe('changes at the hub reach the station at its next pull', () => {
  it('a badge lost and a member blocked through the admin API are refused at the station after the poke', async () => {
    const { hub, t, sync } = await hubAndStation();
    const client = sync({ pullIntervalMs: 3_600_000 });
    expect(await client.drained(20_000)).toBe(true);
    const [lostUid, blockedUid] = activeUids((m) => m.homeSiteId === SITE);
    const member = demoReferenceFile().badges.find((b) => b.uid === blockedUid)!.memberId;

    await hub.admin('POST', `badges/${lostUid}/lose`);
    await hub.admin('POST', `members/${member}/block`, { reason: 'Unpaid invoices: please see the reception.' });
    // No periodic pull for an hour: only the hub's poke brings the change.
    await waitFor(() => count(t, 'badge', `uid = '${lostUid}' AND status = 'lost'`) === 1 && count(t, 'member', `id = '${member}' AND status = 'blocked'`) === 1, 'the change at the station');

    const lost = unwrap(await t.api.tap({ uid: lostUid! }));
    expect(lost).toMatchObject({ outcome: 'refused', reason: 'badge_lost' });
    const blocked = unwrap(await t.api.tap({ uid: blockedUid! }));
    expect(blocked).toMatchObject({ outcome: 'refused', reason: 'member_blocked', message: 'Unpaid invoices: please see the reception.' });
  });

  it('a pass and a company quota put through the admin API change what a tap says applies; the hub’s corrected count comes back down', async () => {
    const { hub, t, sync } = await hubAndStation();
    const client = sync({ pullIntervalMs: 3_600_000 });
    expect(await client.drained(20_000)).toBe(true);
    const data = demoReferenceFile();
    const uidOf = (memberId: string) => data.badges.find((b) => b.memberId === memberId && b.kind === 'rfid' && b.status === 'active')!.uid;
    // Members the demo data leaves on pay-as-you-go: one to get a pass, one of Meridian Pharma's staff to get hours.
    const [passHolder, quotaHolder] = ['m0001', 'm0003'];
    const tapAt = async (memberId: string, iso: string) => {
      t.clock.set(iso);
      return unwrap(await t.api.tap({ uid: uidOf(memberId) }));
    };
    expect(await tapAt(passHolder, '2026-11-24T08:00:00.000Z')).toMatchObject({ outcome: 'checked_in', visit: { entitlement: { kind: 'payg' } } });
    expect(await tapAt(quotaHolder, '2026-11-24T08:00:00.000Z')).toMatchObject({ outcome: 'checked_in', visit: { entitlement: { kind: 'payg' } } });
    expect(await tapAt(quotaHolder, '2026-11-24T09:00:00.000Z')).toMatchObject({ outcome: 'checked_out', visit: { totals: { netCents: 500 } } });

    await hub.admin('POST', 'entities/plan', { id: 'pass-louise', kind: 'pass', name: 'Pass Louise', monthlyFeeCents: 9_900, vatRateBp: 2100, sites: [SITE] });
    await hub.admin('POST', 'entities/subscription', { id: 'sub-louise-1', memberId: passHolder, planId: 'pass-louise', from: '2026-11-01' });
    const quota = {
      id: 'quota-meridian-extra', payerId: 'meridian-pharma', name: 'Meridian extra 10 h', minutes: 600, priceCents: 4_500, vatRateBp: 2100,
      validFrom: '2026-11-01', validUntil: '2027-10-31', allocations: [{ memberId: quotaHolder, minutes: 600 }],
      used: { [quotaHolder]: 30 }, usedAsOf: '2026-11-24T09:30:00.000Z',
    };
    await hub.admin('POST', 'entities/quota', quota);
    // No periodic pull for an hour: the hub's poke brings them.
    await waitFor(() => count(t, 'subscription', `id = 'sub-louise-1'`) === 1 && count(t, 'quota', `id = 'quota-meridian-extra'`) === 1, 'the plans at the station');

    // The pass holder checked in before the pass arrived: the check-out is priced with it.
    const out = await tapAt(passHolder, '2026-11-24T11:00:00.000Z');
    expect(out).toMatchObject({ outcome: 'checked_out', visit: { entitlement: { kind: 'pass', planName: 'Pass Louise' }, totals: { grossCents: 0 } } });
    // 600 − 30 counted by the hub; this morning's hour was pay-as-you-go, drawing nothing.
    const quotaIn = await tapAt(quotaHolder, '2026-11-24T10:00:00.000Z');
    expect(quotaIn).toMatchObject({ outcome: 'checked_in', visit: { entitlement: { kind: 'quota', quotaName: 'Meridian extra 10 h', minutesLeft: 570 } } });
    expect(await tapAt(quotaHolder, '2026-11-24T12:00:00.000Z')).toMatchObject({ outcome: 'checked_out', visit: { totals: { netCents: 0 }, entitlement: { minutesLeft: 450 } } });

    // Up to the hub, accepted, with what paid for them.
    expect(await client.drained(20_000)).toBe(true);
    const lines = (await storedEvents(hub.store, SITE)).filter((e) => e.type === 'consumption.recorded');
    expect(lines.map((e) => [e.status, (e.payload as { coverage?: unknown }).coverage])).toEqual([
      ['accepted', { kind: 'payg' }],
      ['accepted', { kind: 'pass', planId: 'pass-louise', subscriptionId: 'sub-louise-1' }],
      ['accepted', { kind: 'quota', quotaId: 'quota-meridian-extra', coveredMinutes: 120 }],
    ]);

    // The hub's count, now holding those two hours and an hour at another site, replaces the station's.
    await hub.admin('POST', 'entities/quota', { ...quota, used: { [quotaHolder]: 210 }, usedAsOf: '2026-11-24T12:30:00.000Z' });
    await waitFor(() => count(t, 'quota', `id = 'quota-meridian-extra' AND data LIKE '%"usedAsOf":"2026-11-24T12:30:00.000Z"%'`) === 1, 'the corrected count at the station');
    expect(await tapAt(quotaHolder, '2026-11-24T13:00:00.000Z')).toMatchObject({ outcome: 'checked_in', visit: { entitlement: { minutesLeft: 390 } } });
  });

  it('roaming: a member whose home site is another center is recognised and checked in', async () => {
    const { hub, t, sync } = await hubAndStation({ siteId: 'gent-zuid' });
    const client = sync();
    expect(await client.drained(20_000)).toBe(true);
    const roamer = activeUids((m) => m.homeSiteId === SITE)[0]!;
    const tap = unwrap(await t.api.tap({ uid: roamer }));
    expect(tap.outcome).toBe('checked_in');
    expect(await client.drained(20_000)).toBe(true);
    const events = await storedEvents(hub.store, 'gent-zuid');
    const checkIn = events.find((e) => e.type === 'visit.checked_in')!;
    expect(checkIn.payload).toMatchObject({ siteId: 'gent-zuid', person: { kind: 'member', badgeUid: roamer } });
  });

  it('a cursor older than the change log gets a full snapshot: a badge deleted at the hub is gone, nothing else is', async () => {
    const { hub, t, sync } = await hubAndStation();
    let client = sync();
    expect(await client.drained(20_000)).toBe(true);
    await client.stop();
    const cursorBefore = Number((contextOf(t.station).db.prepare(`SELECT value FROM station_meta WHERE key = 'ref_cursor'`).get() as { value: string }).value);
    const [goneUid, lostUid] = activeUids();
    // While the station is away: one badge deleted (a tombstone), one lost, then the log compacted.
    await hub.store.putReference([{ entity: 'badge', key: goneUid!, data: null }], new Date(Date.now() - 60_000).toISOString());
    await hub.admin('POST', `badges/${lostUid}/lose`);
    const compacted = await hub.store.compactReference(new Date().toISOString());
    expect(compacted.removed).toBe(1);
    expect(compacted.minCursor).toBeGreaterThan(cursorBefore);
    // The tombstone is no longer in the log: only a snapshot can tell the station.
    expect((await hub.store.referencePage(cursorBefore, false, 10)).snapshot).toBe(true);

    client = sync();
    expect(await client.drained(20_000)).toBe(true);
    expect(count(t, 'badge', `uid = '${goneUid}'`)).toBe(0);
    expect(count(t, 'badge', `uid = '${lostUid}' AND status = 'lost'`)).toBe(1);
    const ref = demoReferenceFile();
    expect(count(t, 'badge')).toBe(ref.badges.length - 1);
    expect(count(t, 'member')).toBe(ref.members.length);
    // Members untouched by the deletion are not blocked as "removed" by the snapshot.
    expect(count(t, 'member', "status = 'active'")).toBe(ref.members.filter((m) => m.status === 'active').length);
    expect(count(t, 'site')).toBe(8);
    expect(contextOf(t.station).site?.id).toBe(SITE);
    expect(unwrap(await t.api.tap({ uid: goneUid! }))).toMatchObject({ outcome: 'unknown_badge' });
    // Caught up: the next pull is by cursor again, not another snapshot.
    const meta = contextOf(t.station).db.prepare(`SELECT key, value FROM station_meta WHERE key LIKE 'ref_%'`).all() as { key: string; value: string }[];
    expect(Object.fromEntries(meta.map((m) => [m.key, m.value]))).toEqual({ ref_cursor: String(await latestCursor(hub)) });
  });
});

describe('a snapshot in several pages', () => {
  it('a badge deleted at the hub while a station is between two pages of its snapshot is gone at the station', async () => {
    const { hub, t, sync } = await hubAndStation();
    // More live entities than one page (1,000): the fresh station's snapshot takes two pulls.
    const members = demoReferenceFile().members;
    await hub.store.putReference(
      Array.from({ length: 1_200 }, (_, i) => ({ entity: 'badge' as const, key: `EXTRA${i}`, data: { uid: `EXTRA${i}`, memberId: members[i % members.length]!.id, kind: 'qr', status: 'active' } })),
      new Date().toISOString(),
    );
    const victim = activeUids()[0]!;
    let deleted = false;
    // Between the first page and the second, at the hub: the victim (sent in page 1) is deleted.
    hub.hub.io.on('connection', (socket) =>
      socket.onAny((event: string, request: { snapshot?: boolean }) => {
        if (event !== REFERENCE_PULL || request.snapshot !== true || deleted) return;
        deleted = true;
        void hub.store.putReference([{ entity: 'badge', key: victim, data: null }], new Date().toISOString());
      }),
    );
    const client = sync();
    expect(await client.drained(20_000)).toBe(true);
    expect(deleted).toBe(true);
    expect(count(t, 'badge', `uid = '${victim}'`)).toBe(0);
    expect(count(t, 'badge')).toBe(demoReferenceFile().badges.length + 1_200 - 1);
  });
});

async function latestCursor(hub: TestHub): Promise<number> {
  let page = await hub.store.referencePage(null, false, 5000);
  while (page.more) page = await hub.store.referencePage(page.cursor, true, 5000);
  return page.cursor;
}

describe('sync status through the station API', () => {
  it('offline with a backlog and its age, then online, drained, with the last success; progress while a backlog drains', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const { credential } = await hub.enroll(SITE);
    // The station has its own copy of the reference data: it works before it ever reaches the hub.
    const t = openTestStation();
    cleanups.push(() => t.close());
    // Its import of the reference data is its first event.
    expect(unwrap(await t.api.syncStatus({}))).toMatchObject({ configured: false, online: false, backlog: 1, problems: [] });

    const proxy = await FaultyProxy.start(hub.url);
    cleanups.push(() => proxy.close());
    unwrap(await t.api.configureHub({ url: proxy.url, credential }));
    const importedAt = new Date(t.clock.now()).toISOString();
    tapMany(t, activeUids(), 600, 5_000);
    const backlog = count(t, 'outbox');
    // Configured, no sync client yet: what the database knows.
    let status: SyncStatus = unwrap(await t.api.syncStatus({}));
    expect(status).toMatchObject({ configured: true, hubUrl: proxy.url, online: false, backlog, oldestUnsyncedAt: importedAt });
    expect(status.oldestUnsyncedAgeMs).toBe(t.clock.now() - Date.parse(importedAt));

    // The hub is unreachable: the client runs, the station says it is offline, nothing is lost.
    await proxy.refuse();
    const client = startSync(t.station, { url: proxy.url, credential }, { batchSize: 20 });
    cleanups.push(() => client.stop());
    await waitFor(async () => unwrap(await t.api.syncStatus({})).lastError !== undefined, 'a connection error');
    status = unwrap(await t.api.syncStatus({}));
    expect(status).toMatchObject({ configured: true, online: false, backlog, oldestUnsyncedAt: importedAt });
    expect(status.lastSuccessAt).toBeUndefined();

    // Reachable again, slowly: progress shows while the backlog drains.
    proxy.delay(20);
    await proxy.acceptAgain();
    let progress: SyncStatus['progress'];
    await waitFor(async () => {
      progress ??= unwrap(await t.api.syncStatus({})).progress;
      return progress !== undefined;
    }, 'progress while draining', { timeoutMs: 60_000, intervalMs: 5 });
    expect(progress!.total).toBe(backlog);
    expect(progress!.sent).toBeLessThan(progress!.total);
    proxy.delay(0);
    expect(await client.drained(60_000)).toBe(true);
    status = unwrap(await t.api.syncStatus({}));
    expect(status).toMatchObject({ configured: true, online: true, backlog: 0, lastSuccessAt: new Date(t.clock.now()).toISOString(), problems: [] });
    expect(status.oldestUnsyncedAt).toBeUndefined();
    expect(status.progress).toBeUndefined();
    expectSameEvents(await storedEvents(hub.store, SITE), outboxRows(contextOf(t.station).db));
  });

  it('the station comes back by itself after the hub restarts (the hub ends its connections as it shuts down)', async () => {
    const { hub, t, sync } = await hubAndStation();
    const client = sync();
    expect(await client.drained(20_000)).toBe(true);
    await hub.restart();
    tapMany(t, activeUids(), 20);
    // No kick from the test: the client reconnects and uploads on its own.
    await waitFor(async () => (await hub.store.listStreams(SITE))[0]?.ackedSeq === count(t, 'outbox'), 'the taps at the restarted hub', { timeoutMs: 30_000 });
    expect(client.status().online).toBe(true);
    expectSameEvents(await storedEvents(hub.store, SITE), outboxRows(contextOf(t.station).db));
  });
});
