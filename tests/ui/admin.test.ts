// The hub's admin page in Debian's Chromium (playwright-core): a real hub on 127.0.0.1 with the
// demo network, a plan, a subscription and a quota, two stations enrolled (one syncing, so online,
// with a watermark), and a fixture Accounts (until the accounts engine is wired in). The operator
// signs in with the token, sees the stations, the cases, the plans, the statements (and downloads
// one as PDF), the settlement (and closes the month) and an evaluation. Every screen is checked
// with axe-core and saved under test-output/screenshots/; the page runs under the hub's CSP.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../support/browser.js';
import { ensureAdminUiBuilt } from '../support/renderer-build.js';
import { ADMIN_TOKEN, activeUids, openSiteStation, startSync, startTestHub, tapMany, waitFor, type TestHub } from '../support/hub-fixture.js';
import { FixtureAccountsForOutputTests, fixtureStatement } from '../support/accounts-fixtures.js';
import { formatMoney } from '../../common/money.js';
import type { SyncClient } from '../../main/sync/sync-client.js';
import type { TestStation } from '../support/station-fixture.js';

const AXE_SOURCE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

let hub: TestHub;
let bareHub: TestHub;
let station: TestStation;
let sync: SyncClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageProblems: string[] = [];

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
  hub = await startTestHub({ accounts: () => new FixtureAccountsForOutputTests() });
  bareHub = await startTestHub();
  await hub.admin('POST', 'entities/plan', { id: 'pass-brussels', kind: 'pass', name: 'Brussels pass', monthlyFeeCents: 25_000, vatRateBp: 2100, sites: ['bxl-louise', 'bxl-schuman'] });
  await hub.admin('POST', 'entities/subscription', { id: 'sub-1', memberId: 'm0007', planId: 'pass-brussels', from: '2026-01-01' });
  await hub.admin('POST', 'entities/quota', {
    id: 'quota-brugse-2026', payerId: 'brugse-data', name: 'Brugse Data — 40 h', minutes: 2400, priceCents: 48_000, vatRateBp: 2100,
    validFrom: '2026-01-01', validUntil: '2026-12-31', allocations: [{ memberId: 'm0001', minutes: 1200 }], used: { m0001: 90 },
  });
  // One station syncing (online, with a stream and a watermark); one enrolled that never connected.
  const louise = await hub.enroll('bxl-louise', 'Louise reception');
  await hub.enroll('gent-zuid', 'Gent desk');
  station = openSiteStation('bxl-louise');
  sync = startSync(station.station, { url: hub.url, credential: louise.credential });
  // Drained: the reference data is pulled (so badges are known) and nothing is left to send.
  expect(await sync.drained()).toBe(true);
  tapMany(station, activeUids((m) => m.homeSiteId === 'bxl-louise').slice(0, 3), 3);
  expect(await sync.drained()).toBe(true);
  await waitFor(async () => (await hub.store.listStreams('bxl-louise')).some((s) => s.caughtUpAt !== undefined && s.ackedSeq > 0), 'the station to catch up');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Brussels', acceptDownloads: true });
  page = await context.newPage();
  await watch(page);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await sync?.stop();
  station?.close();
  await hub?.close();
  await bareHub?.close();
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
    const louise = sites.getByRole('row').filter({ hasText: 'Escale Bruxelles Louise' });
    await louise.getByText('online').waitFor();
    await expect(louise.textContent()).resolves.toContain('Louise reception');
    const gent = sites.getByRole('row').filter({ hasText: 'Gent desk' });
    await expect(gent.textContent()).resolves.toContain('offline');
    // The watermark column of the syncing site holds a date (the station's clock when it caught up).
    const cells = await louise.getByRole('cell').allTextContents();
    expect(cells[6]).toMatch(/\d{4}/);
    expect(cells[5]).toMatch(/\d{4}/);
    const streams = page.getByRole('table', { name: /Streams/ });
    expect(await streams.getByRole('row').count()).toBe(2);
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
    await passes.getByText('Brussels pass').waitFor();
    await expect(passes.textContent()).resolves.toContain('€250.00');
    await expect(page.getByRole('table', { name: 'Company hour quotas' }).textContent()).resolves.toMatch(/40:00 h.*1:30 h.*€480.00/);
    await expect(page.getByRole('table', { name: 'Subscriptions' }).textContent()).resolves.toContain('until cancelled');
    await checkAccessibility(page, 'plans');
    await screenshot(page, 'admin-plans');
  });

  it('shows a month’s statements with their totals and lines, and downloads one as PDF', async () => {
    await section(page, 'Statements');
    await page.getByLabel('Month').fill('2026-03');
    await page.getByLabel('Payer').selectOption('brugse-data');
    await page.getByRole('button', { name: 'Show statements' }).click();
    const card = page.getByRole('article', { name: 'Statement of Brugse Data BV' });
    await card.waitFor();
    const expected = fixtureStatement({ language: 'nl' });
    await expect(card.textContent()).resolves.toContain(formatMoney(expected.totals.grossCents, 'en'));
    await expect(card.textContent()).resolves.toContain('provisional');
    await card.getByText(`${expected.lines.length} lines`).click();
    await card.getByRole('table').getByText('Meeting room, per hour').waitFor();
    await expect(card.getByRole('table').textContent()).resolves.toContain('adjusts 2026-02');
    // Minutes read as hours, as on the PDF.
    await expect(card.getByRole('table').textContent()).resolves.toContain('40:00 h');
    await checkAccessibility(page, 'statements');
    await screenshot(page, 'admin-statements');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Statements of 2026-03 as PDF' }).click()]);
    expect(download.suggestedFilename()).toBe('statements-2026-03-brugse-data.pdf');
    const file = path.join(hub.dir, 'downloaded.pdf');
    await download.saveAs(file);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('Afrekening');
    await page.getByText('Downloaded statements-2026-03-brugse-data.pdf.').waitFor();
  });

  it('shows the settlement and closes the month after a confirmation', async () => {
    await section(page, 'Settlement');
    await page.getByLabel('Month').fill('2026-03');
    await page.getByRole('button', { name: 'Show settlement' }).click();
    const table = page.getByRole('table', { name: 'What the network owes each center for 2026-03' });
    await table.getByText('Escale Bruxelles Schuman').waitFor();
    await expect(page.getByText('Cases: 1 overlaps').textContent()).resolves.toContain('1 price differences');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Close 2026-03' }).click();
    await page.getByText(/2026-03 is closed/).waitFor();
    await page.getByText(/Closed months: 2026-03/).waitFor();
    await page.locator('.summary .badge', { hasText: 'closed' }).waitFor();
    // Closed for good: no second close is offered.
    expect(await page.getByRole('button', { name: 'Close 2026-03' }).count()).toBe(0);
    await checkAccessibility(page, 'settlement');
    await screenshot(page, 'admin-settlement');
  });

  it('evaluates a site over the months asked', async () => {
    await section(page, 'Evaluation');
    await page.getByLabel('Site').selectOption('leuven-station');
    await page.getByLabel('From (optional)').fill('2026-02');
    await page.getByLabel('Until (optional)').fill('2026-03');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    const months = page.getByRole('table', { name: 'Month by month' });
    await months.getByText('2026-03').waitFor();
    expect(await months.getByRole('row').count()).toBe(3);
    await checkAccessibility(page, 'evaluation');
    await screenshot(page, 'admin-evaluation');
  });

  it('says clearly when the hub has no accounts wired', async () => {
    const p = await context.newPage();
    await watch(p);
    await signIn(p, bareHub.url, ADMIN_TOKEN);
    await section(p, 'Statements');
    await p.getByLabel('Month').fill('2026-03');
    await p.getByRole('button', { name: 'Show statements' }).click();
    await p.getByRole('alert').filter({ hasText: 'ACCOUNTS_UNAVAILABLE' }).waitFor();
    await p.close();
  });

  it('ran without a page error or a CSP violation', () => {
    expect(pageProblems).toEqual([]);
  });
});
