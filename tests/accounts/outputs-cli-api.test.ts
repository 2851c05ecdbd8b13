// The accounts' commands (escale-hub statements|settlement|evaluation|close) and admin API routes
// (/admin/accounts/…), over a fixture Accounts until the engine is wired in: inputs checked with
// clear errors, reports as JSON, CSV and PDF, the close's result, 503 when no accounts are wired.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main, type AccountsFactory } from '../../server/cli/escale-hub.js';
import { evaluationSchema, settlementSchema, statementSchema } from '../../common/accounts/reports.js';
import { closeResultSchema, stationListingSchema } from '../../common/admin-api.js';
import { PROTOCOL_VERSION } from '../../common/sync/protocol.js';
import { FixtureAccountsForOutputTests } from '../support/accounts-fixtures.js';
import { ADMIN_TOKEN, startTestHub, waitFor, type TestHub } from '../support/hub-fixture.js';
import { tempDir } from '../support/station-fixture.js';

/** Runs escale-hub in this process with `accounts`; what it wrote to stdout and stderr, and its exit code. */
async function hub(args: string[], accounts: AccountsFactory | null, options: { tty?: boolean } = {}) {
  const chunks: Buffer[] = [];
  const stdout = { write: (c: string | Uint8Array) => chunks.push(Buffer.from(c)), isTTY: options.tty ?? false };
  const errors: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    errors.push(String(c));
    return true;
  });
  try {
    const code = await main(args, { accounts, stdout });
    return { code, stdout: Buffer.concat(chunks), text: Buffer.concat(chunks).toString('utf8'), stderr: errors.join('') };
  } finally {
    spy.mockRestore();
  }
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');

