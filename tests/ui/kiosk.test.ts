// The kiosk end to end, as a visitor meets it: Debian Chromium (playwright-core, never a downloaded
// browser) showing the kiosk page of a station served by the local host on 127.0.0.1, badges
// tapped on a serial reader simulated on a real pty, or typed by a keyboard-wedge reader as key
// events of an AZERTY keyboard; a real hub stopped under it. Every screen is checked with
// axe-core and saved under test-output/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import type { TapResult } from '../../common/station-api.js';
import { launchChromium, screenshot } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { openKiosk, ROOT, startKioskStation, type KioskStation, type KioskStationOptions } from '../support/kiosk-fixture.js';
import { waitFor } from '../support/wait.js';
import { DEMO_SITE_ID, demoBadges } from '../support/station-fixture.js';
import { startTestHub } from '../support/hub-fixture.js';
import { unwrap } from '../support/ledger.js';
import { autoCloseTime } from '../../main/station/visits/lifecycle.js';
import { startHub } from '../../server/hub/hub-server.js';
import { SqliteHubStore } from '../../server/store/sqlite-store.js';
import { contextOf } from '../../main/station/context.js';

let browser: Browser;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  // npm test builds first; alone, this file builds dist/renderer when it is missing or stale.
  await ensureRendererBuilt('kiosk');
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const badges = demoBadges();
/** The kiosk's times (renderer/src/kiosk/kiosk-logic.ts), for the tests that move its clock. */
const ERROR_HOLD_MS = 6_000; // HOLD_MS.error: an apology stays this long
const TAP_TIMEOUT_MS = 6_000; // a wedge tap's answer comes within this, or an apology
const SYNC_POLL_MS = 3_000; // syncStatus is asked this often
const badgeOf = (firstName: string, status = 'active') => {
  const b = demoBadges().active.concat([badges.lost, badges.revoked, badges.ofBlockedMember]).find((x) => badges.member(x.memberId).firstName === firstName && x.status === status);
  if (!b) throw new Error(`no ${status} badge of ${firstName} in the demo data`);
  return { uid: b.uid, member: badges.member(b.memberId) };
};
/** Active RFID badges whose UID is digits only: what a keyboard-wedge reader types on any layout. */
const numericBadges = badges.active.filter((b) => /^\d+$/.test(b.uid));

async function kioskOn(options: KioskStationOptions = {}, extra?: string, open: Parameters<typeof openKiosk>[2] = {}) {
  const s = await startKioskStation(options);
  cleanups.push(() => s.close());
  const k = await openKiosk(browser, s.kioskUrl(extra), open);
  cleanups.push(() => k.context.close());
  return { s, page: k.page };
}

// ---- what the tests look at -------------------------------------------------------------------

const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core on the screen as it is: no serious or critical violation. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`,
  )) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${screen}: ${JSON.stringify(serious, null, 1)}`).toEqual([]);
}

/** Saves the screen and checks it with axe. */
async function capture(page: Page, name: string): Promise<void> {
  await screenshot(page, `kiosk-${name}`);
  await expectAccessible(page, name);
}

const kiosk = (page: Page) => page.locator('.kiosk');
const screenOf = (page: Page) => kiosk(page).getAttribute('data-screen');
const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');

/** Waits until the kiosk shows `screen` with a heading containing `text`; returns the heading's text. */
async function waitForScreen(page: Page, screen: TapResult['outcome'] | 'error', text: string | RegExp, timeout = 10_000): Promise<string> {
  const heading = page.locator(`.kiosk[data-screen="${screen}"] [data-testid="greeting"]`).filter({ hasText: text });
  await heading.waitFor({ timeout });
  return (await heading.textContent()) ?? '';
}

async function waitForWelcome(page: Page, timeout = 15_000): Promise<void> {
  await page.locator('.kiosk[data-screen="welcome"] h1').waitFor({ timeout });
}

const text = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

/**
 * Once the page has run what was queued before now: React renders the state a timer set in a
 * MessageChannel task queued at that moment, so a message posted now is handled after that render.
 */
const rendered = (page: Page) => page.evaluate('new Promise((resolve) => { const c = new MessageChannel(); c.port1.onmessage = () => resolve(true); c.port2.postMessage(0); })');

// ---- keyboard-wedge readers --------------------------------------------------------------------

/** What an AZERTY (Belgian, French) keyboard gives for the unshifted digit row. */
const AZERTY_DIGIT_ROW = ['à', '&', 'é', '"', "'", '(', '§', 'è', '!', 'ç'];
const QWERTY_DIGIT_ROW = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * A wedge reader's burst as Chromium receives it from the OS: the reader presses the digit row's
 * physical keys (code Digit0…Digit9), the machine's layout decides the characters (on AZERTY
 * "à&é"'(§è!ç"), then Enter. Sent through the DevTools protocol in one go, as fast as a reader
 * types, however busy this machine is.
 */
async function wedgeBurst(page: Page, digits: string, row: string[] = AZERTY_DIGIT_ROW): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const events: Record<string, unknown>[] = [];
  for (const d of digits) {
    const n = Number(d);
    const key = { code: `Digit${n}`, key: row[n]!, windowsVirtualKeyCode: 0x30 + n, nativeVirtualKeyCode: 0x30 + n };
    events.push({ type: 'keyDown', ...key, text: row[n]!, unmodifiedText: row[n]! }, { type: 'keyUp', ...key });
  }
  const enter = { code: 'Enter', key: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 };
  events.push({ type: 'keyDown', ...enter, text: '\r', unmodifiedText: '\r' }, { type: 'keyUp', ...enter });
  await Promise.all(events.map((e) => cdp.send('Input.dispatchKeyEvent', e as never)));
  await cdp.detach();
}

