// The facts the accounts are made of, read from the hub's store: visits (where, who, when, how
// long) and consumption lines with their voids, reception shifts, payments taken at the desks and
// their refunds, tills closed, and the sites' device health. Accepted events were parsed
// with their schemas when the hub ingested them, so they are read here as those types.
import { DEVICE_EVENT_TYPES, type EventPayload } from '../../common/events.js';
import type { AccountingEvent, HubStore } from '../store/store.js';

/** Every field is present from the start (undefined until known): one object shape for all visits. */
export interface LedgerVisit {
  visitId: string;
  siteId: string;
  memberId: string | undefined;
  guestId: string | undefined;
  checkedInAt: string;
  checkedOutAt: string | undefined;
  checkedOutBy: 'badge' | 'staff' | 'auto' | undefined;
  durationMinutes: number | undefined;
  voided: boolean;
}

export interface LedgerConsumption {
  siteId: string;
  line: EventPayload<'consumption.recorded'>;
  /** Set when a later compensating line voided it. */
  voidedBy: EventPayload<'consumption.voided'> | undefined;
}

export interface LedgerShift {
  shiftId: string;
  siteId: string;
  staffId: string;
  startedAt: string;
  endedAt: string | undefined;
}

/** A device-health fact of a site (device.monitored, device.fault, device.recovered, print.failed). */
export interface LedgerDeviceEvent {
  siteId: string;
  type: (typeof DEVICE_EVENT_TYPES)[number];
  /** reader or printer; print.failed: printer. */
  kind: 'reader' | 'printer';
  at: string;
  /** device.recovered: how long the device was down. */
  downMinutes: number;
}

/** Money taken at a desk (payment.recorded), with the site whose station recorded it. */
export interface LedgerPayment {
  siteId: string;
  payment: EventPayload<'payment.recorded'>;
}

/** Money given back on a payment, or an invoice withdrawn (payment.refunded). */
export interface LedgerRefund {
  siteId: string;
  refund: EventPayload<'payment.refunded'>;
}

/** A till closed with its count (till.closed): the evaluation counts the differences. */
export interface LedgerTill {
  siteId: string;
  at: string;
  differenceCents: number;
}

export interface Ledger {
  visits: Map<string, LedgerVisit>;
  consumption: LedgerConsumption[];
  shifts: LedgerShift[];
  payments: LedgerPayment[];
  refunds: LedgerRefund[];
  /** Tills closed, for evaluations only. */
  tills: LedgerTill[];
  /** Device health, for evaluations only. */
  devices: LedgerDeviceEvent[];
  /** The events read (for the benchmark's events/s). */
  events: number;
}

export const ACCOUNTING_TYPES = [
  'visit.checked_in', 'visit.checked_out', 'visit.voided', 'visit.checkout_undone', 'consumption.recorded', 'consumption.voided', 'shift.started', 'shift.ended',
  'payment.recorded', 'payment.refunded', 'till.closed',
  ...DEVICE_EVENT_TYPES,
] as const;

/**
 * What statements and settlements need: the lines and their voids (each line carries its visit's
 * local day), and the desks' payments and refunds. Visits, shifts and tills are for evaluations
 * only; a statement need not read them.
 */
export const PRICING_TYPES = ['consumption.recorded', 'consumption.voided', 'payment.recorded', 'payment.refunded'] as const;

/** Reads the accounting events (of `types`, by default all) whose wall time is in [fromIso, toIso). */
export async function loadLedger(store: HubStore, fromIso: string, toIso: string, types: readonly string[] = ACCOUNTING_TYPES): Promise<Ledger> {
  const builder = ledgerBuilder();
  const n = await store.accountingEvents({ types, wallFrom: fromIso, wallTo: toIso }, builder.add);
  return builder.finish(n);
}

export function buildLedger(events: readonly AccountingEvent[]): Ledger {
  const builder = ledgerBuilder();
  for (const e of events) builder.add(e);
  return builder.finish(events.length);
}