describe('escale-hub accounts commands', () => {
  let dir: string;
  let db: string;
  let fixture: FixtureAccountsForOutputTests;
  const accounts: AccountsFactory = () => fixture;
  beforeAll(() => {
    dir = tempDir('escale-hub-accounts-');
    db = path.join(dir, 'hub.sqlite');
    fixture = new FixtureAccountsForOutputTests();
  });

  it('prints statements as JSON, CSV or PDF, for one payer or all', async () => {
    const json = await hub(['statements', '--db', db, '--period', '2026-03', '--payer', 'brugse-data'], accounts);
    expect(json.code).toBe(0);
    const statements = statementSchema.array().parse(JSON.parse(json.text));
    expect(statements.map((s) => s.payerId)).toEqual(['brugse-data']);
    expect(fixture.calls).toContain('statements 2026-03 brugse-data');

    const csv = await hub(['statements', '--db', db, '--period', '2026-03', '--format', 'csv'], accounts);
    expect(csv.code).toBe(0);
    const rows = csv.text.trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^period,payer_id,payer_name,/);
    expect(new Set(rows.slice(1).map((r) => r.split(',')[1]))).toEqual(new Set(['wallonie-tech', 'brugse-data', 'ostbelgien-consult', 'meridian-pharma']));

    const out = path.join(dir, 'acme.pdf');
    const pdf = await hub(['statements', '--db', db, '--period', '2026-03', '--payer', 'ostbelgien-consult', '--format', 'pdf', '--out', out], accounts);
    expect(pdf.code).toBe(0);
    expect(JSON.parse(pdf.text)).toEqual({ written: out, format: 'pdf', bytes: fs.statSync(out).size });
    expect(pdfText(out)).toContain('Abrechnung — März 2026');
    // No half-written file is left beside it.
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // A PDF to standard output is fine when it is redirected, refused on a terminal.
    const piped = await hub(['statements', '--db', db, '--period', '2026-03', '--format', 'pdf'], accounts);
    expect(piped.stdout.subarray(0, 5).toString()).toBe('%PDF-');
    const tty = await hub(['statements', '--db', db, '--period', '2026-03', '--format', 'pdf'], accounts, { tty: true });
    expect(tty.code).toBe(2);
    expect(tty.stderr).toContain('a PDF is binary: give --out FILE');
  });

  it('prints the settlement and an evaluation in the language asked', async () => {
    const settlement = await hub(['settlement', '--db', db, '--period', '2026-03'], accounts);
    expect(settlementSchema.parse(JSON.parse(settlement.text)).sites.length).toBe(3);
    const out = path.join(dir, 'settlement.pdf');
    expect((await hub(['settlement', '--db', db, '--period', '2026-03', '--format', 'pdf', '--lang', 'nl', '--out', out], accounts)).code).toBe(0);
    expect(pdfText(out)).toContain('Verrekening met de centra — maart 2026');

    const evaluation = await hub(['evaluation', '--db', db, '--site', 'leuven-station', '--from', '2026-02', '--until', '2026-03'], accounts);
    expect(evaluationSchema.parse(JSON.parse(evaluation.text)).months.map((m) => m.period)).toEqual(['2026-02', '2026-03']);
    expect(fixture.calls).toContain('evaluation leuven-station 2026-02 2026-03');
    const csv = await hub(['evaluation', '--db', db, '--site', 'leuven-station', '--format', 'csv'], accounts);
    expect(csv.text.split('\r\n')[0]).toBe('site_id,site_name,period,visits,hosted_minutes,revenue_net_eur');
  });

  it('refuses bad input saying what is wrong and what to give, before opening the store', async () => {
    const cases: [string[], number, RegExp][] = [
      [['statements', '--db', db, '--period', '2026-13'], 1, /INVALID_INPUT: --period "2026-13" is not a month: give it as YYYY-MM, e.g. 2026-03/],
      [['statements', '--db', db], 2, /missing --period YYYY-MM/],
      [['settlement', '--db', db, '--period', '2026-03', '--format', 'xlsx'], 1, /--format "xlsx" is not one of json, csv, pdf/],
      [['settlement', '--db', db, '--period', '2026-03', '--lang', 'es'], 1, /--lang "es" is not one of fr, nl, en, de/],
      [['evaluation', '--db', db, '--site', 'leuven-station', '--from', '2026-03', '--until', '2026-01'], 1, /--from 2026-03 is after --until 2026-01/],
      [['evaluation', '--db', db], 2, /missing --site SITE/],
      [['close', '--db', db, '--period', '2026-03', '--format', 'csv'], 2, /close prints its result as JSON/],
      [['statements', '--period', '2026-03'], 2, /missing --db/],
    ];
    for (const [args, code, message] of cases) {
      const r = await hub(args, accounts);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code, args.join(' ')).toBe(code);
    }
    const nobody = await hub(['statements', '--db', db, '--period', '2026-03', '--payer', 'nobody'], accounts);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/NOT_FOUND: no statement for payer "nobody" in 2026-03/);
  });

  it('says the accounts engine is missing when none is wired', async () => {
    const r = await hub(['settlement', '--db', db, '--period', '2026-03'], null);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ACCOUNTS_UNAVAILABLE: the accounts engine is not part of this build/);
  });

  it('closes a month and prints the result; exit 3 while sites are still waited for', async () => {
    const closed = await hub(['close', '--db', db, '--period', '2026-03'], accounts);
    expect(closed.code).toBe(0);
    expect(closeResultSchema.parse(JSON.parse(closed.text))).toMatchObject({ period: '2026-03', closed: true, waitingFor: [] });
    const waiting = new FixtureAccountsForOutputTests({ waitingFor: [{ siteId: 'gent-zuid', watermark: '2026-03-30T18:00:00.000Z', needed: '2026-04-04T00:00:00.000Z' }] });
    const notYet = await hub(['close', '--db', db, '--period', '2026-03'], () => waiting);
    expect(notYet.code).toBe(3);
    expect(JSON.parse(notYet.text)).toMatchObject({ closed: false, waitingFor: [{ siteId: 'gent-zuid' }] });
  });
});