/**
 * Whether the gaps the window saw are a reader's by the decoder's rule (common/readers/keyboard-wedge.ts):
 * median at most 35 ms, at most two stalls above it, none past 250 ms.
 */
function readerLike(gaps: number[]): boolean {
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  return median <= 35 && sorted.filter((g) => g > 35).length <= 2 && sorted.every((g) => g <= 250);
}

/**
 * A reader's burst, read: when this machine stalled the browser inside the burst more than a
 * reader's burst allows (the gaps the window saw say so), no read is expected; then the badge is presented again, as at a real reader. A stall-free burst must be
 * read. What reached the page is counted for the last burst only.
 */
async function burstUntilRead(page: Page, uid: string, row: string[], screen: TapResult['outcome'], name: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    await page.evaluate('window.__keyGaps = []; window.__keysSeen = []');
    await wedgeBurst(page, uid, row);
    const gaps = ((await page.evaluate('window.__keyGaps')) as number[]).slice(1);
    if (!readerLike(gaps) && attempt < 5) {
      // The time a visitor takes to present the badge again: the only sleep here, a real duration.
      await new Promise((r) => setTimeout(r, 300));
      continue;
    }
    try {
      await waitForScreen(page, screen, name);
    } catch (e) {
      throw new Error(`${(e as Error).message}; attempt ${attempt}, gaps between the keys (ms): ${JSON.stringify(gaps)}`);
    }
    return attempt;
  }
}

/** The same reader through Playwright's keyboard: physical keys by code (key by the US layout). */
async function typeByCode(page: Page, digits: string): Promise<void> {
  for (const d of digits) {
    await page.keyboard.down(`Digit${d}`);
    await page.keyboard.up(`Digit${d}`);
  }
  await page.keyboard.down('Enter');
  await page.keyboard.up('Enter');
}

/** A check-in `minutes` ago, when that visit is not past its closing time yet (else a shorter one). */
async function seedOpenVisit(s: KioskStation, uid: string, wantedMinutes: number): Promise<string> {
  const site = contextOf(s.station).site!;
  const minutes = [wantedMinutes, 45, 10, 2].find((m) => autoCloseTime(new Date(Date.now() - m * 60_000).toISOString(), site) > Date.now() + 60_000) ?? 1;
  const r = unwrap(await s.api.tap({ uid, at: new Date(Date.now() - minutes * 60_000).toISOString() }));
  if (r.outcome !== 'checked_in') throw new Error(`seeding a visit: ${r.outcome}`);
  return r.visit.visitId;
}

// ---- the tests -----------------------------------------------------------------------------------

describe('kiosk welcome screen', () => {
  it('shows the site, its stars and the four languages as large buttons; a language choice changes the welcome and <html lang>', async () => {
    const { s, page } = await kioskOn({ reader: false });
    const site = contextOf(s.station).site!;
    expect(text(await page.locator('header .site-name').textContent())).toBe(site.name);
    expect(await page.locator('header .stars svg').count()).toBe(site.stars);
    expect(text(await page.locator('header .stars').getAttribute('aria-label'))).toBe(`Étoiles : ${site.stars} sur 3`);
    // A Brussels site speaks French until someone chooses otherwise.
    expect(await htmlLang(page)).toBe('fr');
    expect(text(await page.locator('main h1').textContent())).toBe('Bienvenue');
    expect(text(await page.locator('main .invite').textContent())).toBe('Présentez votre badge au lecteur');
    const buttons = page.locator('nav button');
    expect(await buttons.allTextContents()).toEqual(['FRFrançais', 'NLNederlands', 'ENEnglish', 'DEDeutsch']);
    for (const box of await Promise.all((await buttons.all()).map((b) => b.boundingBox()))) {
      expect(box!.height).toBeGreaterThanOrEqual(64);
      expect(box!.width).toBeGreaterThanOrEqual(64);
    }
    // Large type: the invitation is readable from 1.5 m.
    const invitePx = Number.parseFloat((await page.evaluate(`getComputedStyle(document.querySelector('main .invite')).fontSize`)) as string);
    expect(invitePx).toBeGreaterThanOrEqual(40);
    await capture(page, 'welcome-fr');

    const expected = { nl: ['Welkom', 'Houd uw badge tegen de lezer'], en: ['Welcome', 'Tap your badge on the reader'], de: ['Willkommen', 'Halten Sie Ihren Badge an das Lesegerät'] };
    for (const [language, [title, invite]] of Object.entries(expected)) {
      await page.locator(`nav button[lang="${language}"]`).tap();
      await page.locator('main h1', { hasText: title! }).waitFor();
      expect(await htmlLang(page)).toBe(language);
      expect(text(await page.locator('main .invite').textContent())).toBe(invite);
      expect(await page.locator(`nav button[lang="${language}"]`).getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('nav button[aria-pressed="true"]').count()).toBe(1);
      await capture(page, `welcome-${language}`);
    }

    // A kiosk set up for Eupen (#lang=de), on a portrait screen.
    const portrait = await openKiosk(browser, s.kioskUrl('lang=de'), { viewport: { width: 1080, height: 1920 } });
    cleanups.push(() => portrait.context.close());
    expect(await htmlLang(portrait.page)).toBe('de');
    await capture(portrait.page, 'welcome-portrait-de');
  });
});

