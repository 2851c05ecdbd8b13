// The accounts' commands (escale-hub statements|settlement|evaluation|close) and admin API routes
// (/admin/accounts/…) over the real accounts engine and a real hub: three stations record the
// first days of October 2026 and sync to it on 127.0.0.1. The CLI runs on the hub's own store
// file; what it prints (JSON, CSV, PDF) is what the engine answers over the hub's store. Inputs are
// checked with clear errors; a month closes only once every site's watermark passed its end plus
// the grace days (exit 3 before); 503 when no accounts are wired.
import { hoursAndMinutes } from '../../common/documents/duration.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountsFactory } from '../../server/cli/escale-hub.js';
import { runCli } from '../support/cli.js';
import { createAccounts } from '../../server/accounts/index.js';
import { evaluationSchema, settlementSchema, statementSchema, type Statement } from '../../common/accounts/reports.js';
import { closeResultSchema, stationListingSchema } from '../../common/admin-api.js';
import { decimalToCents, formatMoney } from '../../common/money.js';
import { PROTOCOL_VERSION } from '../../common/sync/protocol.js';
import type { HubStore } from '../../server/store/store.js';
import { ADMIN_TOKEN, startTestHub, stopTestHubStores, type TestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { SITE_A, SITE_B, SITE_C, openNetworkMonth, syncSites, type NetworkMonth } from '../support/accounts-network.js';
import { naiveLines, naivePayerTotals } from './naive-accounts.js';
import { readCsvRecords } from '../support/csv.js';

/** The hub's clock for the accounts (closedAt, how far the ledger reads): fixed, moved on purpose only. */
let hubNow = Date.parse('2026-11-04T12:00:00.000Z');
const engineOn = (store: HubStore) => createAccounts(store, { now: () => hubNow });
/** The CLI's accounts: the real engine over the store the CLI opened on the hub's file. */
const accounts: AccountsFactory = (store) => engineOn(store);

let net: NetworkMonth;
let t: TestHub;
/** The engine over the serving hub's own store: what the CLI and the API must print. */
const engine = () => engineOn(t.store);
const PAYERS = ['acme', 'self-network', 'self-pass', 'self-payg', 'self-recruit', 'self-roam'];

beforeAll(async () => {
  // October 1–9 (seven weekdays), every station synced on the 12th: October cannot close yet.
  net = await openNetworkMonth({ accounts: engineOn, lastDay: 9, syncedAt: '2026-10-12T07:00:00.000Z', now: () => hubNow });
  t = net.hub;
}, 180_000);

afterAll(async () => {
  await net?.close();
  await stopTestHubStores();
});

/** Runs escale-hub in this process with `accounts`; what it wrote to stdout and stderr, and its exit code. */
async function hub(args: string[], accounts: AccountsFactory | null, options: { tty?: boolean } = {}) {
  // Every command opens the store with its erasure log (required with PostgreSQL), as an operator's do.
  const argv = args.includes('--db') && !args.includes('--erasure-log') ? [...args, '--erasure-log', t.erasureLog] : args;
  const r = await runCli('escale-hub', argv, { accounts, ...(options.tty !== undefined ? { tty: options.tty } : {}) });
  return { code: r.status, stdout: r.bytes, text: r.stdout, stderr: r.stderr };
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('escale-hub accounts commands, on the hub’s store', () => {
  let db: string;
  let dir: string;
  let october: Statement[];
  beforeAll(async () => {
    db = t.file;
    dir = t.dir;
    october = await engine().statements('2026-10');
  });

  it('prints every payer’s statement as JSON: the engine’s, adding up to the raw events', async () => {
    const json = await hub(['statements', '--db', db, '--period', '2026-10'], accounts);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const statements = statementSchema.array().parse(JSON.parse(json.text));
    expect(statements).toEqual(october);
    expect(statements.map((s) => s.payerId).sort()).toEqual(PAYERS);
    // Independently of the engine: the totals are those of the stations' events, payer by payer.
    const expected = naivePayerTotals(naiveLines(await t.store.listEvents({ limit: 1_000_000 }), net.ref), net.ref, '2026-10');
    for (const s of statements) {
      expect(s.status).toBe('provisional');
      expect({ payer: s.payerId, net: s.totals.netCents, vat: s.totals.vatCents }).toEqual({ payer: s.payerId, ...expected.get(s.payerId)! });
    }

    const one = await hub(['statements', '--db', db, '--period', '2026-10', '--payer', 'acme'], accounts);
    expect(one.code).toBe(0);
    expect(statementSchema.array().parse(JSON.parse(one.text))).toEqual(await engine().statements('2026-10', 'acme'));
    expect(JSON.parse(one.text).map((s: Statement) => s.payerId)).toEqual(['acme']);
  });

  it('writes one CSV row per statement line, whose sums are each statement’s totals', async () => {
    const csv = await hub(['statements', '--db', db, '--period', '2026-10', '--format', 'csv'], accounts);
    expect(csv.code).toBe(0);
    expect(csv.text.slice(0, csv.text.indexOf('\r\n'))).toMatch(/^period,payer_id,payer_name,/);
    const rows = readCsvRecords(csv.text);
    expect(rows.length).toBe(october.reduce((n, s) => n + s.lines.length, 0));
    for (const s of october) {
      const mine = rows.filter((r) => r.payer_id === s.payerId);
      expect(mine.length, s.payerId).toBe(s.lines.length);
      const total = (column: string) => mine.reduce((n, r) => n + decimalToCents(r[column]!), 0);
      expect({ payer: s.payerId, net: total('net_eur'), vat: total('vat_eur'), gross: total('gross_eur') }).toEqual({
        payer: s.payerId, net: s.totals.netCents, vat: s.totals.vatCents, gross: s.totals.grossCents,
      });
      expect(mine.every((r) => r.payer_name === s.payerName && r.status === 'provisional' && r.period === '2026-10')).toBe(true);
    }
  });

  it('writes a payer’s statement as a PDF in its language, naming the payer and its total', async () => {
    const acme = october.find((s) => s.payerId === 'acme')!;
    const out = path.join(dir, 'acme.pdf');
    const pdf = await hub(['statements', '--db', db, '--period', '2026-10', '--payer', 'acme', '--format', 'pdf', '--out', out], accounts);
    expect(pdf.code).toBe(0);
    expect(JSON.parse(pdf.text)).toEqual({ written: out, format: 'pdf', bytes: fs.statSync(out).size });
    const text = pdfText(out);
    expect(text).toContain('Relevé — octobre 2026');
    expect(text).toContain('Acme SA');
    expect(text).toContain('BE0123456749');
    expect(text).toContain(plain(formatMoney(acme.totals.grossCents, 'fr')));
    expect(text).toContain('PROVISOIRE');
    // Desk time is billed in minutes and read as hours.
    // (Covered and paid parts are separate lines; together they are whole billing increments.)
    const desk = acme.lines.filter((l) => l.serviceCode === 'desk_hour' && l.kind === 'usage');
    expect(desk.map((l) => l.unit)).toEqual(desk.map(() => 'min'));
    expect(desk.reduce((n, l) => n + l.quantity, 0) % 15).toBe(0);
    for (const l of desk) expect(text).toContain(hoursAndMinutes(l.quantity, 'fr'));
    // No half-written file is left beside it.
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // A PDF to standard output is fine when it is redirected, refused on a terminal.
    const piped = await hub(['statements', '--db', db, '--period', '2026-10', '--format', 'pdf'], accounts);
    expect(piped.stdout.subarray(0, 5).toString()).toBe('%PDF-');
    const all = path.join(dir, 'all.pdf');
    fs.writeFileSync(all, piped.stdout);
    const allText = pdfText(all);
    for (const s of october) expect(allText, s.payerId).toContain(s.payerName);
    const tty = await hub(['statements', '--db', db, '--period', '2026-10', '--format', 'pdf'], accounts, { tty: true });
    expect(tty.code).toBe(2);
    expect(tty.stderr).toContain('a PDF is binary: give --out FILE');
  });

  it('prints the settlement and an evaluation as the engine computes them, in the language asked', async () => {
    const settlement = await hub(['settlement', '--db', db, '--period', '2026-10'], accounts);
    expect(settlement.code).toBe(0);
    const s = settlementSchema.parse(JSON.parse(settlement.text));
    expect(s).toEqual(await engine().settlement('2026-10'));
    expect(s.sites.map((x) => x.siteId).sort()).toEqual([SITE_A, SITE_B, SITE_C].sort());
    expect(s.network.billedNetCents).toBe(october.reduce((n, st) => n + st.totals.netCents, 0));
    const csv = readCsvRecords((await hub(['settlement', '--db', db, '--period', '2026-10', '--format', 'csv'], accounts)).text);
    expect(csv.map((r) => [r.site_id, decimalToCents(r.payout_eur!)])).toEqual(s.sites.map((x) => [x.siteId, x.payoutCents]));
    const out = path.join(dir, 'settlement.pdf');
    expect((await hub(['settlement', '--db', db, '--period', '2026-10', '--format', 'pdf', '--lang', 'nl', '--out', out], accounts)).code).toBe(0);
    const text = pdfText(out);
    expect(text).toContain('Verrekening met de centra — oktober 2026');
    for (const name of ['Bruxelles A', 'Gent B', 'Namur C']) expect(text).toContain(name);
    expect(text).toContain(plain(formatMoney(s.network.billedNetCents, 'nl')));

    const evaluation = await hub(['evaluation', '--db', db, '--site', SITE_A, '--from', '2026-09', '--until', '2026-10'], accounts);
    expect(evaluation.code).toBe(0);
    const e = evaluationSchema.parse(JSON.parse(evaluation.text));
    expect(e).toEqual(await engine().evaluation(SITE_A, '2026-09', '2026-10'));
    const atA = net.visits.filter((v) => v.siteId === SITE_A);
    expect(e.months.map((m) => [m.period, m.visits])).toEqual([['2026-09', 0], ['2026-10', atA.length]]);
    const evaluationCsv = await hub(['evaluation', '--db', db, '--site', SITE_A, '--from', '2026-10', '--until', '2026-10', '--format', 'csv'], accounts);
    expect(evaluationCsv.text.split('\r\n')[0]).toBe('site_id,site_name,period,visits,hosted_minutes,revenue_net_eur,reader_faults,printer_faults,print_jobs_failed,device_down_minutes,tills_closed,tills_with_difference,till_shortfall_eur,till_surplus_eur');
    expect(readCsvRecords(evaluationCsv.text).map((r) => [r.site_id, r.site_name, r.period, Number(r.visits)])).toEqual([[SITE_A, 'Bruxelles A', '2026-10', atA.length]]);
  });

  it('refuses bad input saying what is wrong and what to give, before opening the store', async () => {
    const cases: [string[], number, RegExp][] = [
      [['statements', '--db', db, '--period', '2026-13'], 1, /INVALID_INPUT: --period "2026-13" is not a month: give it as YYYY-MM, e.g. 2026-03/],
      [['statements', '--db', db], 2, /missing --period YYYY-MM/],
      [['settlement', '--db', db, '--period', '2026-10', '--format', 'xlsx'], 1, /--format "xlsx" is not one of json, csv, pdf/],
      [['settlement', '--db', db, '--period', '2026-10', '--lang', 'es'], 1, /--lang "es" is not one of fr, nl, en, de/],
      [['evaluation', '--db', db, '--site', SITE_A, '--from', '2026-10', '--until', '2026-09'], 1, /--from 2026-10 is after --until 2026-09/],
      [['evaluation', '--db', db], 2, /missing --site SITE/],
      [['close', '--db', db, '--period', '2026-10', '--format', 'csv'], 2, /close prints its result as JSON/],
      [['statements', '--period', '2026-10'], 2, /missing --db/],
    ];
    for (const [args, code, message] of cases) {
      const r = await hub(args, accounts);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code, args.join(' ')).toBe(code);
    }
    const nobody = await hub(['statements', '--db', db, '--period', '2026-10', '--payer', 'nobody'], accounts);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/NOT_FOUND: no statement for payer "nobody" in 2026-10/);
    // Nothing was closed on the way.
    expect(await engine().closedPeriods()).toEqual([]);
  });

  it('says the accounts engine is missing when none is wired', async () => {
    const r = await hub(['settlement', '--db', db, '--period', '2026-03'], null);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ACCOUNTS_UNAVAILABLE: the accounts engine is not part of this build/);
  });

  it('closes a month only once every site’s watermark passed its end plus the grace days: exit 3 before, 0 after', async () => {
    // A and B send everything up to 4 November; C still stops at 12 October.
    await syncSites(t, net.stations, [SITE_A, SITE_B], '2026-11-04T08:00:00.000Z');
    const notYet = await hub(['close', '--db', db, '--period', '2026-10'], accounts);
    expect(notYet.code).toBe(3);
    const waiting = closeResultSchema.parse(JSON.parse(notYet.text));
    expect(waiting).toMatchObject({ period: '2026-10', closed: false, waitingFor: [{ siteId: SITE_C, needed: '2026-11-03T23:00:00.000Z' }] });
    expect(waiting.waitingFor).toHaveLength(1);
    expect(waiting.waitingFor[0]!.watermark! < '2026-11-03T23:00:00.000Z').toBe(true);
    expect(await engine().closedPeriods()).toEqual([]);
    expect((await engine().statements('2026-10')).every((s) => s.status === 'provisional')).toBe(true);

    await syncSites(t, net.stations, [SITE_C], '2026-11-04T08:00:00.000Z');
    const closed = await hub(['close', '--db', db, '--period', '2026-10'], accounts);
    expect(closed.stderr).toBe('');
    expect(closed.code).toBe(0);
    expect(closeResultSchema.parse(JSON.parse(closed.text))).toEqual({ period: '2026-10', closed: true, waitingFor: [], closedAt: '2026-11-04T12:00:00.000Z' });
    // Closed in the hub's store: the engine over the serving hub sees it, its statements frozen as they were.
    expect(await engine().closedPeriods()).toEqual([{ period: '2026-10', closedAt: '2026-11-04T12:00:00.000Z' }]);
    const frozen = statementSchema.array().parse(JSON.parse((await hub(['statements', '--db', db, '--period', '2026-10'], accounts)).text));
    expect(frozen.map((s) => [s.payerId, s.status, s.totals])).toEqual(october.map((s) => [s.payerId, 'closed', s.totals]));
    // Closing again answers the same close.
    const again = await hub(['close', '--db', db, '--period', '2026-10'], accounts);
    expect([again.code, JSON.parse(again.text).closedAt]).toEqual([0, '2026-11-04T12:00:00.000Z']);
  });
});

