// Receipt numbers: gap-free per station stream (site + install epoch), taken in the transaction
// that queues the receipt, never given twice; the same receipt asked for again, or reprinted, is a
// duplicate under its number. The crash test kills a child process between receipts (SIGKILL)
// and checks that no number was lost or reused and that each number has its printed receipt.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrintDocument } from '../../common/documents/print-documents.js';
import { contextOf } from '../../main/station/context.js';
import { formatReceiptNumber } from '../../main/station/receipts/receipt-number.js';
import { openStation } from '../../main/station/station.js';
import { unwrap } from '../support/ledger.js';
import { demoReferenceData, openTestStation, tempDir, TUESDAY_MORNING, type TestStation } from '../support/station-fixture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const childSource = path.join(root, 'tests/support/receipting-child.ts');
const childJs = path.join(root, 'dist/tests/support/receipting-child.js');

let stations: TestStation[] = [];
afterEach(() => {
  for (const t of stations) t.close();
  stations = [];
});

const printer = { id: 'desk', kind: 'printer' as const, name: 'Desk printer', connection: { type: 'tcp' as const, host: '127.0.0.1', port: 9 } };

async function station(): Promise<TestStation> {
  const t = openTestStation();
  stations.push(t);
  unwrap(await t.api.configureDevice({ config: printer }));
  return t;
}

function documentOf(t: TestStation, jobId: string): Extract<PrintDocument, { kind: 'receipt' }> {
  const row = contextOf(t.station).db.prepare('SELECT document FROM print_job WHERE id = ?').get(jobId) as { document: string };
  return JSON.parse(row.document) as Extract<PrintDocument, { kind: 'receipt' }>;
}

const member = (i: number) => demoReferenceData().members.filter((m) => m.status === 'active')[i]!;