describe('kiosk taps through the simulated serial reader', () => {
  it('check in, already done, check out with the visit summary, unknown badge, refused badges: each in the member’s language', async () => {
    // A long tap window, so the second tap is "already done" however slow this machine is.
    // This kiosk shows a check-out's amounts (a setting; by default the public screen does not).
    const { s, page } = await kioskOn({ settings: { tapWindowMs: 60_000, kioskAmountMs: 12_000 } });
    const anna = badgeOf('Anna'); // German
    const manon = badgeOf('Manon'); // French
    expect([anna.member.language, manon.member.language]).toEqual(['de', 'fr']);

    // Check in: welcome, in German, on a kiosk whose screen speaks French.
    await s.reader!.tap(anna.uid);
    expect(text(await waitForScreen(page, 'checked_in', 'Anna'))).toBe('Willkommen, Anna');
    expect(await htmlLang(page)).toBe('de');
    expect(text(await page.locator('main').textContent())).toMatch(/Eingecheckt um \d\d:\d\d/);
    await capture(page, 'checked-in');
    const onSite = unwrap(await s.api.onSite({}));
    expect(onSite.map((e) => e.person.firstName)).toEqual(['Anna']);

    // The same badge again: already done, nothing recorded twice.
    await s.reader!.tap(anna.uid);
    expect(text(await waitForScreen(page, 'already_done', 'Anna'))).toBe('Sie sind bereits eingecheckt, Anna.');
    await capture(page, 'already-done');
    expect(unwrap(await s.api.onSite({}))).toHaveLength(1);

    // Manon came in two hours ago, had two coffees and printed 12 pages; she taps to leave.
    const visitId = await seedOpenVisit(s, manon.uid, 135);
    unwrap(await s.api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 2 }));
    unwrap(await s.api.addConsumption({ visitId, serviceCode: 'print_bw', quantity: 12 }));
    await s.reader!.tap(manon.uid);
    expect(text(await waitForScreen(page, 'checked_out', 'Manon'))).toBe('Au revoir, Manon');
    expect(await htmlLang(page)).toBe('fr');
    const visit = unwrap(await s.api.visitDetail({ visitId }));
    expect(visit.checkedOutBy).toBe('badge');
    const d = visit.durationMinutes;
    expect(text(await page.locator('[data-testid="duration"]').textContent())).toBe(`${Math.floor(d / 60)} h ${String(d % 60).padStart(2, '0')}`);
    const rows = (await page.locator('[data-testid="summary"] tbody tr').allTextContents()).map(text);
    expect(rows).toHaveLength(visit.lines.length);
    expect(rows.some((r) => r.startsWith('Café') && r.includes('× 2'))).toBe(true);
    expect(rows.some((r) => r.includes('× 12'))).toBe(true);
    const euros = new Intl.NumberFormat('fr-BE', { style: 'currency', currency: 'EUR' }).format(visit.totals.grossCents / 100);
    expect(visit.totals.grossCents).toBeGreaterThan(0);
    expect(text(await page.locator('[data-testid="total"]').textContent())).toBe(text(euros));
    expect(text(await page.locator('[data-testid="summary"]').textContent())).toContain('Montant provisoire');
    await capture(page, 'checked-out');

    // A badge nobody knows: to the reception, in the screen's language; its number is not shown here.
    await s.reader!.tap('04A1B2C3D4');
    expect(text(await waitForScreen(page, 'unknown_badge', 'badge'))).toBe('Nous ne connaissons pas encore ce badge');
    expect(await htmlLang(page)).toBe('fr');
    expect(text(await page.locator('main').textContent())).toContain('Passez à l’accueil');
    expect(await page.locator('body').textContent()).not.toContain('04A1B2C3D4');
    await capture(page, 'unknown-badge');

    // Refused, kindly, each reason in the member's language.
    const lost = badgeOf(badges.member(badges.lost.memberId).firstName, 'lost');
    await s.reader!.tap(lost.uid);
    await waitForScreen(page, 'refused', /./);
    expect(await kiosk(page).locator('[data-reason]').getAttribute('data-reason')).toBe('badge_lost');
    expect(await htmlLang(page)).toBe(lost.member.language);
    expect(text(await page.locator('main').textContent())).toContain(lost.member.firstName);
    await capture(page, 'refused-lost');

    const revoked = badges.member(badges.revoked.memberId);
    await s.reader!.tap(badges.revoked.uid);
    await page.locator('.kiosk[data-screen="refused"] [data-reason="badge_revoked"]').waitFor();
    expect(await htmlLang(page)).toBe(revoked.language);
    await capture(page, 'refused-revoked');

    const blocked = badges.member(badges.ofBlockedMember.memberId);
    await s.reader!.tap(badges.ofBlockedMember.uid);
    await page.locator('.kiosk[data-screen="refused"] [data-reason="member_blocked"]').waitFor();
    expect(await htmlLang(page)).toBe(blocked.language);
    // The reason on the member's file (unpaid statements…) is for the reception, not a public screen.
    expect(await page.locator('body').textContent()).not.toMatch(/unpaid|statements/i);
    await capture(page, 'refused-blocked');

    expect(unwrap(await s.api.onSite({})).map((e) => e.person.firstName)).toEqual(['Anna']);
  });

  it('the language a visitor chose stays for the welcome; a result speaks the member’s language (under the page’s CSP)', async () => {
    // This page keeps the local host's Content Security Policy (the others bypass it to inject axe-core).
    const { s, page } = await kioskOn({}, undefined, { strictCsp: true });
    await page.locator('nav button[lang="nl"]').tap();
    await page.locator('main h1', { hasText: 'Welkom' }).waitFor();
    const manon = badgeOf('Manon');
    await s.reader!.tap(manon.uid);
    expect(text(await waitForScreen(page, 'checked_in', 'Manon'))).toBe('Bienvenue, Manon');
    expect(await htmlLang(page)).toBe('fr');
    // A touch anywhere: back at once, in the language the visitor chose.
    await page.touchscreen.tap(640, 300);
    await waitForWelcome(page, 2_000);
    expect(text(await page.locator('main h1').textContent())).toBe('Welkom');
    expect(await htmlLang(page)).toBe('nl');
    expect(await page.evaluate('window.__cspViolations')).toEqual([]);
  });
});

