// Crash test: a child process taps badges as fast as it can and is killed (SIGKILL) at a random
// moment, again and again. Afterwards every tap it reported done must be in the database, the
// outbox seq must have no gap, and no visit may be half written (a visit without its event, a
// checkout without its event or its workspace line, an open_visit row out of step).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStation } from '../../main/station/station.js';
import { openTestStation, tempDir, TUESDAY_MORNING } from '../support/station-fixture.js';
import { contextOf } from '../../main/station/context.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const childSource = path.join(root, 'tests/support/tapping-child.ts');
const childJs = path.join(root, 'dist/tests/support/tapping-child.js');

const ROUNDS = 10;

interface Reported {
  round: number;
  outcome: string;
  visitId: string | null;
  uid: string;
}

interface RoundResult {
  lines: Reported[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Runs the child until it is ready, lets it tap for killAfterMs, kills it, and returns what it reported. */
function runRound(round: number, dataDir: string, clockOffsetMs: number, killAfterMs: number): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, dataDir, String(clockOffsetMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let ready = false;
    let killTimer: NodeJS.Timeout | undefined;
    const readyTimeout = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!ready && out.includes('"ready":true')) {
        ready = true;
        clearTimeout(readyTimeout);
        killTimer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(readyTimeout);
      if (killTimer) clearTimeout(killTimer);
      // Only whole lines count: the kill may cut the last one short.
      const whole = out.slice(0, out.lastIndexOf('\n') + 1);
      const lines = whole
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Partial<Reported> & { ready?: boolean })
        .filter((l) => !l.ready)
        .map((l) => ({ round, outcome: String(l.outcome), visitId: l.visitId ?? null, uid: String(l.uid) }));
      resolve({ lines, signal, code, stderr });
    });
  });
}

beforeAll(() => {
  const stale = !fs.existsSync(childJs) || fs.statSync(childJs).mtimeMs < fs.statSync(childSource).mtimeMs;
  if (stale) execFileSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' });
}, 180_000);