/** Takes the events one by one, in any order; `finish` links check-outs, voids and shift ends. */
function ledgerBuilder(): { add: (e: AccountingEvent) => void; finish: (events: number) => Ledger } {
  const visits = new Map<string, LedgerVisit>();
  // An array, not a map by id: only the few voided lines need finding, by the voids' own map.
  const consumption: LedgerConsumption[] = [];
  const voids: EventPayload<'consumption.voided'>[] = [];
  const shifts = new Map<string, LedgerShift>();
  const shiftEnds: EventPayload<'shift.ended'>[] = [];
  const checkouts: EventPayload<'visit.checked_out'>[] = [];
  const visitVoids: string[] = [];
  const undone: EventPayload<'visit.checkout_undone'>[] = [];
  const devices: LedgerDeviceEvent[] = [];
  const payments: LedgerPayment[] = [];
  const refunds: LedgerRefund[] = [];
  const tills: LedgerTill[] = [];
  const add = (e: AccountingEvent): void => {
    switch (e.type) {
      case 'visit.checked_in': {
        const p = e.payload as EventPayload<'visit.checked_in'>;
        visits.set(p.visitId, {
          visitId: p.visitId,
          siteId: e.siteId,
          memberId: p.person.kind === 'member' ? p.person.memberId : undefined,
          guestId: p.person.kind === 'guest' ? p.person.guestId : undefined,
          checkedInAt: p.at,
          checkedOutAt: undefined,
          checkedOutBy: undefined,
          durationMinutes: undefined,
          voided: false,
        });
        break;
      }
      case 'visit.checked_out':
        checkouts.push(e.payload as EventPayload<'visit.checked_out'>);
        break;
      case 'visit.checkout_undone':
        undone.push(e.payload as EventPayload<'visit.checkout_undone'>);
        break;
      case 'visit.voided':
        visitVoids.push((e.payload as EventPayload<'visit.voided'>).visitId);
        break;
      case 'consumption.recorded': {
        const p = e.payload as EventPayload<'consumption.recorded'>;
        consumption.push({ siteId: e.siteId, line: p, voidedBy: undefined });
        break;
      }
      case 'consumption.voided':
        voids.push(e.payload as EventPayload<'consumption.voided'>);
        break;
      case 'shift.started': {
        const p = e.payload as EventPayload<'shift.started'>;
        shifts.set(p.shiftId, { shiftId: p.shiftId, siteId: e.siteId, staffId: p.staffId, startedAt: p.at, endedAt: undefined });
        break;
      }
      case 'shift.ended':
        shiftEnds.push(e.payload as EventPayload<'shift.ended'>);
        break;
      case 'device.monitored':
      case 'device.fault': {
        const p = e.payload as EventPayload<'device.fault'>;
        devices.push({ siteId: e.siteId, type: e.type, kind: p.kind, at: p.at, downMinutes: 0 });
        break;
      }
      case 'device.recovered': {
        const p = e.payload as EventPayload<'device.recovered'>;
        devices.push({ siteId: e.siteId, type: e.type, kind: p.kind, at: p.at, downMinutes: p.downMinutes });
        break;
      }
      case 'payment.recorded':
        payments.push({ siteId: e.siteId, payment: e.payload as EventPayload<'payment.recorded'> });
        break;
      case 'payment.refunded':
        refunds.push({ siteId: e.siteId, refund: e.payload as EventPayload<'payment.refunded'> });
        break;
      case 'till.closed': {
        const p = e.payload as EventPayload<'till.closed'>;
        tills.push({ siteId: e.siteId, at: p.at, differenceCents: p.differenceCents });
        break;
      }
      case 'print.failed':
        devices.push({ siteId: e.siteId, type: e.type, kind: 'printer', at: (e.payload as EventPayload<'print.failed'>).at, downMinutes: 0 });
        break;
    }
  };
  const finish = (events: number): Ledger => {
  for (const p of shiftEnds) {
    const s = shifts.get(p.shiftId);
    if (s) s.endedAt = p.at;
  }
  // Applied after the pass: a check-out or a void may reach the hub (by wall time) before its
  // check-in when station clocks disagree.
  // A visit's check-out is its latest one that no undo names (events arrive in any order).
  const undoneAt = new Set(undone.map((u) => `${u.visitId} ${u.checkedOutAt}`));
  for (const c of checkouts) {
    const v = visits.get(c.visitId);
    if (undoneAt.has(`${c.visitId} ${c.at}`)) continue;
    if (v && (v.checkedOutAt === undefined || c.at > v.checkedOutAt)) {
      v.checkedOutAt = c.at;
      v.checkedOutBy = c.by;
      v.durationMinutes = c.durationMinutes;
    }
  }
  for (const id of visitVoids) {
    const v = visits.get(id);
    if (v) v.voided = true;
  }
  if (voids.length > 0) {
    const byVoided = new Map(voids.map((v) => [v.voidsConsumptionId, v]));
    for (const c of consumption) {
      const v = byVoided.get(c.line.consumptionId);
      if (v) c.voidedBy = v;
    }
  }
  return { visits, consumption: [...consumption.values()], shifts: [...shifts.values()], payments, refunds, tills, devices, events };
  };
  return { add, finish };
}