describe('kiosk: a check-out’s amounts on the public screen (issue 15)', () => {
  it('are not shown by default; shown for as long as the setting says, then gone while the goodbye stays', async () => {
    const { s, page } = await kioskOn({}, undefined, { beforeGoto: (p) => p.clock.install() });
    await page.clock.pauseAt(Date.now() + 1_000);
    const [a, b] = badges.active.slice(6, 8).map((x) => x.uid);
    // Default: the goodbye and what was consumed, no amount.
    await seedOpenVisit(s, a!, 90);
    await s.reader!.tap(a!);
    await waitForScreen(page, 'checked_out', /./);
    await page.locator('[data-testid="summary"]').waitFor();
    expect(await page.locator('[data-testid="total"]').count()).toBe(0);
    expect(text(await page.locator('[data-testid="summary"]').textContent())).not.toMatch(/€/);
    // A screenshot, not axe: axe waits on timers, and this page's clock is stopped.
    await screenshot(page, 'kiosk-checked-out-no-amount');
    await page.touchscreen.tap(100, 400);
    await waitForWelcome(page, 2_000);

    // A kiosk whose station shows amounts for 3 s (a supervisor's setting: configureKiosk).
    const shown = await kioskOn({ settings: { kioskAmountMs: 3_000 } }, undefined, { beforeGoto: (p) => p.clock.install() });
    await shown.page.clock.pauseAt(Date.now() + 1_000);
    await seedOpenVisit(shown.s, b!, 90);
    await shown.s.reader!.tap(b!);
    await waitForScreen(shown.page, 'checked_out', /./);
    await shown.page.locator('[data-testid="total"]').waitFor();
    await screenshot(shown.page, 'kiosk-checked-out-amount-shown');
    await shown.page.clock.runFor(3_500);
    await rendered(shown.page);
    expect(await screenOf(shown.page)).toBe('checked_out');
    expect(await shown.page.locator('[data-testid="total"]').count()).toBe(0);
  });
});

describe('kiosk says what pays for the desk', () => {
  it('a pass covering this site at check-in; the company hours a visit drew and those left at check-out; pay-as-you-go, each in the member’s language', async () => {
    const { s, page } = await kioskOn({ settings: { kioskAmountMs: 12_000 } });
    const member = (id: string) => ({ ...badges.member(id), uid: badges.active.find((b) => b.memberId === id)!.uid });
    // The demo's Brussels pass holder, a Meridian Pharma employee with 25 h of the company's hours,
    // and a Flanders pass holder (no cover at Bruxelles Louise).
    const [onPass, onQuota, elsewhere] = [member('m0161'), member('m0179'), member('m0185')];
    expect([onPass.language, onQuota.language, elsewhere.language]).toEqual(['fr', 'fr', 'nl']);
    const plan = page.locator('[data-testid="entitlement"]');

    await s.reader!.tap(onPass.uid);
    await waitForScreen(page, 'checked_in', onPass.firstName);
    expect(await plan.getAttribute('data-kind')).toBe('pass');
    expect(text(await plan.textContent())).toBe('Votre Pass Bruxelles-Brussel couvre votre poste de travail ici.');
    await capture(page, 'checked-in-pass');

    await s.reader!.tap(elsewhere.uid);
    await waitForScreen(page, 'checked_in', elsewhere.firstName);
    expect(await plan.getAttribute('data-kind')).toBe('payg');
    expect(text(await plan.textContent())).toBe('U betaalt per gebruik, aan de prijzen van het netwerk.');

    const visitId = await seedOpenVisit(s, onQuota.uid, 135);
    await s.reader!.tap(onQuota.uid);
    await waitForScreen(page, 'checked_out', onQuota.firstName);
    const visit = unwrap(await s.api.visitDetail({ visitId }));
    const desk = visit.lines.find((l) => l.serviceCode === 'desk_hour')!;
    expect(desk.coverage).toMatchObject({ kind: 'quota', coveredMinutes: desk.billedQuantity });
    const hm = (m: number) => `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}`;
    expect(text(await page.locator('[data-testid="covered"]').textContent())).toBe(`${hm(desk.billedQuantity)} sur les heures de votre société`);
    expect(text(await page.locator('[data-testid="total"]').textContent())).toBe(text(new Intl.NumberFormat('fr-BE', { style: 'currency', currency: 'EUR' }).format(0)));
    expect(await plan.getAttribute('data-kind')).toBe('quota');
    expect(text(await plan.textContent())).toContain(`Il reste ${hm(1500 - desk.billedQuantity)} sur les heures prépayées par votre société.`);
    await capture(page, 'checked-out-quota');
  });
});