describe('admin API: accounts, on the hub’s engine', () => {
  let bare: TestHub;
  beforeAll(async () => {
    bare = await startTestHub({ reference: false });
  });
  afterAll(async () => {
    await bare?.close();
  });

  const get = (h: TestHub, route: string, token = ADMIN_TOKEN) => fetch(`${h.url}/admin/${route}`, { headers: { authorization: `Bearer ${token}` } });

  it('answers statements, the settlement and an evaluation as JSON: the engine’s reports', async () => {
    const statements = statementSchema.array().parse(await t.admin('GET', 'accounts/statements?period=2026-10&payer=self-pass'));
    expect(statements).toEqual(await engine().statements('2026-10', 'self-pass'));
    expect(statements.map((s) => [s.payerId, s.payerName, s.language])).toEqual([['self-pass', 'P. Test', 'nl']]);
    expect(statements[0]!.lines.some((l) => l.kind === 'pass_fee' && l.netCents === 25_000)).toBe(true);
    expect(settlementSchema.parse(await t.admin('GET', 'accounts/settlement?period=2026-10'))).toEqual(await engine().settlement('2026-10'));
    const evaluation = evaluationSchema.parse(await t.admin('GET', `accounts/evaluation?site=${SITE_B}&from=2026-10&until=2026-11`));
    expect(evaluation).toEqual(await engine().evaluation(SITE_B, '2026-10', '2026-11'));
    expect(evaluation.months.map((m) => [m.period, m.visits])).toEqual([['2026-10', net.visits.filter((v) => v.siteId === SITE_B).length], ['2026-11', 0]]);
    // An empty parameter (a form's blank field) counts as not given.
    const all = statementSchema.array().parse(await t.admin('GET', 'accounts/statements?period=2026-10&payer='));
    expect(all.map((s) => s.payerId).sort()).toEqual(PAYERS);
  });

  it('sends PDF and CSV documents to download', async () => {
    const pass = (await engine().statements('2026-10', 'self-pass'))[0]!;
    const pdf = await get(t, 'accounts/statements.pdf?period=2026-10&payer=self-pass');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="statements-2026-10-self-pass.pdf"');
    const file = path.join(t.dir, 'statement.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = pdfText(file);
    expect(text).toContain('Afrekening — oktober 2026');
    expect(text).toContain('P. Test');
    expect(text).toContain(plain(formatMoney(pass.totals.grossCents, 'nl')));

    const csv = await get(t, 'accounts/settlement.csv?period=2026-10');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const settlement = await engine().settlement('2026-10');
    expect(readCsvRecords(await csv.text()).map((r) => [r.site_id, decimalToCents(r.due_eur!)])).toEqual(settlement.sites.map((x) => [x.siteId, x.dueCents]));
    const evaluation = await get(t, `accounts/evaluation.pdf?site=${SITE_A}&from=2026-10&until=2026-10&lang=fr`);
    expect(evaluation.status).toBe(200);
    fs.writeFileSync(file, Buffer.from(await evaluation.arrayBuffer()));
    expect(pdfText(file)).toContain('Bruxelles A');
  });

  it('refuses bad input naming the parameter, and unknown routes', async () => {
    const bad = await t.adminRaw('GET', 'accounts/statements?period=March');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({ code: 'INVALID_INPUT', message: 'period: a month as YYYY-MM' });
    const order = await t.adminRaw('GET', `accounts/evaluation?site=${SITE_A}&from=2026-10&until=2026-09`);
    expect(order.body.error?.message).toBe('from: from must not be after until');
    const lang = await t.adminRaw('GET', 'accounts/settlement.pdf?period=2026-10&lang=xx');
    expect(lang.status).toBe(400);
    expect(lang.body.error?.message).toMatch(/^lang: /);
    // A payer id no payer has: no statement, so no document either.
    expect(await t.admin('GET', 'accounts/statements?period=2026-10&payer=nobody')).toEqual([]);
    const nobody = await t.adminRaw('GET', 'accounts/statements.pdf?period=2026-10&payer=nobody');
    expect([nobody.status, nobody.body.error]).toEqual([404, { code: 'NOT_FOUND', message: 'no statement for payer "nobody" in 2026-10' }]);
    const route = await t.adminRaw('GET', 'accounts/invoices');
    expect(route.status).toBe(404);
    expect(route.body.error?.message).toMatch(/statements, settlement, evaluation \(\.csv, \.pdf\), close, closed/);
    expect((await get(t, 'accounts/statements?period=2026-10', 'wrong-token')).status).toBe(401);
  });

  it('closes a month once every site has sent it all; its statements are then closed', async () => {
    // November (pass fees) waits for every site: they have sent events up to 4 November only.
    hubNow = Date.parse('2026-12-04T12:00:00.000Z');
    const early = closeResultSchema.parse(await t.admin('POST', 'accounts/close', { period: '2026-11' }));
    expect(early).toMatchObject({ period: '2026-11', closed: false });
    expect(early.waitingFor.map((w) => [w.siteId, w.needed]).sort()).toEqual([SITE_A, SITE_B, SITE_C].sort().map((site) => [site, '2026-12-03T23:00:00.000Z']));
    expect(statementSchema.array().parse(await t.admin('GET', 'accounts/statements?period=2026-11')).map((s) => s.status)).not.toContain('closed');

    await syncSites(t, net.stations, [SITE_A, SITE_B, SITE_C], '2026-12-04T08:00:00.000Z');
    const result = closeResultSchema.parse(await t.admin('POST', 'accounts/close', { period: '2026-11' }));
    expect(result).toEqual({ period: '2026-11', closed: true, waitingFor: [], closedAt: '2026-12-04T12:00:00.000Z' });
    expect(await t.admin('GET', 'accounts/closed')).toEqual([
      { period: '2026-10', closedAt: '2026-11-04T12:00:00.000Z' },
      { period: '2026-11', closedAt: '2026-12-04T12:00:00.000Z' },
    ]);
    const november = statementSchema.array().parse(await t.admin('GET', 'accounts/statements?period=2026-11'));
    expect(november.length).toBeGreaterThan(0);
    expect(november.map((s) => s.status)).toEqual(november.map(() => 'closed'));
    expect(november).toEqual(await engine().statements('2026-11'));
    const bad = await t.adminRaw('POST', 'accounts/close', { period: '2026-2' });
    expect(bad.status).toBe(400);
  });

  it('answers 503 with a clear message when no accounts are wired', async () => {
    const r = await bare.adminRaw('GET', 'accounts/statements?period=2026-10');
    expect(r.status).toBe(503);
    expect(r.body.error).toEqual({ code: 'ACCOUNTS_UNAVAILABLE', message: expect.stringMatching(/accounts engine is not wired into this hub/) });
  });

  it('lists stations with whether they are connected now', async () => {
    const listing = async () => stationListingSchema.array().parse(await t.admin('GET', 'stations'));
    // The network's three stations sync: connected.
    expect((await listing()).filter((s) => s.online).map((s) => s.siteId).sort()).toEqual([SITE_A, SITE_B, SITE_C].sort());
    const { stationId, credential } = await t.enroll(SITE_A, 'Spare desk');
    const online = async () => (await listing()).find((s) => s.id === stationId)?.online;
    expect(await online()).toBe(false);
    const socket = io(t.url, { transports: ['websocket'], auth: { credential, protocol: PROTOCOL_VERSION }, reconnection: false, forceNew: true });
    try {
      await waitFor(async () => (await online()) === true, 'the station to show online');
    } finally {
      socket.close();
    }
    await waitFor(async () => (await online()) === false, 'the station to show offline after it left');
  });
});