describe('receipt numbers', () => {
  it('numbers receipts 1, 2, 3 in the station’s stream; the same receipt again is a duplicate; a changed one takes the next number', async () => {
    const t = await station();
    const { siteId, epoch } = contextOf(t.station);
    const number = (n: number) => formatReceiptNumber(siteId, epoch, n);
    const a = unwrap(await t.api.checkIn({ memberId: member(0).id }));
    const b = unwrap(await t.api.checkIn({ memberId: member(1).id }));
    t.clock.advance(3600_000);
    unwrap(await t.api.checkOut({ visitId: a.visitId }));
    unwrap(await t.api.checkOut({ visitId: b.visitId }));

    const first = documentOf(t, unwrap(await t.api.printReceipt({ visitId: a.visitId })).id);
    const second = documentOf(t, unwrap(await t.api.printReceipt({ visitId: b.visitId })).id);
    expect(first).toMatchObject({ receiptNumber: number(1), issuedAt: '2026-11-24T09:00:00.000Z' });
    expect(first.duplicate).toBeUndefined();
    expect(second.receiptNumber).toBe(number(2));
    // The centre's legal identity is on it, from the reference data.
    expect(first.legal).toEqual({ name: 'Escale Louise SRL', address: { street: 'Avenue Louise 231', postalCode: '1050', city: 'Ixelles', country: 'BE' }, vatNumber: 'BE0712340185' });

    // Asked for again, unchanged: the same number, as a duplicate.
    const again = documentOf(t, unwrap(await t.api.printReceipt({ visitId: a.visitId })).id);
    expect(again).toMatchObject({ receiptNumber: number(1), duplicate: true });
    // A reprint of the original job is a duplicate too, with its number.
    const firstJob = unwrap(await t.api.printJobs({ visitId: b.visitId }))[0]!;
    expect(documentOf(t, unwrap(await t.api.reprint({ jobId: firstJob.id })).id)).toMatchObject({ receiptNumber: number(2), duplicate: true });

    // A coffee added after the receipt: the visit's receipt now says more, so it is a new one.
    unwrap(await t.api.addConsumption({ visitId: a.visitId, serviceCode: 'coffee', quantity: 1 }));
    const changed = documentOf(t, unwrap(await t.api.printReceipt({ visitId: a.visitId })).id);
    expect(changed.receiptNumber).toBe(number(3));
    expect(changed.duplicate).toBeUndefined();

    const db = contextOf(t.station).db;
    expect(db.prepare('SELECT number FROM receipt_number ORDER BY number').pluck().all()).toEqual([1, 2, 3]);
    // Never given twice, never changed, never removed.
    expect(() => db.prepare('INSERT INTO receipt_number (site_id, epoch, number, visit_id, issued_at, content) VALUES (?, ?, 2, NULL, ?, ?)').run(siteId, epoch, TUESDAY_MORNING, '{}')).toThrow(/UNIQUE/);
    expect(() => db.prepare('UPDATE receipt_number SET number = 9 WHERE number = 3').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM receipt_number WHERE number = 3').run()).toThrow(/append-only/);
  });

  it('takes no number when the receipt cannot be queued (no printer): the next receipt has the number that was free', async () => {
    const t = openTestStation();
    stations.push(t);
    const v = unwrap(await t.api.checkIn({ memberId: member(0).id }));
    const refused = await t.api.printReceipt({ visitId: v.visitId });
    expect(refused.ok).toBe(false);
    unwrap(await t.api.configureDevice({ config: printer }));
    const doc = documentOf(t, unwrap(await t.api.printReceipt({ visitId: v.visitId })).id);
    expect(doc.receiptNumber).toBe(formatReceiptNumber(contextOf(t.station).siteId, contextOf(t.station).epoch, 1));
  });
});

describe('receipt numbers through crashes', () => {
  beforeAll(() => {
    const stale = !fs.existsSync(childJs) || fs.statSync(childJs).mtimeMs < fs.statSync(childSource).mtimeMs;
    if (stale) execFileSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' });
  }, 180_000);

  /** Runs the child until it has printed `receipts` more receipts, then kills it; returns the job ids it reported. */
  function round(dataDir: string, clockOffsetMs: number, receipts: number, mode: 'tap' | 'pay' = 'tap'): Promise<{ jobs: string[]; payments: string[]; signal: NodeJS.Signals | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [childJs, dataDir, String(clockOffsetMs), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let stderr = '';
      const whole = () =>
        out
          .slice(0, out.lastIndexOf('\n') + 1)
          .split('\n')
          .filter((l) => l.length > 0)
          .map((l) => JSON.parse(l) as { ready?: boolean; jobId?: string; paymentId?: string })
          .filter((l) => !l.ready);
      const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      // Killed as soon as it has reported enough: it is then somewhere between two receipts.
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (whole().length >= receipts) child.kill('SIGKILL');
      });
      child.stderr.on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (_code, signal) => {
        clearTimeout(guard);
        const lines = whole();
        resolve({ jobs: lines.map((l) => l.jobId!), payments: lines.flatMap((l) => (l.paymentId ? [l.paymentId] : [])), signal, stderr });
      });
    });
  }

  it('keeps receipt numbers gap-free and each with its receipt across SIGKILLs between receipts', async () => {
    const dataDir = tempDir('escale-receipts-');
    const t = openTestStation({ dataDir });
    unwrap(await t.api.configureDevice({ config: printer }));
    t.close();
    const clockOffsetMs = Date.parse(TUESDAY_MORNING) + 60_000 - Date.now();

    const reported: string[] = [];
    for (let r = 1; r <= 6; r++) {
      const result = await round(dataDir, clockOffsetMs, 1 + Math.floor(Math.random() * 20));
      expect(result.signal, `round ${r}: ${result.stderr}`).toBe('SIGKILL');
      expect(result.stderr).toBe('');
      reported.push(...result.jobs);
    }
    expect(reported.length).toBeGreaterThan(0);

    const station = openStation({ dataDir });
    try {
      const ctx = contextOf(station);
      const db = ctx.db;
      const numbers = db.prepare('SELECT number FROM receipt_number WHERE site_id = ? AND epoch = ? ORDER BY number').pluck().all(ctx.siteId, ctx.epoch) as number[];
      // 1..n, none missing, none twice, all in the one stream of this install.
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      expect(db.prepare('SELECT COUNT(*) FROM receipt_number').pluck().get()).toBe(numbers.length);
      // Every receipt reported printed is queued with its number; every number is on exactly one original receipt.
      const docs = (db.prepare(`SELECT id, document FROM print_job WHERE kind = 'receipt'`).all() as { id: string; document: string }[]).map((j) => ({
        id: j.id,
        doc: JSON.parse(j.document) as Extract<PrintDocument, { kind: 'receipt' }>,
      }));
      const ids = new Set(docs.map((d) => d.id));
      expect(reported.filter((id) => !ids.has(id))).toEqual([]);
      const originals = docs.filter((d) => !d.doc.duplicate).map((d) => d.doc.receiptNumber).sort();
      expect(originals).toEqual(numbers.map((n) => formatReceiptNumber(ctx.siteId, ctx.epoch, n)).sort());
      console.log(`receipt crash test: 6 rounds killed with SIGKILL, ${reported.length} receipts reported, numbers 1..${numbers.length}`);
    } finally {
      station.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('numbers each paid receipt in its payment’s transaction: gap-free, one per payment, across SIGKILLs between payments', async () => {
    const dataDir = tempDir('escale-payments-');
    const t = openTestStation({ dataDir });
    unwrap(await t.api.configureDevice({ config: printer }));
    t.close();
    const clockOffsetMs = Date.parse(TUESDAY_MORNING) + 60_000 - Date.now();

    const reported: { jobs: string[]; payments: string[] } = { jobs: [], payments: [] };
    for (let r = 1; r <= 6; r++) {
      const result = await round(dataDir, clockOffsetMs, 1 + Math.floor(Math.random() * 12), 'pay');
      expect(result.signal, `round ${r}: ${result.stderr}`).toBe('SIGKILL');
      expect(result.stderr).toBe('');
      reported.jobs.push(...result.jobs);
      reported.payments.push(...result.payments);
    }
    expect(reported.payments.length).toBeGreaterThan(0);

    const station = openStation({ dataDir });
    try {
      const ctx = contextOf(station);
      const db = ctx.db;
      const numbers = db.prepare('SELECT number FROM receipt_number ORDER BY number').pluck().all() as number[];
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      const payments = db.prepare('SELECT id, visit_id FROM payment').all() as { id: string; visit_id: string }[];
      // Every payment reported is there, with its event, and its visit has exactly one numbered receipt, queued.
      const have = new Set(payments.map((p) => p.id));
      expect(reported.payments.filter((id) => !have.has(id))).toEqual([]);
      const events = (db.prepare(`SELECT payload FROM outbox WHERE type = 'payment.recorded'`).pluck().all() as string[]).map((p) => (JSON.parse(p) as { paymentId: string }).paymentId);
      expect(events.sort()).toEqual(payments.map((p) => p.id).sort());
      expect(numbers.length).toBe(payments.length);
      const receiptsOf = db.prepare(`SELECT document FROM print_job WHERE kind = 'receipt' AND visit_id = ?`).pluck();
      for (const p of payments) {
        const docs = (receiptsOf.all(p.visit_id) as string[]).map((d) => JSON.parse(d) as Extract<PrintDocument, { kind: 'receipt' }>);
        expect(docs, `visit ${p.visit_id}`).toHaveLength(1);
        expect(docs[0]!.payment?.dueCents).toBe(0);
      }
      const jobs = new Set(db.prepare(`SELECT id FROM print_job`).pluck().all() as string[]);
      expect(reported.jobs.filter((id) => !jobs.has(id))).toEqual([]);
      console.log(`payment crash test: 6 rounds killed with SIGKILL, ${reported.payments.length} payments reported, ${payments.length} stored, receipts 1..${numbers.length}`);
    } finally {
      station.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