describe('crash safety', () => {
  it(`keeps every reported tap, a gap-free outbox and whole visits across ${ROUNDS} SIGKILLs`, async () => {
    const dataDir = tempDir('escale-crash-');
    openTestStation({ dataDir }).close();
    // The child taps on a Tuesday morning, a minute after the demo data was imported.
    const clockOffsetMs = Date.parse(TUESDAY_MORNING) + 60_000 - Date.now();

    const reported: Reported[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const killAfterMs = 50 + Math.floor(Math.random() * 351);
      const r = await runRound(round, dataDir, clockOffsetMs, killAfterMs);
      // Killed by us, not dead of its own error.
      expect(r.signal, `round ${round}: the child ended by itself (code ${r.code}): ${r.stderr}`).toBe('SIGKILL');
      expect(r.stderr).toBe('');
      reported.push(...r.lines);
    }
    const errors = reported.filter((r) => r.outcome === 'error');
    expect(errors).toEqual([]);
    expect(reported.length).toBeGreaterThan(0);

    // Opening it again works (start-up integrity check included); then read what it holds.
    const station = openStation({ dataDir });
    try {
      const db = contextOf(station).db;
      const one = <T>(q: string, ...args: unknown[]) => db.prepare(q).get(...args) as T | undefined;

      // 1. Every tap reported done is there.
      const missing: string[] = [];
      let verified = 0;
      for (const r of reported) {
        const visit = r.visitId ? one<{ member_id: string }>('SELECT member_id FROM visit WHERE id = ?', r.visitId) : undefined;
        const badge = one<{ member_id: string }>('SELECT member_id FROM badge WHERE uid = ?', r.uid);
        if (!visit || visit.member_id !== badge?.member_id) missing.push(`round ${r.round}: ${r.outcome} ${r.visitId} (${r.uid}): no such visit of that member`);
        else if (r.outcome === 'checked_out' && !one('SELECT 1 FROM visit_checkout WHERE visit_id = ?', r.visitId)) missing.push(`round ${r.round}: checkout of ${r.visitId} lost`);
        else if (r.outcome !== 'checked_in' && r.outcome !== 'checked_out') missing.push(`round ${r.round}: unexpected outcome ${r.outcome}`);
        else verified++;
      }
      expect(missing).toEqual([]);

      // 2. The outbox seq is gap-free, 1..n, in one install epoch.
      const outbox = db.prepare('SELECT position, epoch, seq, type, payload FROM outbox ORDER BY position').all() as {
        position: number;
        epoch: string;
        seq: number;
        type: string;
        payload: string;
      }[];
      expect(new Set(outbox.map((e) => e.epoch))).toEqual(new Set([contextOf(station).epoch]));
      const gaps = outbox.filter((e, i) => e.seq !== i + 1).map((e) => `position ${e.position} has seq ${e.seq}`);
      expect(gaps.slice(0, 5)).toEqual([]);

      // 3. No half-written visit: each fact has exactly one event, and each event its fact.
      const eventsOf = (type: string, key: string) => {
        const count = new Map<string, number>();
        for (const e of outbox)
          if (e.type === type) {
            const id = (JSON.parse(e.payload) as Record<string, string>)[key]!;
            count.set(id, (count.get(id) ?? 0) + 1);
          }
        return count;
      };
      const ids = (q: string) => (db.prepare(q).pluck().all() as string[]).sort();
      const once = (rows: string[], events: Map<string, number>) => {
        const have = new Set(rows);
        return { withoutOneEvent: rows.filter((id) => events.get(id) !== 1), eventsWithoutRow: [...events.keys()].filter((id) => !have.has(id)) };
      };
      const visits = ids('SELECT id FROM visit');
      const checkouts = ids('SELECT visit_id FROM visit_checkout');
      const consumptions = ids(`SELECT id FROM consumption WHERE source <> 'void'`);
      const clean = { withoutOneEvent: [], eventsWithoutRow: [] };
      expect(once(visits, eventsOf('visit.checked_in', 'visitId')), 'visit ↔ visit.checked_in').toEqual(clean);
      expect(once(checkouts, eventsOf('visit.checked_out', 'visitId')), 'visit_checkout ↔ visit.checked_out').toEqual(clean);
      expect(once(consumptions, eventsOf('consumption.recorded', 'consumptionId')), 'consumption ↔ consumption.recorded').toEqual(clean);

      // A checkout of a visit that lasted is charged its workspace time in the same transaction.
      const unpaid = ids(
        `SELECT c.visit_id FROM visit_checkout c JOIN visit v ON v.id = c.visit_id
         WHERE c.checked_out_at > v.checked_in_at
           AND NOT EXISTS (SELECT 1 FROM consumption k WHERE k.visit_id = c.visit_id AND k.source = 'checkout')`,
      );
      expect(unpaid, 'checkouts without their workspace line').toEqual([]);

      // 4. open_visit is exactly the visits neither checked out nor voided, with their member.
      const openRows = ids('SELECT visit_id FROM open_visit');
      const openVisits = ids(
        `SELECT v.id FROM visit v WHERE NOT EXISTS (SELECT 1 FROM visit_checkout c WHERE c.visit_id = v.id)
           AND NOT EXISTS (SELECT 1 FROM visit_void x WHERE x.visit_id = v.id)`,
      );
      expect(openRows).toEqual(openVisits);
      expect(ids('SELECT o.visit_id FROM open_visit o JOIN visit v ON v.id = o.visit_id WHERE o.member_id IS NOT v.member_id')).toEqual([]);

      // 5. The file itself is sound.
      expect(station.integrityCheck()).toEqual({ ok: true, problems: [] });

      console.log(
        `crash test: ${ROUNDS} rounds killed with SIGKILL, ${reported.length} taps reported done, ${verified} verified; ` +
          `${visits.length} visits, ${checkouts.length} checkouts, ${consumptions.length} consumption lines, ${outbox.length} events (seq 1..${outbox.length}), ${openRows.length} on site`,
      );
      expect(verified).toBe(reported.length);
    } finally {
      station.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
