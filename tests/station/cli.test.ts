// The escale-station command line over one data folder for the file: in this process (its
// main(argv, deps), output captured: tests/support/cli.ts), and a few runs as the package's bin
// (node bin/escale-station.js on the compiled dist/) where the process is what is tested — its exit
// code, a PIN on its standard input. Exit codes: 0 done, 1 refused or failed, 2 a bad command line.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stationEventSchema } from '../../common/events.js';
import { DATABASE_FILE } from '../../main/station/database/open.js';
import { DEMO_STAFF, demoBadges, demoReferenceData, tempDir } from '../support/station-fixture.js';
import { runCli, stationJson, type CliOptions } from '../support/cli.js';
import { root } from '../support/hub-fixture.js';
import { formatCents } from '../../common/money.js';

const demoFile = path.join(root, 'resources/demo/reference-data.json');

/** `--pin P` stands for the PIN typed on standard input (never in argv). */
function withPin(args: string[]): { argv: string[]; options: CliOptions } {
  const at = args.indexOf('--pin');
  return at < 0 ? { argv: args, options: {} } : { argv: [...args.slice(0, at), ...args.slice(at + 2)], options: { stdin: `${args[at + 1]}\n` } };
}

function cli(...args: string[]) {
  const { argv, options } = withPin(args);
  return runCli('escale-station', argv, options);
}

/** Runs a command with --json and returns its parsed result (JSON of any shape, checked by the tests). */
function json(...args: string[]) {
  const { argv, options } = withPin(args);
  return stationJson(argv, options);
}

let dataDir: string;
const badges = demoBadges();

beforeAll(() => {
  dataDir = tempDir('escale-cli-');
});

