// The hub's admin page in Debian's Chromium (playwright-core): a real hub on 127.0.0.1 with the
// real accounts engine, and the accounts' network — three sites, a regional and a network pass, a
// company quota — whose three stations recorded the first days of October 2026 and synced to it
// (so they show online, with watermarks); one more station enrolled that never connected. The
// operator signs in with the token, sees the stations, the cases, the plans (the quota's use as
// the engine published it), the real statements (and downloads one as PDF), the settlement (and
// closes the month after a confirmation: refused while a site has not sent it all, closed once it
// has) and an evaluation — each as the engine computes it. Every screen is checked with axe-core
// and saved under test-output/screenshots/; the page runs under the hub's CSP.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../support/browser.js';
import { ensureAdminUiBuilt } from '../support/renderer-build.js';
import { ADMIN_TOKEN, startTestHub, stopTestHubStores, type TestHub } from '../support/hub-fixture.js';
import { SITE_A, SITE_B, SITE_C, openNetworkMonth, syncSites, type NetworkMonth } from '../support/accounts-network.js';
import { unwrap } from '../support/ledger.js';
import { createAccounts } from '../../server/accounts/index.js';
import type { HubStore } from '../../server/store/store.js';
import { quotaSchema } from '../../common/reference-data.js';
import { formatMoney } from '../../common/money.js';

const AXE_SOURCE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/** The hub's clock for the accounts: fixed, so a close says when it happened. */
const HUB_NOW = Date.parse('2026-11-04T12:00:00.000Z');
const engineOn = (store: HubStore) => createAccounts(store, { now: () => HUB_NOW });

