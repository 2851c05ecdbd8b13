// Print jobs: what should be printed, kept in SQLite until a printer took it. The station API
// enqueues (receipt, badge, test, reprint); the device manager prints and records the outcome.
import { newId } from '../../../common/ids.js';
import type { PrintJob, PrintJobKind, PrinterConfig } from '../../../common/devices.js';
import type { PrintDocument, ReceiptLegal, ReceiptPayment } from '../../../common/documents/print-documents.js';
import type { Site } from '../../../common/reference-data.js';
import { issueReceiptNumber } from '../receipts/receipt-number.js';
import { invoicedCents, paidCents, paymentEntries } from '../payments/read.js';
import { localDate } from '../../../common/time.js';
import { StationFailure } from '../errors.js';
import { iso, requireSite, sql, writeTransaction, type StationContext } from '../context.js';
import { appendEvent } from '../outbox/outbox.js';
import { findVisit, memberRef, personOf, visitDetail } from '../visits/read.js';
import { listDeviceConfigs } from './config-store.js';
import { PURGED_NAME } from '../guests/purge.js';
import type { PersonRef } from '../../../common/station-api.js';

interface JobRow {
  id: string;
  kind: PrintJobKind;
  visit_id: string | null;
  printer_id: string;
  document: string;
  state: PrintJob['state'];
  attempts: number;
  last_error: string | null;
  printed_on: string | null;
  created_at: string;
  printed_at: string | null;
  reprint_of: string | null;
}

export interface PendingJob {
  job: PrintJob;
  document: PrintDocument;
}

function toJob(r: JobRow): PrintJob {
  const j: PrintJob = { id: r.id, kind: r.kind, printerId: r.printer_id, state: r.state, attempts: r.attempts, createdAt: r.created_at };
  if (r.visit_id) j.visitId = r.visit_id;
  if (r.printed_on) j.printedOn = r.printed_on;
  if (r.last_error) j.lastError = r.last_error;
  if (r.printed_at) j.printedAt = r.printed_at;
  if (r.reprint_of) j.reprintOf = r.reprint_of;
  return j;
}

/**
 * A visit's receipt, numbered: it takes the stream's next receipt number, or, when the visit's last
 * receipt said the same, its number as a duplicate. Call inside the write transaction that queues it.
 */
export function receiptDocument(ctx: StationContext, visitId: string): PrintDocument {
  const site = requireSite(ctx);
  const v = visitDetail(ctx, findVisit(ctx, visitId));
  const entries = paymentEntries(ctx, visitId);
  const payment: ReceiptPayment | undefined = entries.length
    ? {
        entries: entries.map((e) => ({
          kind: e.kind,
          method: e.method,
          amountCents: e.amountCents,
          ...(e.tenderedCents !== undefined ? { tenderedCents: e.tenderedCents } : {}),
          ...(e.changeCents !== undefined ? { changeCents: e.changeCents } : {}),
          ...(e.cardReference ? { cardReference: e.cardReference } : {}),
          ...(e.company ? { company: e.company } : {}),
        })),
        paidCents: paidCents(entries) - invoicedCents(entries),
        ...(invoicedCents(entries) !== 0 ? { invoicedCents: invoicedCents(entries) } : {}),
        dueCents: Math.max(0, v.totals.grossCents - paidCents(entries)),
      }
    : undefined;
  const doc = { ...visitReceipt(site, v), ...(payment ? { payment } : {}) };
  const issued = issueReceiptNumber(ctx, visitId, { checkedOutAt: v.checkedOutAt ?? null, lines: doc.lines, totals: doc.totals, payment: payment ?? null });
  // A paid receipt is numbered with its payment even when no printer is set up: its first print
  // (a printer added later) is the original; only a receipt already queued once is a duplicate.
  const duplicate = issued.duplicate && sql(ctx.db, "SELECT 1 FROM print_job WHERE visit_id = ? AND json_extract(document, '$.receiptNumber') = ? LIMIT 1").get(visitId, issued.number) !== undefined;
  return { ...doc, receiptNumber: issued.number, issuedAt: iso(ctx.clock.now()), ...(duplicate ? { duplicate: true } : {}) };
}