describe('kiosk taps typed by a keyboard-wedge reader', () => {
  it('reads the badge’s digits from AZERTY key events, the same UID as on QWERTY and by Playwright key codes; keeps the burst from the page; ignores a person typing', async () => {
    expect(numericBadges.length).toBeGreaterThanOrEqual(4);
    // Tap window 0: the same badge again checks out at once, which shows it is the same UID.
    const { s, page } = await kioskOn({ reader: false, settings: { tapWindowMs: 0 } }, undefined, {
      // Every key as the window gets it (before the kiosk), to tell a slow test machine from a bug.
      beforeGoto: (p) => p.addInitScript(`window.__keyGaps = []; let last; window.addEventListener('keydown', (e) => { if (last !== undefined) window.__keyGaps.push(Math.round(e.timeStamp - last)); last = e.timeStamp; }, true);`),
    });
    // What reaches the page's own key handlers once the kiosk has looked at a key.
    await page.evaluate(`window.__keysSeen = []; document.addEventListener('keydown', (e) => window.__keysSeen.push(e.code))`);
    const [first, second, third, fourth] = numericBadges.map((b) => ({ uid: b.uid, member: badges.member(b.memberId) }));

    const attempts = await burstUntilRead(page, first!.uid, AZERTY_DIGIT_ROW, 'checked_in', first!.member.firstName);
    const visits = unwrap(await s.api.onSite({}));
    expect(visits).toHaveLength(1);
    const detail = unwrap(await s.api.visitDetail({ visitId: visits[0]!.visitId }));
    // The UID is the badge's digits, not "à&é…": the layout never reaches the decoder.
    expect(detail.badgeUid).toBe(first!.uid);
    expect(detail.person.id).toBe(first!.member.id);
    expect(detail.checkedInBy).toBe('badge');
    // Only the keys before a burst is known as one got through: its first (it cannot be told from a
    // person's key yet), and its second when this machine stalled the browser between them; when a
    // stalled burst was presented again, those of the abandoned one too. Never the rest of a burst.
    const seen = (await page.evaluate('window.__keysSeen')) as string[];
    const head = [`Digit${first!.uid[0]}`, `Digit${first!.uid[1]}`];
    expect(seen.length >= 1 && seen.length <= 2 * attempts && seen.every((k) => head.includes(k)), JSON.stringify(seen)).toBe(true);

    // The same badge on a QWERTY machine: the same UID, so the same visit ends.
    await burstUntilRead(page, first!.uid, QWERTY_DIGIT_ROW, 'checked_out', first!.member.firstName);
    expect(unwrap(await s.api.visitDetail({ visitId: visits[0]!.visitId })).checkedOutBy).toBe('badge');

    // Through Playwright's keyboard, key by key (code Digit0…Digit9, then Enter). Each key is a
    // round trip to the browser: when this machine stalls them past what a reader's burst allows,
    // no read of this badge is expected; then it is typed again.
    for (let attempt = 1; ; attempt++) {
      await page.evaluate('window.__keyGaps = []');
      await typeByCode(page, second!.uid);
      const gaps = ((await page.evaluate('window.__keyGaps')) as number[]).slice(1);
      if (!readerLike(gaps) && attempt < 5) {
        // The time a visitor takes to present the badge again (a real duration, as above).
        await new Promise((r) => setTimeout(r, 300));
        continue;
      }
      try {
        await waitForScreen(page, 'checked_in', second!.member.firstName);
      } catch (e) {
        throw new Error(`${(e as Error).message}; attempt ${attempt}, gaps between the keys (ms): ${JSON.stringify(gaps)}`);
      }
      break;
    }
    expect(unwrap(await s.api.onSite({})).map((v) => v.person.id)).toEqual([second!.member.id]);

    // Somebody typing on a keyboard left at the kiosk is no reader: nothing is tapped. Shown by
    // the next reader's burst: a tap the typing had made would have reached the station first.
    await page.touchscreen.tap(640, 300);
    await waitForWelcome(page, 2_000);
    await page.keyboard.type(third!.uid, { delay: 120 });
    await page.keyboard.press('Enter');
    await burstUntilRead(page, fourth!.uid, AZERTY_DIGIT_ROW, 'checked_in', fourth!.member.firstName);
    expect(unwrap(await s.api.onSite({})).map((v) => v.person.id).sort()).toEqual([second!.member.id, fourth!.member.id].sort());
  });
});

/** A key as a reader sends it: the physical key, Shift, and what the page's layout makes of it. */
interface SentKey {
  code: string;
  key: string;
  shiftKey?: boolean;
}

/**
 * A burst typed into the page with exact timing: each keydown made and dispatched in the page, a
 * reader's few microseconds apart, with a busy stall of `stall.ms` after `stall.after` keys (the
 * 60–80 ms a loaded PC stalls inside a burst; a timer or the DevTools round trip could not make it
 * that exact). `capsLock`: as Chromium reports keys with Caps Lock on (upper-case key, the flag set).
 */
async function timedBurst(page: Page, keys: SentKey[], options: { stall?: { after: number; ms: number }; capsLock?: boolean; gapMs?: number } = {}): Promise<number[]> {
  const args = { keys, stall: options.stall ?? null, capsLock: options.capsLock === true, gapMs: options.gapMs ?? 4 };
  // Run in the page (a string: this file is compiled without the DOM's types).
  return (await page.evaluate(`(({ keys, stall, capsLock, gapMs }) => {
    const busy = (ms) => { const until = performance.now() + ms; while (performance.now() < until); };
    const stamps = [];
    const all = [...keys, { code: 'Enter', key: 'Enter', shiftKey: false }];
    all.forEach((k, i) => {
      if (i > 0) busy(stall && i === stall.after ? stall.ms : gapMs);
      const key = capsLock && k.key.length === 1 ? k.key.toUpperCase() : k.key;
      const e = new KeyboardEvent('keydown', { code: k.code, key, shiftKey: k.shiftKey === true, modifierCapsLock: capsLock, bubbles: true, cancelable: true });
      stamps.push(e.timeStamp);
      document.body.dispatchEvent(e);
      document.body.dispatchEvent(new KeyboardEvent('keyup', { code: k.code, key, bubbles: true }));
    });
    return stamps.slice(1).map((t, i) => Math.round((t - stamps[i]) * 10) / 10);
  })(${JSON.stringify(args)})`)) as number[];
}

