// Readable one-screen answers for the CLI when --json is not given.
import type { Result } from '../../common/result.js';
import type { DayFigures, OnSiteEntry, PaymentRecord, RefundRecord, TapResult, TillReport, TillState, VisitDetail, VisitPaymentEntry, VisitSummary } from '../../common/station-api.js';
import { formatCents } from '../../common/money.js';
import type { SyncStatus } from '../../common/sync/status.js';
import { DEFAULT_TIME_ZONE, formatLocal } from '../../common/time.js';

let tz = DEFAULT_TIME_ZONE;
const at = (iso: string) => formatLocal(iso, tz);

const name = (p: { firstName: string; lastName: string; company?: string; purged?: true }) =>
  p.purged ? '(purged guest)' : `${p.firstName} ${p.lastName}${p.company ? ` (${p.company})` : ''}`;

function visitLine(v: VisitSummary): string {
  const state = v.voided ? `voided: ${v.voided.reason}` : v.checkedOutAt ? `out ${at(v.checkedOutAt)}${v.autoClosed ? ' (auto-closed)' : ''}` : 'on site';
  return `${v.visitId}  ${name(v.person)}  in ${at(v.checkedInAt)}  ${state}  ${v.durationMinutes} min  ${formatCents(v.totals.grossCents)}`;
}

/** One payment or refund of a visit, as its detail lists it. */
function paymentLine(e: VisitPaymentEntry): string {
  const amount = formatCents(e.amountCents);
  if (e.kind === 'refund')
    return `  ${e.id}  ${at(e.at)}  ${e.method === 'invoice' ? 'invoice withdrawn' : `refunded ${e.method === 'cash' ? 'in cash' : 'to the card'}`} ${formatCents(-e.amountCents)}: ${e.reason ?? ''}`;
  if (e.method === 'cash') return `  ${e.id}  ${at(e.at)}  paid in cash ${amount} (tendered ${formatCents(e.tenderedCents ?? e.amountCents)}, change ${formatCents(e.changeCents ?? 0)})`;
  if (e.method === 'card') return `  ${e.id}  ${at(e.at)}  paid by card ${amount}${e.cardReference ? ` (ref. ${e.cardReference})` : ''}`;
  return `  ${e.id}  ${at(e.at)}  invoiced ${amount} to ${e.company?.name ?? 'a company'} (${e.company?.vatNumber ?? ''}) by the network`;
}

function detail(v: VisitDetail): string {
  const p = v.payments;
  return [
    visitLine(v),
    ...v.lines.map((l) => `  ${l.id}  ${l.serviceName}  ${l.billedQuantity}  ${formatCents(l.netCents)} + VAT ${formatCents(l.vatCents)} = ${formatCents(l.grossCents)}${l.capApplied ? ' (daily cap)' : ''}${l.voidsId ? ` (voids ${l.voidsId}: ${l.reason})` : ''}`),
    ...(p
      ? [
          ...p.entries.map(paymentLine),
          `  total ${formatCents(v.totals.grossCents)}, paid ${formatCents(p.paidCents)}${p.invoicedCents ? `, invoiced ${formatCents(p.invoicedCents)}` : ''}, left to pay ${formatCents(p.dueCents)}`,
        ]
      : [`  total ${formatCents(v.totals.grossCents)} (provisional — billed by the network)`]),
  ].join('\n');
}

/** The till: who opened it, and what the drawer should hold. */
function tillLines(t: TillState): string[] {
  return [
    `till ${t.tillId}: opened by ${t.staffName} at ${at(t.openedAt)} with a float of ${formatCents(t.floatCents)}`,
    `  cash received ${formatCents(t.cashReceivedCents)} (change given ${formatCents(t.changeGivenCents)}), cash refunds ${formatCents(t.cashRefundsCents)}: ${formatCents(t.expectedCents)} expected in the drawer`,
    `  by card ${formatCents(t.cardReceivedCents)} (refunds ${formatCents(t.cardRefundsCents)}), invoiced ${formatCents(t.invoicedCents)}; ${t.payments} payments, ${t.refunds} refunds`,
  ];
}

function till(value: object): string {
  if ('countedCents' in value) {
    const r = value as TillReport;
    return [
      ...tillLines(r),
      `  closed at ${at(r.closedAt)} by ${r.closedBy.staffName}: counted ${formatCents(r.countedCents)}, difference ${formatCents(r.differenceCents)}${r.reason ? ` (${r.reason})` : ''}`,
      r.report ? `  shift report queued on ${r.report.printerId} (job ${r.report.id})` : '  no receipt printer is set up: the shift report was not printed',
    ].join('\n');
  }
  if ('floatCents' in value) return tillLines(value as TillState).join('\n');
  if ('open' in value || Object.keys(value).length === 0) {
    const open = (value as { open?: TillState }).open;
    return open ? tillLines(open).join('\n') : 'no till is open';
  }
  return JSON.stringify(value, null, 2);
}