describe('escale-station CLI', () => {
  it('init creates the station of a site in a data folder', async () => {
    const r = await json('init', '--data', dataDir, '--site', 'bxl-louise');
    expect(r.status).toBe(0);
    expect(r.result).toMatchObject({ ok: true, value: { dataDir, siteId: 'bxl-louise' } });
    expect(r.result.value.epoch).toMatch(/^[0-9a-f-]{36}$/);
    expect(fs.existsSync(path.join(dataDir, DATABASE_FILE))).toBe(true);
    // Again for another site: refused.
    const other = await json('init', '--data', dataDir, '--site', 'gent-zuid');
    expect(other.status).toBe(1);
    expect(other.result.error?.code).toBe('CONFLICT');
  });

  it('import loads the demo reference data; a bad file is refused with the field at fault', async () => {
    const r = await json('import', '--data', dataDir, demoFile);
    expect(r.status).toBe(0);
    expect(r.result.value.counts).toMatchObject({ members: 200, tariffs: 2, staff: 2 });

    const bad = JSON.parse(fs.readFileSync(demoFile, 'utf8'));
    bad.members[3].email = 'nope';
    const badFile = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(badFile, JSON.stringify(bad));
    const refused = await json('import', '--data', dataDir, badFile);
    expect(refused.status).toBe(1);
    expect(refused.result.error?.code).toBe('REFERENCE_DATA_INVALID');
    expect(refused.result.error?.message).toContain('members[3].email');

    const notJson = path.join(tempDir(), 'broken.json');
    fs.writeFileSync(notJson, '{"format": ');
    const broken = await json('import', '--data', dataDir, notJson);
    expect(broken.status).toBe(1);
    expect(broken.result.error?.message).toMatch(/not valid JSON/);
  });

  it('tap checks in and out with a queued time (--at), and answers an unknown badge with its UID', async () => {
    const uid = badges.active[0]!.uid;
    const tapIn = await json('tap', '--data', dataDir, uid, '--at', '2026-02-10T08:00:00.000Z');
    expect(tapIn.status).toBe(0);
    expect(tapIn.result.value).toMatchObject({ outcome: 'checked_in', visit: { checkedInAt: '2026-02-10T08:00:00.000Z', badgeUid: uid } });
    const tapOut = await json('tap', '--data', dataDir, uid, '--at', '2026-02-10T10:00:00.000Z');
    expect(tapOut.result.value).toMatchObject({ outcome: 'checked_out', visit: { durationMinutes: 120, totals: { netCents: 1000, vatCents: 210, grossCents: 1210 } } });
    const unknown = await json('tap', '--data', dataDir, 'CAFE0000BEEF');
    expect(unknown).toEqual({ status: 0, result: { ok: true, value: { outcome: 'unknown_badge', uid: 'CAFE0000BEEF' } }, stderr: '' });
  });

  it('tap 00137542ab checks in the member whose badge is 00137542AB', async () => {
    const owner = demoReferenceData().badges.find((b) => b.uid === '00137542AB')!.memberId;
    const r = await json('tap', '--data', dataDir, '00137542ab');
    expect(r.status).toBe(0);
    expect(r.result.value).toMatchObject({ outcome: 'checked_in', visit: { person: { id: owner }, badgeUid: '00137542AB' } });
  });

  it('prints a readable line without --json; a refused tap is still a done command (exit 0)', async () => {
    const member = badges.member(badges.active[1]!.memberId);
    const r = await cli('tap', '--data', dataDir, badges.active[1]!.uid);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Welcome, ${member.firstName} ${member.lastName}`);
    const refused = await json('tap', '--data', dataDir, badges.lost.uid);
    expect(refused.status).toBe(0);
    expect(refused.result.value).toMatchObject({ outcome: 'refused', reason: 'badge_lost' });
  });

  it('search, onsite and day answer in JSON', async () => {
    const hits = await json('search', '--data', dataDir, 'lefevre');
    expect(hits.status).toBe(0);
    expect(hits.result.value).toHaveLength(7);
    const onsite = await json('onsite', '--data', dataDir);
    expect(onsite.status).toBe(0);
    expect(onsite.result.value.map((e: { person: { id: string } }) => e.person.id)).toContain(badges.active[1]!.memberId);
    const day = await json('day', '--data', dataDir, '2026-02-10');
    expect(day.status).toBe(0);
    expect(day.result.value).toMatchObject({ date: '2026-02-10', visits: 1, minutesHosted: 120, totals: { netCents: 1000 } });
  });

  it('checkin, consume, void and checkout by staff', async () => {
    const memberId = badges.active[2]!.memberId;
    const visit = await json('checkin', '--data', dataDir, memberId);
    expect(visit.status).toBe(0);
    const visitId = visit.result.value.visitId as string;
    const line = await json('consume', '--data', dataDir, visitId, 'meeting_room_hour', '45');
    expect(line.result.value).toMatchObject({ serviceCode: 'meeting_room_hour', billedQuantity: 60, netCents: 2500 });
    const voided = await json('void', '--data', dataDir, 'consumption', line.result.value.id, '--reason', 'room not used');
    expect(voided.result.value).toMatchObject({ source: 'void', netCents: -2500, voidsId: line.result.value.id });
    const out = await json('checkout', '--data', dataDir, visitId);
    expect(out.status).toBe(0);
    expect(out.result.value).toMatchObject({ visitId, checkedOutBy: 'staff' });
  });

  it('till, pay and refund: cash needs the till a clerk opened; the visit shows its payments; the till closes with the count and a reason', async () => {
    // Amounts are written as a Belgian reader writes them, with a narrow no-break space before €.
    const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
    const eur = (cents: number) => plain(formatCents(cents));
    const guest = async () => {
      const v = await json('guest', '--data', dataDir, '--first', 'Lou', '--last', 'Passant', '--consent');
      const visitId = v.result.value.visitId as string;
      expect((await json('consume', '--data', dataDir, visitId, 'coffee', '1')).status).toBe(0);
      const out = await json('checkout', '--data', dataDir, visitId);
      return { visitId, due: out.result.value.totals.grossCents as number };
    };
    const a = await guest();
    const refused = await cli('pay', '--data', dataDir, a.visitId, 'cash', '--tendered', '20');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('No till is open');
    expect((await cli('till', '--data', dataDir)).stdout.trim()).toBe('no till is open');
    // Opening needs a clerk: their shift.
    expect((await cli('till', 'open', '--data', dataDir, '--float', '100')).stdout).toContain('error SIGN_IN_REQUIRED');
    expect((await cli('till', 'open', '--data', dataDir, '--float', '100,5x')).status).toBe(2);
    const shiftId = (await json('signin', '--data', dataDir, 'joris', '--pin', '1357')).result.value.shiftId as string;
    const opened = await cli('till', 'open', '--data', dataDir, '--float', '100,00', '--shift', shiftId);
    expect(opened.status).toBe(0);
    expect(plain(opened.stdout)).toMatch(/opened by Joris Peeters .* with a float of 100,00/);

    const paid = await json('pay', '--data', dataDir, a.visitId, 'cash', '--tendered', '20', '--shift', shiftId);
    expect(paid.result.value).toMatchObject({ method: 'cash', amountCents: a.due, tenderedCents: 2000, changeCents: 2000 - a.due, outstandingCents: 0 });
    expect(paid.result.value.receiptNumber).toMatch(/^bxl-louise-[0-9A-F]{6}-\d{6}$/);
    const paymentId = paid.result.value.paymentId as string;
    const refund = await cli('refund', '--data', dataDir, paymentId, '--amount', '0.50', '--reason', 'Café tiède', '--shift', shiftId);
    expect(plain(refund.stdout)).toMatch(/refund .*: 0,50 € given back in cash \(Café tiède\); left to pay 0,50 €/);
    const visit = await cli('visit', '--data', dataDir, a.visitId);
    expect(plain(visit.stdout)).toContain(`paid in cash ${eur(a.due)} (tendered 20,00 €, change ${eur(2000 - a.due)})`);
    expect(plain(visit.stdout)).toMatch(/refunded in cash -0,50 €: Café tiède/);
    expect(plain(visit.stdout)).toContain(`total ${eur(a.due)}, paid ${eur(a.due - 50)}, left to pay 0,50 €`);
    expect(plain(visit.stdout)).not.toContain('provisional');

    // Invoiced to a company: its VAT number checked.
    const b = await guest();
    const badVat = await json('pay', '--data', dataDir, b.visitId, 'invoice', '--company', 'Brugse Data BV', '--vat', 'BE0403536728');
    expect(badVat.result.error).toMatchObject({ code: 'INVALID_INPUT', field: 'company.vatNumber' });
    const invoiced = await cli('pay', '--data', dataDir, b.visitId, 'invoice', '--company', 'Brugse Data BV', '--vat', 'BE0403.536.727');
    expect(plain(invoiced.stdout)).toMatch(/invoiced to Brugse Data BV \(BE0403536727\) by the network; left to pay 0,00 €/);

    const state = await cli('till', '--data', dataDir, '--shift', shiftId);
    const expected = 10_000 + a.due - 50;
    expect(plain(state.stdout)).toContain(`cash received ${eur(a.due)} (change given ${eur(2000 - a.due)}), cash refunds 0,50 €: ${eur(expected)} expected in the drawer`);
    expect(plain(state.stdout)).toContain(`invoiced ${eur(b.due)}; 2 payments, 1 refunds`);
    const counted = ((expected - 200) / 100).toFixed(2);
    const noReason = await json('till', 'close', '--data', dataDir, '--counted', counted, '--shift', shiftId);
    expect(noReason.result.error).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    const closed = await cli('till', 'close', '--data', dataDir, '--counted', counted, '--reason', 'Deux euros rendus en trop', '--shift', shiftId);
    expect(closed.status).toBe(0);
    expect(plain(closed.stdout)).toMatch(new RegExp(`closed at .* by Joris Peeters: counted ${eur(expected - 200)}, difference -2,00 € \\(Deux euros rendus en trop\\)`));
    expect(plain(closed.stdout)).toContain('no receipt printer is set up');
    expect((await cli('till', '--data', dataDir)).stdout.trim()).toBe('no till is open');
    expect((await cli('till', 'count', '--data', dataDir)).status).toBe(2);
  });

  it('events prints every event as one JSON line, seq 1..n, each parsing with the wire schema', async () => {
    const r = await cli('events', '--data', dataDir);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const events = lines.map((l) => stationEventSchema.parse(JSON.parse(l)));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['reference.imported', 'visit.checked_in', 'visit.checked_out', 'consumption.recorded', 'consumption.voided']));
    const paged = await cli('events', '--data', dataDir, '--after', '2', '--limit', '3');
    expect(paged.stdout.trim().split('\n')).toEqual(lines.slice(2, 5));
  });

  it('backup writes a copy once and refuses to overwrite it', async () => {
    const to = path.join(tempDir('escale-cli-backup-'), 'copy.sqlite');
    const r = await json('backup', '--data', dataDir, '--to', to);
    expect(r.status).toBe(0);
    expect(r.result.value).toMatchObject({ file: to });
    expect(fs.statSync(to).size).toBe(r.result.value.bytes);
    const again = await json('backup', '--data', dataDir, '--to', to);
    expect(again.status).toBe(1);
    expect(again.result.error?.code).toBe('CONFLICT');
  });

  it('exits 1 with a clear message on a refused command', async () => {
    const unknown = await json('checkout', '--data', dataDir, '0192f0c4-1234-7abc-8def-0123456789ab');
    expect(unknown.status).toBe(1);
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const readable = await cli('checkout', '--data', dataDir, '0192f0c4-1234-7abc-8def-0123456789ab');
    expect(readable.status).toBe(1);
    expect(readable.stdout).toMatch(/^error NOT_FOUND: No visit/);
    const badUid = await json('tap', '--data', dataDir, 'AB\u0007CD');
    expect(badUid.status).toBe(1);
    expect(badUid.result.error?.code).toBe('INVALID_INPUT');
    const pin = await json('signin', '--data', dataDir, 'amelie', '--pin', '0000');
    expect(pin.status).toBe(1);
    expect(pin.result.error?.code).toBe('PIN_INVALID');
    const proc = await json('init', '--data', `/proc/escale-cli-${process.pid}`, '--site', 'bxl-louise');
    expect(proc.status).toBe(1);
    expect(proc.result.error?.code).toBe('DATA_DIR_UNWRITABLE');
    // A folder that holds no station is refused and left as it was: no empty database appears.
    const emptyDir = tempDir();
    const fresh = await json('onsite', '--data', emptyDir);
    expect(fresh.status).toBe(1);
    expect(fresh.result.error?.code).toBe('NOT_CONFIGURED');
    expect(fs.readdirSync(emptyDir)).toEqual([]);
  });

  it('exits 2 with the usage on a bad command line', async () => {
    const cases: string[][] = [
      ['onsite', '--data', dataDir, '--no-such-option'],
      ['onsite'],
      ['frobnicate', '--data', dataDir],
      ['tap', '--data', dataDir],
      ['consume', '--data', dataDir, '0192f0c4-1234-7abc-8def-0123456789ab', 'coffee', 'two'],
      ['void', '--data', dataDir, 'everything', '0192f0c4-1234-7abc-8def-0123456789ab', '--reason', 'because'],
    ];
    for (const args of cases) {
      const r = await cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('escale-station init');
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });
});

// The process itself: the bin script on the compiled dist/, its real exit code, a PIN on its real
// standard input. What the commands answer is tested above, in this process.
describe('escale-station as a process', () => {
  it('exits 0 with its answer, 1 on a refusal, 2 with the usage on stderr; reads a PIN on its standard input', async () => {
    const amelie = DEMO_STAFF.find((s) => s.id === 'amelie')!;
    const help = await runCli('escale-station', ['--help'], { spawn: true });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('escale-station init');
    const bad = await runCli('escale-station', ['frobnicate', '--data', dataDir], { spawn: true });
    expect(bad).toMatchObject({ status: 2, stdout: '' });
    expect(bad.stderr).toContain('Unknown command "frobnicate"');
    const onsite = await runCli('escale-station', ['onsite', '--data', dataDir, '--json'], { spawn: true });
    expect(onsite.status).toBe(0);
    expect(JSON.parse(onsite.stdout)).toMatchObject({ ok: true, value: expect.any(Array) });

    const wrong = await runCli('escale-station', ['signin', '--data', dataDir, 'joris', '--json'], { spawn: true, stdin: '0000\n' });
    expect(wrong.status).toBe(1);
    expect(JSON.parse(wrong.stdout).error.code).toBe('PIN_INVALID');
    const signedIn = await runCli('escale-station', ['signin', '--data', dataDir, amelie.id, '--json'], { spawn: true, stdin: `${amelie.pin}\n` });
    expect(signedIn.status).toBe(0);
    expect(JSON.parse(signedIn.stdout)).toMatchObject({ ok: true, value: { staffId: amelie.id } });
    // No PIN at all: a bad command line, not a wrong PIN.
    const none = await runCli('escale-station', ['signin', '--data', dataDir, amelie.id], { spawn: true, stdin: '' });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Missing the PIN');
  });
});