/** The keys a reader set to QWERTY presses for a hex UID typed in lower case, on a QWERTY page. */
const qwertyKeys = (text: string): SentKey[] => [...text].map((c) => (/\d/.test(c) ? { code: `Digit${c}`, key: c } : { code: `Key${c.toUpperCase()}`, key: c }));

describe('kiosk reads a keyboard-wedge burst whole or not at all', () => {
  it('a stall inside the burst, lower case, Caps Lock, a person typing 2024 quickly, a reader set to AZERTY', async () => {
    const { s, page } = await kioskOn({ reader: false, settings: { tapWindowMs: 0 } });
    await waitForWelcome(page);
    // The kiosk has its reading settings (the default layout: no reader of the window configured).
    await page.locator('.kiosk[data-wedge-layout="qwerty"]').waitFor();
    const digits = { uid: numericBadges[0]!.uid, member: badges.member(numericBadges[0]!.memberId) };
    const lettered = badgeOf(badges.member(demoBadges().active.find((b) => b.uid === '00137542AB')!.memberId).firstName);
    expect(lettered.uid).toBe('00137542AB');

    // 70 ms stall after the third key: before, the decoder dropped "001" and tapped the tail alone.
    const gaps = await timedBurst(page, qwertyKeys(digits.uid), { stall: { after: 3, ms: 70 } });
    expect(gaps[2]).toBeGreaterThanOrEqual(70);
    await waitForScreen(page, 'checked_in', digits.member.firstName);
    const stalled = unwrap(await s.api.onSite({})).find((v) => v.person.id === digits.member.id)!;
    expect(unwrap(await s.api.visitDetail({ visitId: stalled.visitId })).badgeUid).toBe(digits.uid);
    await capture(page, 'wedge-stall-read-whole');

    // The badge typed in lower case (a reader without Shift): the member of 00137542AB.
    await timedBurst(page, qwertyKeys('00137542ab'), { stall: { after: 8, ms: 75 } });
    await waitForScreen(page, 'checked_in', lettered.member.firstName);
    // Then with Caps Lock on at the kiosk's keyboard: the same badge, so the visit ends.
    await timedBurst(page, qwertyKeys('00137542ab'), { capsLock: true });
    await waitForScreen(page, 'checked_out', lettered.member.firstName);

    // A person typing "2024" and Enter quickly (90 ms a key) is no badge: the next reader's burst
    // is what the station sees next.
    await page.touchscreen.tap(640, 300);
    await waitForWelcome(page, 2_000);
    await timedBurst(page, qwertyKeys('2024'), { gapMs: 90 });
    const before = unwrap(await s.api.onSite({})).length;
    await timedBurst(page, qwertyKeys(digits.uid));
    await waitForScreen(page, 'checked_out', digits.member.firstName);
    expect(unwrap(await s.api.onSite({}))).toHaveLength(before - 1);

    // A reader set to AZERTY: on this QWERTY page it types "&e))!fq\"b'" — digits with Shift, its
    // "a" at QWERTY's Q. The reader's layout is a setting of the device; the page reads 7E001FA2B4.
    const newcomer = badges.active.find((b) => !/[A-F]/.test(b.uid) && b.memberId !== digits.member.id && b.memberId !== lettered.member.id)!;
    const member = badges.member(newcomer.memberId);
    unwrap(await s.api.assignBadge({ memberId: member.id, uid: '7E001FA2B4' }));
    unwrap(await s.api.configureDevice({ config: { id: 'kiosk-wedge', kind: 'reader', name: 'Kiosk reader', connection: { type: 'window', keyboardLayout: 'azerty' } } }));
    expect(unwrap(await s.api.kioskReading({})).layout).toBe('azerty');
    // (This station runs no notifier: the page is reloaded to ask again.)
    await page.reload();
    await waitForWelcome(page);
    const US_SHIFTED = ')!@#$%^&*(';
    const azerty = [...'7E001FA2B4'].map((c): SentKey =>
      /\d/.test(c) ? { code: `Digit${c}`, key: US_SHIFTED[Number(c)]!, shiftKey: true } : c === 'A' ? { code: 'KeyQ', key: 'q' } : { code: `Key${c}`, key: c.toLowerCase() },
    );
    expect(azerty.map((k) => k.key).join('')).toBe('&e))!fq@b$');
    await page.locator('.kiosk[data-wedge-layout="azerty"]').waitFor();
    await timedBurst(page, azerty);
    await waitForScreen(page, 'checked_in', member.firstName);
    const visit = unwrap(await s.api.onSite({})).find((v) => v.person.id === member.id)!;
    expect(unwrap(await s.api.visitDetail({ visitId: visit.visitId })).badgeUid).toBe('7E001FA2B4');
    await capture(page, 'wedge-azerty-reader');
  });
});