let net: NetworkMonth;
let hub: TestHub;
let bareHub: TestHub;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageProblems: string[] = [];
/** The engine over the serving hub's store: what the page must show. */
const engine = () => engineOn(hub.store);
const money = (cents: number) => formatMoney(cents, 'en');
/** Hours one way everywhere, as the reception says them: "25 h 00". */
const hours = (minutes: number) => `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
/** A count with its noun in English's two forms: "1 line", "2 lines". */
const counted = (n: number, one: string, other = `${one}s`) => `${n} ${n === 1 ? one : other}`;

async function watch(p: Page): Promise<void> {
  p.on('pageerror', (e) => pageProblems.push(`page error: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageProblems.push(`console: ${m.text()}`);
  });
  await p.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))`);
}

/** axe-core in the page (evaluated through DevTools: the CSP refuses inline scripts); no serious or critical violation. */
async function checkAccessibility(p: Page, screen: string): Promise<void> {
  if (!(await p.evaluate('typeof window.axe === "object"'))) await p.evaluate(AXE_SOURCE);
  const violations = (await p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`)) as { impact: string }[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${screen}: ${JSON.stringify(serious, null, 1)}`).toEqual([]);
}

async function signIn(p: Page, url: string, token: string): Promise<void> {
  await p.goto(`${url}/admin/`);
  await p.getByLabel('Admin token').fill(token);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

const section = (p: Page, name: string) => p.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true }).click();

beforeAll(async () => {
  ensureAdminUiBuilt();
  // October 1–9 (seven weekdays), every station synced on the 12th: October cannot close yet.
  net = await openNetworkMonth({ accounts: engineOn, lastDay: 9, syncedAt: '2026-10-12T07:00:00.000Z', now: () => HUB_NOW });
  hub = net.hub;
  // Station A's door reader, seen working at 06:00 on the 12th, down at 06:10 for 25 minutes —
  // as its device manager reports them — then synced again at 07:00 (the watermark stays there).
  const a = net.stations[SITE_A]!.t;
  unwrap(await a.api.configureDevice({ config: { id: 'door', kind: 'reader', name: 'Door reader', connection: { type: 'serial', path: '/dev/ttyESCALE0', framing: 'em4100' } } }));
  a.clock.set('2026-10-12T06:00:00.000Z');
  expect(a.station.reportDeviceHealth({ deviceId: 'door', kind: 'reader', health: 'working' })).toBe('monitored');
  a.clock.advance(10 * 60_000);
  expect(a.station.reportDeviceHealth({ deviceId: 'door', kind: 'reader', health: 'broken', reason: 'the device went away' })).toBe('fault');
  a.clock.advance(25 * 60_000);
  expect(a.station.reportDeviceHealth({ deviceId: 'door', kind: 'reader', health: 'working' })).toBe('recovered');
  await syncSites(hub, net.stations, [SITE_A], '2026-10-12T07:00:00.000Z');
  // A station enrolled that never connected.
  await hub.enroll(SITE_C, 'Namur spare desk');
  // Each member's quota draw, counted by the engine, written into the quota (as the hub sends it down).
  expect(await engine().publishQuotaBalances()).toBe(1);
  bareHub = await startTestHub({ reference: false });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Brussels', acceptDownloads: true });
  page = await context.newPage();
  await watch(page);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await net?.close();
  await bareHub?.close();
  await stopTestHubStores();
});

describe('the admin page', () => {
  it('refuses a wrong token and says so', async () => {
    await signIn(page, hub.url, 'not-the-token');
    await page.getByText('The hub refused that token.').waitFor();
    await checkAccessibility(page, 'sign-in');
    await screenshot(page, 'admin-sign-in-refused');
  });

  it('shows the sites and their stations: online, last seen, watermark', async () => {
    await signIn(page, hub.url, ADMIN_TOKEN);
    const sites = page.getByRole('table', { name: /Every site of the network/ });
    const stations = await hub.store.listStations();
    const nameAt = (siteId: string) => stations.find((s) => s.siteId === siteId && s.name !== 'Namur spare desk')!.name;
    for (const [siteId, siteName] of [[SITE_A, 'Bruxelles A'], [SITE_B, 'Gent B'], [SITE_C, 'Namur C']] as const) {
      const row = sites.getByRole('row').filter({ hasText: siteName });
      await row.getByText('online').waitFor();
      const cells = await row.getByRole('cell').allTextContents();
      expect(cells[0], siteName).toBe(`${siteName}${siteId}`);
      expect(cells[4], siteName).toContain(`online ${nameAt(siteId)}`);
      // Last seen and the watermark (the station's clock when it caught up: 12 October, 09:00 in Brussels).
      expect(cells[5], siteName).toMatch(/\d{4}/);
      expect(cells[6], siteName).toMatch(/12 Oct 2026.*09:00/);
      // Events held: the stream's acked seq.
      const stream = (await hub.store.listStreams(siteId))[0]!;
      expect(cells[8], siteName).toBe(String(stream.ackedSeq));
      expect(stream.ackedSeq).toBeGreaterThan(0);
    }
    await expect(sites.getByRole('row').filter({ hasText: 'Namur C' }).textContent()).resolves.toContain('offline Namur spare desk');
    await expect(sites.getByRole('row').filter({ hasText: 'Bruxelles A' }).textContent()).resolves.toContain('trial until 31 Mar 2027');
    const streams = page.getByRole('table', { name: /Streams/ });
    expect(await streams.getByRole('row').count()).toBe(1 + 3);
    // The token stays in this tab only.
    expect(await page.evaluate("sessionStorage.getItem('escale.admin.token')")).toBe(ADMIN_TOKEN);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    await checkAccessibility(page, 'sites');
    await screenshot(page, 'admin-sites');
  });

  it('shows quarantine, alerts and overlap cases, and the plans', async () => {
    await section(page, 'Quarantine & cases');
    await page.getByRole('table', { name: /Overlap cases/ }).waitFor();
    await checkAccessibility(page, 'cases');
    await section(page, 'Plans');
    const passes = page.getByRole('table', { name: 'Passes' });
    await passes.getByText('Pass A+B').waitFor();
    await expect(passes.getByRole('row').filter({ hasText: 'Pass A+B' }).textContent()).resolves.toContain('€250.00');
    await expect(passes.getByRole('row').filter({ hasText: 'Pass réseau' }).textContent()).resolves.toContain('every site');
    // The quota's hours used, as the engine counted them from the stations' events.
    const quota = quotaSchema.parse(await hub.store.getReference('quota', 'acme-q4'));
    const used = Object.values(quota.used).reduce((n, m) => n + m, 0);
    expect(quota.used['m-quota']).toBe(1_000);
    await expect(page.getByRole('table', { name: 'Company hour quotas' }).getByRole('row').filter({ hasText: 'Acme Q4' }).allTextContents()).resolves.toEqual([
      expect.stringContaining(`25 h 00${hours(used)}€600.00`),
    ]);
    // Members, payers and plans by their names (the id beneath, small).
    await expect(page.getByRole('table', { name: 'Company hour quotas' }).getByRole('row').filter({ hasText: 'Acme Q4' }).textContent()).resolves.toContain('Acme SAacme');
    const subscriptions = page.getByRole('table', { name: 'Subscriptions to a pass' });
    const subPass = await subscriptions.getByRole('row').filter({ hasText: 'sub-pass' }).getByRole('cell').allTextContents();
    expect(subPass.slice(1)).toEqual(['Pass A+B', '1 Sept 2026', 'until cancelled']);
    expect(subPass[0]).toMatch(/^Pass Test/);
    await expect(subscriptions.getByRole('row').filter({ hasText: 'sub-network' }).textContent()).resolves.toContain('30 Nov 2026');
    await checkAccessibility(page, 'plans');
    await screenshot(page, 'admin-plans');
  });

  it('shows a month’s statements with their totals and lines, and downloads one as PDF', async () => {
    const [acme] = await engine().statements('2026-10', 'acme');
    expect(acme!.lines.length).toBeGreaterThan(1);
    await section(page, 'Statements');
    await page.getByLabel('Month').selectOption('2026-10');
    await page.getByLabel('Payer').selectOption('acme');
    await page.getByRole('button', { name: 'Show statements' }).click();
    const card = page.getByRole('article', { name: 'Statement of Acme SA' });
    await card.waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    const totals = await card.locator('dl.totals dd').allTextContents();
    expect(totals).toEqual([money(acme!.totals.netCents), money(acme!.totals.vatCents), money(acme!.totals.grossCents)]);
    await expect(card.textContent()).resolves.toContain('provisional');
    await expect(card.textContent()).resolves.toContain('acme · BE0123456749 · statement in French');
    await card.getByText(`${acme!.lines.length} lines`).click();
    const table = card.getByRole('table');
    await table.waitFor();
    // One row per line, each with its net amount, in the engine's order.
    const rows = table.getByRole('row');
    expect(await rows.count()).toBe(1 + acme!.lines.length);
    const memberName = (id: string | undefined) => (id ? acme!.members.find((m) => m.memberId === id)?.name ?? id : '');
    for (const [i, line] of acme!.lines.entries()) {
      const cells = await rows.nth(i + 1).getByRole('cell').allTextContents();
      const quantity = ['min', 'minute'].includes(line.unit) ? hours(line.quantity) : counted(line.quantity, line.unit.replace('_', ' '));
      expect([cells[1], cells[2], cells[3], cells[4], cells[7], cells[9]], `line ${i + 1}`).toEqual([
        line.description, memberName(line.memberId), line.siteName ?? '', quantity, money(line.netCents), money(line.grossCents),
      ]);
    }
    // Minutes read as hours, as on the PDF: the quota package, and desk time by the hour.
    await expect(rows.filter({ hasText: 'Prepaid hours' }).textContent()).resolves.toContain('25 h 00');
    const desk = acme!.lines.find((l) => l.serviceCode === 'desk_hour' && l.coverage === 'payg')!;
    expect(desk.unit).toBe('min');
    await expect(rows.filter({ hasText: desk.description }).first().textContent()).resolves.toContain(hours(desk.quantity));
    await checkAccessibility(page, 'statements');
    await screenshot(page, 'admin-statements');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Statements of October 2026 as PDF' }).click()]);
    expect(download.suggestedFilename()).toBe('statements-2026-10-acme.pdf');
    const file = path.join(hub.dir, 'downloaded.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('Relevé — octobre 2026');
    expect(text).toContain('Acme SA');
    expect(text).toContain(formatMoney(acme!.totals.grossCents, 'fr').replace(/[\u00a0\u202f]/g, ' '));
    await page.getByText('Downloaded statements-2026-10-acme.pdf.').waitFor();
  });

  it('shows the settlement, refuses to close while a site has not sent it all, and closes the month after a confirmation', async () => {
    const settlement = await engine().settlement('2026-10');
    await section(page, 'Settlement');
    await page.getByLabel('Month').selectOption('2026-10');
    await page.getByRole('button', { name: 'Show settlement' }).click();
    const table = page.getByRole('table', { name: 'What the network owes each center for October 2026' });
    await table.getByText('Bruxelles A').waitFor();
    for (const s of settlement.sites) {
      const cells = await table.getByRole('row').filter({ hasText: s.siteName }).getByRole('cell').allTextContents();
      expect([cells[0], cells[1], cells[6], cells[11]]).toEqual([s.siteName, money(s.paygNetCents), money(s.deskNetCents), money(s.payoutCents)]);
    }
    const c = settlement.cases;
    await expect(page.getByText('Cases:').textContent()).resolves.toBe(
      `Cases: ${counted(c.overlaps.length, 'overlap')} · ${counted(c.rejected.length, 'rejected event')} · ${c.quarantined.length} quarantined · ${counted(c.priceDifferences.length, 'price difference')}`,
    );
    await page.getByText('Closed months: none yet').waitFor();

    // Every site has sent events only up to 12 October: October cannot close.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Close October 2026' }).click();
    const waiting = page.getByRole('status').filter({ hasText: 'October 2026 cannot close yet' });
    await waiting.waitFor();
    expect((await waiting.getByRole('listitem').allTextContents()).map((t) => t.split(':')[0]).sort()).toEqual(['Bruxelles A', 'Gent B', 'Namur C']);
    expect(await engine().closedPeriods()).toEqual([]);
    await checkAccessibility(page, 'settlement-waiting');
    await screenshot(page, 'admin-settlement-waiting');

    // Once every station has sent everything up to 4 November, the close goes through.
    await syncSites(hub, net.stations, [SITE_A, SITE_B, SITE_C], '2026-11-04T08:00:00.000Z');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Close October 2026' }).click();
    await page.getByText(/October 2026 is closed/).waitFor();
    await page.getByText(/Closed months: October 2026 \(4 Nov 2026/).waitFor();
    await page.locator('.summary .badge', { hasText: 'closed' }).waitFor();
    expect(await engine().closedPeriods()).toEqual([{ period: '2026-10', closedAt: '2026-11-04T12:00:00.000Z' }]);
    expect((await engine().statements('2026-10')).map((s) => s.status)).not.toContain('provisional');
    // Closed for good: no second close is offered.
    expect(await page.getByRole('button', { name: 'Close October 2026' }).count()).toBe(0);
    await checkAccessibility(page, 'settlement');
    await screenshot(page, 'admin-settlement');
  });

  it('evaluates a site over the months asked', async () => {
    const e = await engine().evaluation(SITE_A, '2026-09', '2026-10');
    expect(e.visits).toBe(net.visits.filter((v) => v.siteId === SITE_A).length);
    await section(page, 'Evaluation');
    await page.getByLabel('Site').selectOption(SITE_A);
    await page.getByLabel('From (optional)').selectOption('2026-09');
    await page.getByLabel('Until (optional)').selectOption('2026-10');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    const months = page.getByRole('table', { name: 'Month by month' });
    await months.getByText('October 2026').waitFor();
    expect(await months.getByRole('row').count()).toBe(1 + 2);
    // Device figures from October only: the station reported its devices from the 12th.
    expect(e.devices).toEqual({ readerFaults: 1, printerFaults: 0, printJobsFailed: 0, downMinutes: 25, reported: true, reportedSince: '2026-10-12' });
    expect(await months.getByRole('row').filter({ hasText: 'October 2026' }).getByRole('cell').allTextContents()).toEqual([
      'October 2026', String(e.visits), hours(e.hostedMinutes), money(e.revenueNetCents), '1', '0 h 25', '0 (0)', '—',
    ]);
    expect(await months.getByRole('row').filter({ hasText: 'September 2026' }).getByRole('cell').allTextContents()).toEqual(['September 2026', '0', '0 h 00', money(0), '—', '—', '0 (0)', '—']);
    await expect(page.locator('dl.facts').textContent()).resolves.toContain(
      'Devices1 reader faults · 0 printer faults · 0 failed print jobs · down 0 h 25 · reported since 12 Oct 2026',
    );
    await expect(page.locator('dl.facts').textContent()).resolves.toContain(`Visits${e.visits} (${e.memberVisits} members, ${e.guestVisits} guests)`);
    await expect(page.locator('dl.facts').textContent()).resolves.toContain(`Visits closed automatically${e.autoClosedVisits}`);
    await expect(page.locator('dl.facts').textContent()).resolves.toContain(`Tills0 closed · 0 with a difference · ${money(0)} short · ${money(0)} over`);
    await checkAccessibility(page, 'evaluation');
    await screenshot(page, 'admin-evaluation');
  });

  it('says clearly when the hub has no accounts wired', async () => {
    const p = await context.newPage();
    await watch(p);
    await signIn(p, bareHub.url, ADMIN_TOKEN);
    await section(p, 'Statements');
    await p.getByLabel('Month').selectOption('2026-10');
    await p.getByRole('button', { name: 'Show statements' }).click();
    // A sentence in the page's language; the hub's code and words behind "Details".
    const alert = p.getByRole('alert');
    await alert.getByText('This hub has no accounts: statements, the settlement and evaluations are not available here.').waitFor();
    expect(await alert.getByText('ACCOUNTS_UNAVAILABLE').isVisible()).toBe(false);
    await alert.getByText('Details').click();
    await alert.getByText('ACCOUNTS_UNAVAILABLE').waitFor({ state: 'visible' });
    await p.close();
  });

  it('ran without a page error or a CSP violation', () => {
    expect(pageProblems).toEqual([]);
  });
});