describe('admin API: accounts', () => {
  let t: TestHub;
  let bare: TestHub;
  let fixture: FixtureAccountsForOutputTests;
  beforeAll(async () => {
    fixture = new FixtureAccountsForOutputTests();
    t = await startTestHub({ accounts: () => fixture });
    bare = await startTestHub();
  });
  afterAll(async () => {
    await t?.close();
    await bare?.close();
  });

  const get = (h: TestHub, route: string, token = ADMIN_TOKEN) => fetch(`${h.url}/admin/${route}`, { headers: { authorization: `Bearer ${token}` } });

  it('answers statements, the settlement and an evaluation as JSON that parses with the report schemas', async () => {
    const statements = statementSchema.array().parse(await t.admin('GET', 'accounts/statements?period=2026-03&payer=meridian-pharma'));
    expect(statements.map((s) => [s.payerId, s.language, s.status])).toEqual([['meridian-pharma', 'en', 'provisional']]);
    expect(settlementSchema.parse(await t.admin('GET', 'accounts/settlement?period=2026-03')).period).toBe('2026-03');
    expect(evaluationSchema.parse(await t.admin('GET', 'accounts/evaluation?site=leuven-station&from=2026-01&until=2026-02')).months.length).toBe(2);
    // An empty parameter (a form's blank field) counts as not given.
    expect(statementSchema.array().parse(await t.admin('GET', 'accounts/statements?period=2026-03&payer=')).length).toBe(4);
  });

  it('sends PDF and CSV documents to download', async () => {
    const pdf = await get(t, 'accounts/statements.pdf?period=2026-03&payer=brugse-data');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="statements-2026-03-brugse-data.pdf"');
    const file = path.join(t.dir, 'statement.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    expect(pdfText(file)).toContain('Afrekening — maart 2026');
    const csv = await get(t, 'accounts/settlement.csv?period=2026-03');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n').length).toBe(3 + 2);
    const evaluation = await get(t, 'accounts/evaluation.pdf?site=leuven-station&lang=fr');
    expect(evaluation.status).toBe(200);
  });

  it('refuses bad input naming the parameter, and unknown routes', async () => {
    const bad = await t.adminRaw('GET', 'accounts/statements?period=March');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({ code: 'INVALID_INPUT', message: 'period: a month as YYYY-MM' });
    const order = await t.adminRaw('GET', 'accounts/evaluation?site=leuven-station&from=2026-03&until=2026-01');
    expect(order.body.error?.message).toBe('from: from must not be after until');
    const lang = await t.adminRaw('GET', 'accounts/settlement.pdf?period=2026-03&lang=xx');
    expect(lang.status).toBe(400);
    expect(lang.body.error?.message).toMatch(/^lang: /);
    const route = await t.adminRaw('GET', 'accounts/invoices');
    expect(route.status).toBe(404);
    expect(route.body.error?.message).toMatch(/statements, settlement, evaluation \(\.csv, \.pdf\), close, closed/);
    expect((await get(t, 'accounts/statements?period=2026-03', 'wrong-token')).status).toBe(401);
  });

  it('closes a month; its statements are then closed', async () => {
    const result = closeResultSchema.parse(await t.admin('POST', 'accounts/close', { period: '2026-02' }));
    expect(result).toMatchObject({ period: '2026-02', closed: true });
    expect(await t.admin('GET', 'accounts/closed')).toEqual([{ period: '2026-02', closedAt: result.closedAt }]);
    expect(statementSchema.array().parse(await t.admin('GET', 'accounts/statements?period=2026-02'))[0]!.status).toBe('closed');
    const bad = await t.adminRaw('POST', 'accounts/close', { period: '2026-2' });
    expect(bad.status).toBe(400);
  });

  it('answers 503 with a clear message when no accounts are wired', async () => {
    const r = await bare.adminRaw('GET', 'accounts/statements?period=2026-03');
    expect(r.status).toBe(503);
    expect(r.body.error).toEqual({ code: 'ACCOUNTS_UNAVAILABLE', message: expect.stringMatching(/accounts engine is not wired into this hub/) });
  });

  it('lists stations with whether they are connected now', async () => {
    const { stationId, credential } = await t.enroll('bxl-louise', 'Reception');
    const online = async () => stationListingSchema.array().parse(await t.admin('GET', 'stations')).find((s) => s.id === stationId)?.online;
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