describe('kiosk returns to its welcome screen', () => {
  it('by itself after a few seconds, and at once on a touch anywhere or on OK', async () => {
    // The page's clock is the test's (Playwright's fake timers), stopped: how long a result stays
    // is read on it, not waited for in real time.
    const { s, page } = await kioskOn({}, undefined, { beforeGoto: (p) => p.clock.install() });
    await page.clock.pauseAt(Date.now() + 1_000);
    const [a, b, c] = badges.active.slice(3, 6).map((x) => x.uid);
    await s.reader!.tap(a!);
    await waitForScreen(page, 'checked_in', /./);
    // Still there 4 s later, so it can be read…
    await page.clock.runFor(4_000);
    await rendered(page);
    expect(await screenOf(page)).toBe('checked_in');
    // …then gone by itself within 10 s.
    await page.clock.runFor(6_000);
    await waitForWelcome(page, 2_000);

    await s.reader!.tap(b!);
    await waitForScreen(page, 'checked_in', /./);
    const touched = Date.now();
    await page.touchscreen.tap(100, 400);
    await waitForWelcome(page, 2_000);
    expect(Date.now() - touched).toBeLessThan(1_000);
    // The touch did not land on a language button of the welcome screen that replaced the result.
    expect(await htmlLang(page)).toBe('fr');

    await s.reader!.tap(c!);
    await waitForScreen(page, 'checked_in', /./);
    await page.locator('button.ok').click();
    await waitForWelcome(page, 2_000);
  });
});

describe('kiosk never stuck on an error', () => {
  it('the station connection dropped mid-call, the station lost for a while, an answer too late, a result that cannot be shown', async () => {
    const s = await startKioskStation();
    cleanups.push(() => s.close());
    // Between the page and the station: a WebSocket route that can drop the line, refuse it, or
    // hold a tap back (until the test lets it through). The page's clock is the test's (Playwright's
    // fake timers, running): the kiosk's 6 s holds and time-outs are jumped over, not waited for.
    let mode: 'pass' | 'drop-on-tap' | 'refuse' | 'late-tap' = 'pass';
    let heldTap: (() => void) | undefined;
    const pageSides: WebSocketRoute[] = [];
    const k = await openKiosk(browser, s.kioskUrl(), {
      beforeGoto: async (page) => {
        await page.clock.install();
        await page.routeWebSocket(/\/api/, (ws) => {
          if (mode === 'refuse') {
            void ws.close({ code: 1011, reason: 'station away' });
            return;
          }
          const station = ws.connectToServer();
          pageSides.push(ws);
          ws.onMessage((message) => {
            const request = JSON.parse(String(message)) as { method: string };
            if (request.method === 'tap' && mode === 'drop-on-tap') {
              mode = 'pass';
              void ws.close({ code: 1006 });
              void station.close();
              return;
            }
            if (request.method === 'tap' && mode === 'late-tap') {
              mode = 'pass';
              heldTap = () => station.send(message);
              return;
            }
            station.send(message);
          });
          station.onMessage((message) => ws.send(message));
          station.onClose(() => void ws.close());
        });
      },
    });
    cleanups.push(() => k.context.close());
    const { page } = k;
    const [a, b, c] = numericBadges;

    // 1. The line to the station drops while a tap is on its way: an apology, the calm note, then welcome.
    mode = 'drop-on-tap';
    await wedgeBurst(page, a!.uid);
    await waitForScreen(page, 'error', 'Désolé');
    await capture(page, 'error');
    await page.clock.fastForward(ERROR_HOLD_MS);
    await waitForWelcome(page, 5_000);
    await kiosk(page).locator('[data-testid="station-note"]').waitFor({ state: 'detached', timeout: 10_000 });
    // The page reconnected by itself: the same badge now checks in.
    await wedgeBurst(page, a!.uid);
    await waitForScreen(page, 'checked_in', badges.member(a!.memberId).firstName);
    await page.touchscreen.tap(640, 300);
    await waitForWelcome(page, 2_000);

    // 2. The station unreachable for a while: a small calm note on the welcome screen; back when it is.
    mode = 'refuse';
    for (const ws of pageSides.splice(0)) await ws.close();
    await kiosk(page).locator('[data-testid="station-note"]', { hasText: 'Reconnexion à la station' }).waitFor({ timeout: 5_000 });
    expect(await screenOf(page)).toBe('welcome');
    await capture(page, 'station-lost');
    // A wedge tap meanwhile: an apology, never a frozen screen.
    await wedgeBurst(page, b!.uid);
    await waitForScreen(page, 'error', 'Désolé');
    await page.clock.fastForward(ERROR_HOLD_MS);
    await waitForWelcome(page, 5_000);
    mode = 'pass';
    await kiosk(page).locator('[data-testid="station-note"]').waitFor({ state: 'detached', timeout: 10_000 });

    // 3. An answer that comes too late: "one moment", an apology once the kiosk's time-out has
    // passed, then the answer when it comes (let through only then).
    mode = 'late-tap';
    await wedgeBurst(page, b!.uid);
    await page.locator('.busy', { hasText: 'Un instant' }).waitFor({ timeout: 3_000 });
    await capture(page, 'one-moment');
    expect(heldTap).toBeDefined();
    await page.clock.fastForward(TAP_TIMEOUT_MS);
    await waitForScreen(page, 'error', 'Désolé', 5_000);
    heldTap!();
    await waitForScreen(page, 'checked_in', badges.member(b!.memberId).firstName, 10_000);

    // 4. A result the screen cannot show (a broken message): caught, back to welcome, still working.
    for (const ws of pageSides)
      ws.send(JSON.stringify({ kind: 'tap', read: { uid: 'X1', source: 'door', at: new Date().toISOString() }, result: { ok: true, value: { outcome: 'checked_out', visit: {} } } }));
    await waitForWelcome(page, 5_000);
    await s.reader!.tap(c!.uid);
    await waitForScreen(page, 'checked_in', badges.member(c!.memberId).firstName);
  });
});