function payment(p: PaymentRecord): string {
  const how =
    p.method === 'cash'
      ? `in cash, tendered ${formatCents(p.tenderedCents ?? p.amountCents)}, change ${formatCents(p.changeCents ?? 0)}`
      : p.method === 'card'
        ? `by card${p.cardReference ? ` (ref. ${p.cardReference})` : ''}`
        : `invoiced to ${p.company?.name ?? 'a company'} (${p.company?.vatNumber ?? ''}) by the network`;
  return [
    `payment ${p.paymentId}: ${formatCents(p.amountCents)} ${how}; left to pay ${formatCents(p.outstandingCents)}`,
    ...(p.receiptNumber ? [`  receipt no. ${p.receiptNumber}${p.receipt ? ` queued on ${p.receipt.printerId}` : ' (no receipt printer: printed when one is set up)'}`] : []),
  ].join('\n');
}

/** sync and sync-status: where the station stands with its hub, and who says so. */
function syncLine(s: SyncStatus): string {
  if (!s.configured) return 'no hub configured (escale-station hub)';
  const by = s.reportedBy;
  const who = by ? ` (${by.state === 'running' ? `said by process ${by.pid} at ${at(by.seenAt)}` : by.state === 'stopped' ? `its sync stopped at ${at(by.seenAt)}` : `process ${by.pid} last seen at ${at(by.seenAt)}: gone`})` : '';
  return [
    `hub ${s.hubUrl}: ${s.online ? 'online' : 'offline'}${who}`,
    `  last success ${s.lastSuccessAt ? at(s.lastSuccessAt) : 'never'}${s.lastError ? `; last error: ${s.lastError}` : ''}`,
    `  ${s.backlog} events wait${s.oldestUnsyncedAt ? `, the oldest from ${at(s.oldestUnsyncedAt)}` : ''}${s.problems.length ? `; ${s.problems.length} refused by the hub (see --json)` : ''}`,
  ].join('\n');
}

function tap(t: TapResult): string {
  switch (t.outcome) {
    case 'checked_in':
      return `Welcome, ${name(t.visit.person)} — checked in (visit ${t.visit.visitId})`;
    case 'checked_out':
      return `Goodbye, ${name(t.visit.person)} — checked out\n${detail(t.visit)}`;
    case 'unknown_badge':
      return `Unknown badge ${t.uid}: please see the reception`;
    case 'refused':
      return `Refused (${t.reason}) for badge ${t.uid}: ${t.message}`;
    case 'already_done':
      return `Already ${t.last === 'checked_in' ? 'checked in' : 'checked out'}: ${name(t.person)} (tap ignored)`;
  }
}

/** `timeZone`: the site's, in which times are shown. */
export function describe(command: string, result: Result<unknown>, timeZone = DEFAULT_TIME_ZONE): string {
  tz = timeZone;
  if (!result.ok) return `error ${result.error.code}: ${result.error.message}${result.error.detail ? `\n${result.error.detail}` : ''}`;
  const value = result.value as never;
  switch (command) {
    case 'tap':
      return tap(value);
    case 'checkin':
    case 'guest':
      return visitLine(value);
    case 'checkout':
    case 'visit':
    case 'void':
      return 'lines' in (value as object) ? detail(value) : JSON.stringify(value, null, 2);
    case 'visits':
      return (value as VisitSummary[]).map(visitLine).join('\n') || 'no visits';
    case 'till':
      return till(value as object);
    case 'pay':
      return payment(value as PaymentRecord);
    case 'refund': {
      const r = value as RefundRecord;
      return `refund ${r.refundId}: ${formatCents(r.amountCents)} ${r.method === 'invoice' ? 'of the invoice withdrawn' : `given back ${r.method === 'cash' ? 'in cash' : 'to the card'}`} (${r.reason}); left to pay ${formatCents(r.outstandingCents)}`;
    }
    case 'onsite': {
      const list = value as OnSiteEntry[];
      return [`${list.length} on site`, ...list.map((e) => `  ${at(e.checkedInAt)}  ${e.person.kind}  ${name(e.person)}${e.hostName ? `, guest of ${e.hostName}` : ''}`)].join('\n');
    }
    case 'day': {
      const d = value as DayFigures;
      return [
        `${d.date} (${d.timeZone}): ${d.visits} visits, ${d.distinctMembers} members, ${d.guests} guests, ${d.onSiteNow} on site, ${d.autoClosed} auto-closed, ${Math.round(d.minutesHosted / 6) / 10} h hosted`,
        ...d.byService.map((s) => `  ${s.serviceName}: ${s.billedQuantity}  ${formatCents(s.grossCents)}`),
        `  total ${formatCents(d.totals.grossCents)} incl. VAT ${formatCents(d.totals.vatCents)}`,
      ].join('\n');
    }
    case 'sync':
    case 'sync-status':
      return syncLine(value as SyncStatus);
    case 'purge-guests': {
      const r = value as { purged: string[]; deferred: string[] };
      return `${r.purged.length} guests purged${r.deferred.length ? `, ${r.deferred.length} kept until their visit closes` : ''}`;
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  }
}
