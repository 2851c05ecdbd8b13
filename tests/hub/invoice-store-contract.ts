// The stores' part of issue 17's documents, the same on SQLite and PostgreSQL: numbers gap-free per
// year whichever hub process issues and whatever runs at once, one issue per month, a build that
// skips a number stores nothing, the month's close and its documents in one transaction, and an
// issued document never changes (its files are written once), even by SQL from outside the store.
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentIssue, HubStore } from '../../server/store/store.js';
import { documentNumber } from '../../server/store/document-issue.js';
import type { StoreFactory } from './store-contract.js';

/**
 * An issue of `count` documents for `period`, numbered as the store says (or `skip`ping one, a
 * broken builder); it adds `paid` to the desk payments carried so far (payer id → cents).
 */
function issueOf(period: string, count: number, skip = false, paid: Record<string, number> = {}): DocumentIssue {
  return {
    period,
    year: 2026,
    issuedAt: `${period}-28T10:00:00.000Z`,
    build: (first, carried) => {
      const carriedPrepaid = { ...carried };
      for (const [payer, cents] of Object.entries(paid)) {
        const left = (carriedPrepaid[payer] ?? 0) + cents;
        if (left === 0) delete carriedPrepaid[payer];
        else carriedPrepaid[payer] = left;
      }
      return {
        documents: Array.from({ length: count }, (_, i) => {
          const number = documentNumber(2026, first + i + (skip && i === count - 1 ? 1 : 0));
          return { number, period, kind: 'invoice' as const, payerId: `payer-${i}`, issuedAt: `${period}-28T10:00:00.000Z`, model: JSON.stringify({ number, period }) };
        }),
        carriedPrepaid,
      };
    },
  };
}

const numbersOf = async (store: HubStore, periods: string[]) => (await Promise.all(periods.map((p) => store.listDocuments({ period: p })))).flat().map((d) => d.number).sort();

export function invoiceStoreContract(name: string, factory: () => StoreFactory): void {
  describe(`HubStore invoices: ${name}`, () => {
    const opened: HubStore[] = [];
    const open = async () => {
      const store = await factory().open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const s of opened.splice(0).reverse()) await s.close();
    });

    it('numbers gap-free per year across hub processes issuing at once; a month is issued once', async () => {
      const a = await open();
      const b = await factory().openAnother(a);
      opened.push(b);
      const months = ['2026-01', '2026-02', '2026-03', '2026-04'];
      const results = await Promise.all(months.flatMap((m, i) => [(i % 2 ? a : b).issueDocuments(issueOf(m, 25)), (i % 2 ? b : a).issueDocuments(issueOf(m, 25))]));
      // Each month issued by exactly one of the two asking for it.
      expect(months.map((_, i) => results.slice(2 * i, 2 * i + 2).filter(Boolean).length)).toEqual([1, 1, 1, 1]);
      expect(await numbersOf(a, months)).toEqual(Array.from({ length: 100 }, (_, i) => documentNumber(2026, i + 1)));
      // Each month's numbers follow one another: one transaction took them.
      for (const m of months) {
        const seqs = (await a.listDocuments({ period: m })).map((d) => Number(d.number.slice(5)));
        expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => seqs[0]! + i));
      }
      expect(await b.documentsIssued('2026-03')).toBe(true);
      expect(await b.documentsIssued('2026-05')).toBe(false);
    });

    it('stores nothing when a builder skips a number, nor when the month was closed already; the close and its documents commit together', async () => {
      const store = await open();
      await expect(store.issueDocuments(issueOf('2026-05', 3, true))).rejects.toThrow(/numbered 2026-000004, expected 2026-000003: numbers are gap-free/);
      expect(await store.documentsIssued('2026-05')).toBe(false);
      const record = { period: '2026-05', closedAt: '2026-06-04T12:00:00.000Z', data: { statements: [] } };
      expect(await store.saveClosedPeriod(record, issueOf('2026-05', 3))).toBe(true);
      expect(await numbersOf(store, ['2026-05'])).toEqual(['2026-000001', '2026-000002', '2026-000003']);
      // A second close of the month (another process) writes nothing: no number is taken.
      expect(await store.saveClosedPeriod(record, issueOf('2026-05', 3))).toBe(false);
      await expect(store.saveClosedPeriod({ ...record, period: '2026-06' }, issueOf('2026-06', 2, true))).rejects.toThrow(/gap-free/);
      expect(await store.getClosedPeriod('2026-06')).toBeUndefined();
      expect(await store.issueDocuments(issueOf('2026-06', 2))).toBe(true);
      expect(await numbersOf(store, ['2026-06'])).toEqual(['2026-000004', '2026-000005']);
    });

    it('keeps the desk payments no document declared as a running balance, read and written in the issuing transaction, whatever order months are issued in', async () => {
      const a = await open();
      const b = await factory().openAnother(a);
      opened.push(b);
      expect(await a.carriedPrepaid()).toEqual({});
      await a.issueDocuments(issueOf('2026-10', 1, false, { 'self-roam': 1_250, acme: -300 }));
      expect(await b.carriedPrepaid()).toEqual({ 'self-roam': 1_250, acme: -300 });
      // September issued after October (closed before the first month ever closed): its payment is
      // added to the balance October left, not lost behind a later month.
      await b.issueDocuments(issueOf('2026-09', 0, false, { 'self-lotte': 5_000 }));
      // Two processes issuing two months at once: each reads the balance the other left, never the same one.
      await Promise.all([a.issueDocuments(issueOf('2026-11', 1, false, { acme: 300 })), b.issueDocuments(issueOf('2026-12', 1, false, { 'self-roam': -1_250 }))]);
      expect(await a.carriedPrepaid()).toEqual({ 'self-lotte': 5_000 });
      // A month issued already adds nothing again.
      expect(await a.issueDocuments(issueOf('2026-09', 0, false, { 'self-lotte': 5_000 }))).toBe(false);
      expect(await b.carriedPrepaid()).toEqual({ 'self-lotte': 5_000 });
      // A builder that carries what is no whole number of cents stores nothing.
      await expect(a.issueDocuments(issueOf('2027-01', 0, false, { acme: 0.5 }))).rejects.toThrow(/whole number of cents/);
      expect(await a.documentsIssued('2027-01')).toBe(false);
    });

    it('keeps an issued document as issued: files written once, no UPDATE or DELETE from outside the store', async () => {
      const store = await open();
      await store.issueDocuments(issueOf('2026-07', 1));
      await store.attachDocumentFiles('2026-000001', { pdf: Buffer.from('%PDF-first') });
      await store.attachDocumentFiles('2026-000001', { ubl: Buffer.from('<Invoice/>'), pdf: Buffer.from('%PDF-second') });
      const doc = (await store.getDocument('2026-000001'))!;
      expect([doc.pdf!.toString(), doc.ubl!.toString()]).toEqual(['%PDF-first', '<Invoice/>']);
      for (const sql of [
        "UPDATE invoice_document SET model = '{}' WHERE number = '2026-000001'",
        "UPDATE invoice_document SET pdf = NULL WHERE number = '2026-000001'",
        "DELETE FROM invoice_document WHERE number = '2026-000001'",
      ])
        await expect(factory().exec(store, sql), sql).rejects.toThrow(/an issued document (never changes|is never deleted)/);
      expect((await store.getDocument('2026-000001'))!.model).toBe(doc.model);
    });
  });
}