describe('offline kiosk', () => {
  it('the hub stopped: a calm note, taps still work and are recorded with their real time, and reach the hub when it is back', async () => {
    const testHub = await startTestHub();
    let hubOpen = true;
    cleanups.push(() => hubOpen && testHub.close());
    const { credential } = await testHub.enroll(DEMO_SITE_ID);
    // What the page hears of its syncStatus calls (matched by id): online or not. Its clock is the
    // test's (Playwright's fake timers, running), so its polls can be asked for at once.
    const syncAnswers: boolean[] = [];
    const frame = (payload: string | Buffer) => {
      try {
        return JSON.parse(String(payload)) as { id?: number; method?: string; kind?: string; result?: { ok: boolean; value?: { online?: boolean } } };
      } catch {
        return undefined;
      }
    };
    const { s, page } = await kioskOn({ hub: { url: testHub.url, credential } }, undefined, {
      beforeGoto: async (p) => {
        await p.clock.install();
        p.on('websocket', (ws) => {
          const asked = new Set<number>();
          ws.on('framesent', (f) => {
            const m = frame(f.payload);
            if (m?.method === 'syncStatus' && m.id !== undefined) asked.add(m.id);
          });
          ws.on('framereceived', (f) => {
            const m = frame(f.payload);
            if (m?.kind === 'answer' && m.id !== undefined && asked.delete(m.id)) syncAnswers.push(m.result?.ok === true && m.result.value?.online === true);
          });
        });
      },
    });
    await waitFor(async () => {
      const r = await s.api.syncStatus({});
      return r.ok && r.value.online && r.value.backlog === 0;
    }, 'the station online with the hub', { timeoutMs: 20_000 });
    // No note while the hub is there. The note needs two "offline" answers in a row: two polls,
    // asked now on the page's clock, are answered "online"; then a tap the page shows after those
    // answers (same socket, in order) — had they brought the note, it would be on screen by then.
    const heard = syncAnswers.length;
    await page.clock.runFor(2 * SYNC_POLL_MS);
    await waitFor(() => syncAnswers.length >= heard + 2 && syncAnswers.slice(-2).every(Boolean), 'two syncStatus answers "online" at the page');
    await s.reader!.tap('04A1B2C3D5');
    await waitForScreen(page, 'unknown_badge', 'badge');
    expect(await page.locator('[data-testid="offline-note"]').count()).toBe(0);
    await page.touchscreen.tap(640, 300);
    await waitForWelcome(page, 2_000);

    await testHub.close();
    hubOpen = false;
    // Once the station knows, the page's next two polls say so.
    await waitFor(async () => {
      const r = await s.api.syncStatus({});
      return r.ok && !r.value.online;
    }, 'the station to see the hub gone');
    await page.clock.runFor(2 * SYNC_POLL_MS);
    await page.locator('[data-testid="offline-note"]', { hasText: 'Hors ligne — tout est enregistré' }).waitFor({ timeout: 15_000 });
    expect(await screenOf(page)).toBe('welcome');
    await capture(page, 'offline');

    // Taps still work: through the reader and the keyboard wedge.
    const reader = badgeOf('Eline');
    const tappedAt = Date.now();
    await s.reader!.tap(reader.uid);
    await waitForScreen(page, 'checked_in', 'Eline');
    // The note stays, calm, over a result too.
    expect(await page.locator('[data-testid="offline-note"]').count()).toBe(1);
    await capture(page, 'offline-checked-in');
    await page.touchscreen.tap(640, 300);
    const wedge = numericBadges[0]!;
    await wedgeBurst(page, wedge.uid);
    await waitForScreen(page, 'checked_in', badges.member(wedge.memberId).firstName);

    const status = unwrap(await s.api.syncStatus({}));
    expect(status.online).toBe(false);
    expect(status.backlog).toBeGreaterThanOrEqual(2);
    const onSite = unwrap(await s.api.onSite({}));
    expect(onSite.map((e) => e.person.id).sort()).toEqual([reader.member.id, wedge.memberId].sort());

    // The hub back on the same port: the queue drains, the visits keep the time they happened.
    const store = new SqliteHubStore(testHub.file);
    const hub = await startHub({ store, port: testHub.port, adminToken: 'kiosk-test-admin' });
    cleanups.push(async () => {
      await hub.close();
      await store.close();
    });
    await waitFor(async () => {
      const r = await s.api.syncStatus({});
      return r.ok && r.value.online && r.value.backlog === 0;
    }, 'the backlog drained', { timeoutMs: 30_000 });
    await page.clock.runFor(SYNC_POLL_MS);
    await page.locator('[data-testid="offline-note"]').waitFor({ state: 'detached', timeout: 10_000 });
    const events = await store.listEvents({ siteId: contextOf(s.station).siteId, limit: 10_000 });
    const checkIns = events.filter((e) => e.type === 'visit.checked_in').map((e) => e.payload as { visitId: string; at: string; person: { memberId: string } });
    const eline = checkIns.find((e) => e.person.memberId === reader.member.id)!;
    expect(eline).toBeDefined();
    expect(Math.abs(Date.parse(eline.at) - tappedAt)).toBeLessThan(5_000);
    expect(checkIns.map((e) => e.visitId).sort()).toEqual(onSite.map((e) => e.visitId).sort());
  });
});