function legalOf(site: Site): ReceiptLegal | undefined {
  if (!site.legalName && !site.address && !site.vatNumber) return undefined;
  return { ...(site.legalName ? { name: site.legalName } : {}), ...(site.address ? { address: site.address } : {}), ...(site.vatNumber ? { vatNumber: site.vatNumber } : {}) };
}

function visitReceipt(site: Site, v: ReturnType<typeof visitDetail>): Extract<PrintDocument, { kind: 'receipt' }> {
  const legal = legalOf(site);
  return {
    kind: 'receipt',
    language: v.person.language,
    timeZone: site.timeZone,
    site: { name: site.name, stars: site.stars },
    person: printedPerson(v.person),
    visitId: v.visitId,
    checkedInAt: v.checkedInAt,
    ...(v.checkedOutAt ? { checkedOutAt: v.checkedOutAt } : {}),
    lines: v.lines.map((l) => ({
      name: l.serviceName,
      unit: l.unit,
      billedQuantity: l.billedQuantity,
      unitPriceCents: l.unitPriceCents,
      vatRateBp: l.vatRateBp,
      netCents: l.netCents,
      vatCents: l.vatCents,
      grossCents: l.grossCents,
      void: l.source === 'void',
      ...(l.billingIncrementMinutes ? { billingIncrementMinutes: l.billingIncrementMinutes } : {}),
    })),
    totals: v.totals,
    ...(legal ? { legal } : {}),
  };
}

export function badgeDocument(ctx: StationContext, visitId: string): PrintDocument {
  const site = requireSite(ctx);
  const v = visitDetail(ctx, findVisit(ctx, visitId));
  let host: string | undefined;
  if (v.person.kind === 'guest') {
    const row = sql(ctx.db, 'SELECT host_member_id FROM guest WHERE id = ?').get(v.person.id) as { host_member_id: string | null };
    if (row.host_member_id) {
      const h = memberRef(ctx, row.host_member_id);
      host = `${h.firstName} ${h.lastName}`;
    }
  }
  return {
    kind: 'badge',
    language: v.person.language,
    timeZone: site.timeZone,
    site: { name: site.name, stars: site.stars },
    person: printedPerson(v.person),
    ...(host ? { host } : {}),
    visitId: v.visitId,
    date: localDate(v.checkedInAt, site.timeZone),
  };
}

/** The person as a document prints them; a purged guest has no name left. */
function printedPerson(p: PersonRef): { name: string; company?: string } {
  if (p.purged) return { name: PURGED_NAME };
  return { name: `${p.firstName} ${p.lastName}`, ...(p.company ? { company: p.company } : {}) };
}

/** The printer a job of this kind goes to when none is asked for: the first enabled one with the role. */
export function defaultPrinter(printers: readonly PrinterConfig[], kind: PrintJobKind): PrinterConfig | undefined {
  return printers.find((d) => d.enabled && (kind === 'test' || d.roles.includes(kind)) && !(kind === 'receipt' && d.language === 'zpl'));
}

/** The printer a new job goes to: the one asked for, else the first enabled one with the role. */
function printerFor(ctx: StationContext, kind: PrintJobKind, printerId: string | undefined): PrinterConfig {
  const printers = listDeviceConfigs(ctx).filter((d): d is PrinterConfig => d.kind === 'printer');
  if (printerId !== undefined) {
    const p = printers.find((d) => d.id === printerId);
    if (!p) throw new StationFailure('NOT_FOUND', `No printer "${printerId}" at this station.`).saying('printerUnknown');
    return p;
  }
  const p = defaultPrinter(printers, kind);
  if (!p) throw new StationFailure('NOT_CONFIGURED', `No printer is set up for ${kind}s. Add one in the device settings (escale-station devices set).`).saying(`noPrinter_${kind}`);
  return p;
}

