// The escale-station command line, run as the package's bin (node bin/escale-station.js, which
// runs the compiled dist/), over one data folder for the file. Exit codes: 0 done, 1 refused or
// failed, 2 a bad command line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { stationEventSchema } from '../../common/events.js';
import { DATABASE_FILE } from '../../main/station/database/open.js';
import { demoBadges, tempDir } from '../support/station-fixture.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/escale-station.js');
const compiled = path.join(root, 'dist/main/cli/escale-station.js');
const demoFile = path.join(root, 'resources/demo/reference-data.json');

/** The newest modification time of the TypeScript sources the compiled CLI is made of. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Run {
  // `--pin P` stands for the PIN typed on standard input (never in argv).
  const at = args.indexOf('--pin');
  const input = at >= 0 ? `${args[at + 1]}\n` : '';
  const argv = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
  const r = spawnSync(process.execPath, [bin, ...argv], { cwd: root, encoding: 'utf8', timeout: 60_000, input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command with --json and returns its parsed result (JSON of any shape, checked by the tests). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function json(...args: string[]): { status: number | null; result: { ok: boolean; value?: any; error?: { code: string; message: string } } } {
  const r = cli(...args, '--json');
  try {
    return { status: r.status, result: JSON.parse(r.stdout) };
  } catch {
    throw new Error(`not JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
}

let dataDir: string;
const badges = demoBadges();

beforeAll(() => {
  // `npm test` builds first; a bare `npx vitest run` may find dist/ missing or older than the
  // sources. tsc emits the JavaScript even when some other file has a type error: the CLI tests
  // then still run (and `npx tsc -b` reports the error on its own).
  const buildInfo = path.join(root, 'dist/.tsbuildinfo.node');
  const lastBuild = fs.existsSync(buildInfo) ? fs.statSync(buildInfo).mtimeMs : 0;
  const stale = !fs.existsSync(compiled) || lastBuild < Math.max(newestSource(path.join(root, 'main')), newestSource(path.join(root, 'common')));
  if (stale) spawnSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' });
  expect(fs.existsSync(compiled), `${compiled} is missing: run npx tsc -b`).toBe(true);
  dataDir = tempDir('escale-cli-');
}, 180_000);

describe('escale-station CLI', () => {
  it('init creates the station of a site in a data folder', () => {
    const r = json('init', '--data', dataDir, '--site', 'bxl-louise');
    expect(r.status).toBe(0);
    expect(r.result).toMatchObject({ ok: true, value: { dataDir, siteId: 'bxl-louise' } });
    expect(r.result.value.epoch).toMatch(/^[0-9a-f-]{36}$/);
    expect(fs.existsSync(path.join(dataDir, DATABASE_FILE))).toBe(true);
    // Again for another site: refused.
    const other = json('init', '--data', dataDir, '--site', 'gent-zuid');
    expect(other.status).toBe(1);
    expect(other.result.error?.code).toBe('CONFLICT');
  });

  it('import loads the demo reference data; a bad file is refused with the field at fault', () => {
    const r = json('import', '--data', dataDir, demoFile);
    expect(r.status).toBe(0);
    expect(r.result.value.counts).toMatchObject({ members: 200, tariffs: 2, staff: 2 });

    const bad = JSON.parse(fs.readFileSync(demoFile, 'utf8'));
    bad.members[3].email = 'nope';
    const badFile = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(badFile, JSON.stringify(bad));
    const refused = json('import', '--data', dataDir, badFile);
    expect(refused.status).toBe(1);
    expect(refused.result.error?.code).toBe('REFERENCE_DATA_INVALID');
    expect(refused.result.error?.message).toContain('members[3].email');

    const notJson = path.join(tempDir(), 'broken.json');
    fs.writeFileSync(notJson, '{"format": ');
    const broken = json('import', '--data', dataDir, notJson);
    expect(broken.status).toBe(1);
    expect(broken.result.error?.message).toMatch(/not valid JSON/);
  });

  it('tap checks in and out with a queued time (--at), and answers an unknown badge with its UID', () => {
    const uid = badges.active[0]!.uid;
    const tapIn = json('tap', '--data', dataDir, uid, '--at', '2026-02-10T08:00:00.000Z');
    expect(tapIn.status).toBe(0);
    expect(tapIn.result.value).toMatchObject({ outcome: 'checked_in', visit: { checkedInAt: '2026-02-10T08:00:00.000Z', badgeUid: uid } });
    const tapOut = json('tap', '--data', dataDir, uid, '--at', '2026-02-10T10:00:00.000Z');
    expect(tapOut.result.value).toMatchObject({ outcome: 'checked_out', visit: { durationMinutes: 120, totals: { netCents: 1000, vatCents: 210, grossCents: 1210 } } });
    const unknown = json('tap', '--data', dataDir, 'CAFE0000BEEF');
    expect(unknown).toEqual({ status: 0, result: { ok: true, value: { outcome: 'unknown_badge', uid: 'CAFE0000BEEF' } } });
  });

  it('prints a readable line without --json; a refused tap is still a done command (exit 0)', () => {
    const member = badges.member(badges.active[1]!.memberId);
    const r = cli('tap', '--data', dataDir, badges.active[1]!.uid);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Welcome, ${member.firstName} ${member.lastName}`);
    const refused = json('tap', '--data', dataDir, badges.lost.uid);
    expect(refused.status).toBe(0);
    expect(refused.result.value).toMatchObject({ outcome: 'refused', reason: 'badge_lost' });
  });

  it('search, onsite and day answer in JSON', () => {
    const hits = json('search', '--data', dataDir, 'lefevre');
    expect(hits.status).toBe(0);
    expect(hits.result.value).toHaveLength(7);
    const onsite = json('onsite', '--data', dataDir);
    expect(onsite.status).toBe(0);
    expect(onsite.result.value.map((e: { person: { id: string } }) => e.person.id)).toContain(badges.active[1]!.memberId);
    const day = json('day', '--data', dataDir, '2026-02-10');
    expect(day.status).toBe(0);
    expect(day.result.value).toMatchObject({ date: '2026-02-10', visits: 1, minutesHosted: 120, totals: { netCents: 1000 } });
  });

  it('checkin, consume, void and checkout by staff', () => {
    const memberId = badges.active[2]!.memberId;
    const visit = json('checkin', '--data', dataDir, memberId);
    expect(visit.status).toBe(0);
    const visitId = visit.result.value.visitId as string;
    const line = json('consume', '--data', dataDir, visitId, 'meeting_room_hour', '45');
    expect(line.result.value).toMatchObject({ serviceCode: 'meeting_room_hour', billedQuantity: 60, netCents: 2500 });
    const voided = json('void', '--data', dataDir, 'consumption', line.result.value.id, '--reason', 'room not used');
    expect(voided.result.value).toMatchObject({ source: 'void', netCents: -2500, voidsId: line.result.value.id });
    const out = json('checkout', '--data', dataDir, visitId);
    expect(out.status).toBe(0);
    expect(out.result.value).toMatchObject({ visitId, checkedOutBy: 'staff' });
  });

  it('events prints every event as one JSON line, seq 1..n, each parsing with the wire schema', () => {
    const r = cli('events', '--data', dataDir);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const events = lines.map((l) => stationEventSchema.parse(JSON.parse(l)));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['reference.imported', 'visit.checked_in', 'visit.checked_out', 'consumption.recorded', 'consumption.voided']));
    const paged = cli('events', '--data', dataDir, '--after', '2', '--limit', '3');
    expect(paged.stdout.trim().split('\n')).toEqual(lines.slice(2, 5));
  });

  it('backup writes a copy once and refuses to overwrite it', () => {
    const to = path.join(tempDir('escale-cli-backup-'), 'copy.sqlite');
    const r = json('backup', '--data', dataDir, '--to', to);
    expect(r.status).toBe(0);
    expect(r.result.value).toMatchObject({ file: to });
    expect(fs.statSync(to).size).toBe(r.result.value.bytes);
    const again = json('backup', '--data', dataDir, '--to', to);
    expect(again.status).toBe(1);
    expect(again.result.error?.code).toBe('CONFLICT');
  });

  it('exits 1 with a clear message on a refused command', () => {
    const unknown = json('checkout', '--data', dataDir, '0192f0c4-1234-7abc-8def-0123456789ab');
    expect(unknown.status).toBe(1);
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const readable = cli('checkout', '--data', dataDir, '0192f0c4-1234-7abc-8def-0123456789ab');
    expect(readable.status).toBe(1);
    expect(readable.stdout).toMatch(/^error NOT_FOUND: No visit/);
    const badUid = json('tap', '--data', dataDir, 'AB\u0007CD');
    expect(badUid.status).toBe(1);
    expect(badUid.result.error?.code).toBe('INVALID_INPUT');
    const pin = json('signin', '--data', dataDir, 'amelie', '--pin', '0000');
    expect(pin.status).toBe(1);
    expect(pin.result.error?.code).toBe('PIN_INVALID');
    const proc = json('init', '--data', `/proc/escale-cli-${process.pid}`, '--site', 'bxl-louise');
    expect(proc.status).toBe(1);
    expect(proc.result.error?.code).toBe('DATA_DIR_UNWRITABLE');
    // A folder that holds no station is refused and left as it was: no empty database appears.
    const emptyDir = tempDir();
    const fresh = json('onsite', '--data', emptyDir);
    expect(fresh.status).toBe(1);
    expect(fresh.result.error?.code).toBe('NOT_CONFIGURED');
    expect(fs.readdirSync(emptyDir)).toEqual([]);
  });

  it('exits 2 with the usage on a bad command line', () => {
    const cases: string[][] = [
      ['onsite', '--data', dataDir, '--no-such-option'],
      ['onsite'],
      ['frobnicate', '--data', dataDir],
      ['tap', '--data', dataDir],
      ['consume', '--data', dataDir, '0192f0c4-1234-7abc-8def-0123456789ab', 'coffee', 'two'],
      ['void', '--data', dataDir, 'everything', '0192f0c4-1234-7abc-8def-0123456789ab', '--reason', 'because'],
    ];
    for (const args of cases) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('escale-station init');
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });
});