export function enqueuePrint(
  ctx: StationContext,
  kind: PrintJobKind,
  document: PrintDocument,
  options: { visitId?: string; printerId?: string; reprintOf?: string } = {},
): PrintJob {
  const printer = printerFor(ctx, kind, options.printerId);
  const id = newId();
  sql(
    ctx.db,
    `INSERT INTO print_job (id, kind, visit_id, printer_id, document, state, attempts, created_at, reprint_of) VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
  ).run(id, kind, options.visitId ?? null, printer.id, JSON.stringify(document), iso(ctx.clock.now()), options.reprintOf ?? null);
  return getJob(ctx, id);
}

export function getJob(ctx: StationContext, id: string): PrintJob {
  const row = sql(ctx.db, 'SELECT * FROM print_job WHERE id = ?').get(id) as JobRow | undefined;
  if (!row) throw new StationFailure('NOT_FOUND', `No print job ${id} at this station.`).saying('printJobUnknown');
  return toJob(row);
}

/** A reprint is a new job with the very document of the original (a receipt marked as a duplicate). */
export function reprint(ctx: StationContext, jobId: string, printerId: string | undefined): PrintJob {
  const row = sql(ctx.db, 'SELECT * FROM print_job WHERE id = ?').get(jobId) as JobRow | undefined;
  if (!row) throw new StationFailure('NOT_FOUND', `No print job ${jobId} at this station.`).saying('printJobUnknown');
  const original = JSON.parse(row.document) as PrintDocument;
  // A reprinted receipt or shift report is a duplicate of the original, and says so on paper.
  const document: PrintDocument = original.kind === 'receipt' || original.kind === 'shiftReport' ? { ...original, duplicate: true } : original;
  return enqueuePrint(ctx, row.kind, document, {
    ...(row.visit_id ? { visitId: row.visit_id } : {}),
    printerId: printerId ?? row.printer_id,
    reprintOf: row.reprint_of ?? row.id,
  });
}

export function listJobs(ctx: StationContext, visitId: string | undefined, limit: number): PrintJob[] {
  const rows = (
    visitId
      ? sql(ctx.db, 'SELECT * FROM print_job WHERE visit_id = ? ORDER BY created_at DESC LIMIT ?').all(visitId, limit)
      : sql(ctx.db, 'SELECT * FROM print_job ORDER BY created_at DESC LIMIT ?').all(limit)
  ) as JobRow[];
  const people = new Map<string, PrintJob['person']>();
  const personOfVisit = (id: string): PrintJob['person'] => {
    if (!people.has(id)) {
      const p = personOf(ctx, findVisit(ctx, id));
      people.set(id, { firstName: p.firstName, lastName: p.lastName, ...(p.purged ? { purged: true as const } : {}) });
    }
    return people.get(id);
  };
  return rows.map((r) => {
    const job = toJob(r);
    return r.visit_id ? { ...job, person: personOfVisit(r.visit_id)! } : job;
  });
}

export function pendingJobs(ctx: StationContext): PendingJob[] {
  const rows = sql(ctx.db, "SELECT * FROM print_job WHERE state IN ('queued','printing') ORDER BY created_at, id").all() as JobRow[];
  return rows.map((r) => ({ job: toJob(r), document: JSON.parse(r.document) as PrintDocument }));
}

export function markPrinting(ctx: StationContext, id: string): void {
  sql(ctx.db, "UPDATE print_job SET state = 'printing', attempts = attempts + 1 WHERE id = ? AND state IN ('queued','printing')").run(id);
}

export function markPrinted(ctx: StationContext, id: string, printedOn: string): void {
  sql(ctx.db, "UPDATE print_job SET state = 'printed', printed_on = ?, printed_at = ?, last_error = NULL WHERE id = ?").run(printedOn, iso(ctx.clock.now()), id);
}

export function markRetry(ctx: StationContext, id: string, error: string): void {
  sql(ctx.db, "UPDATE print_job SET state = 'queued', last_error = ? WHERE id = ? AND state <> 'printed'").run(error, id);
}

/**
 * The job is given up on: failed, with the error the reception sees, and a print.failed event
 * (with `reason`, a few words for the network) in the same transaction. Once per job.
 */
export function markFailed(ctx: StationContext, id: string, error: string, reason: string): void {
  writeTransaction(ctx, () => {
    const row = sql(ctx.db, 'SELECT printer_id, document FROM print_job WHERE id = ?').get(id) as Pick<JobRow, 'printer_id' | 'document'> | undefined;
    const info = sql(ctx.db, "UPDATE print_job SET state = 'failed', last_error = ? WHERE id = ? AND state NOT IN ('printed','failed')").run(error, id);
    if (!row || info.changes === 0) return;
    const nowMs = ctx.clock.now();
    const kind = (JSON.parse(row.document) as PrintDocument).kind;
    appendEvent(ctx, 'print.failed', { jobId: id, kind, deviceId: row.printer_id, reason, at: iso(nowMs) }, nowMs);
  });
}
