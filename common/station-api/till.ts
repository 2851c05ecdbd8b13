// The till (issue 16): the station's cash drawer, opened by a clerk for their shift with a float
// and closed by the same clerk with a count. Expected cash is float + cash received (tendered
// less change) − cash refunds; the difference (counted − expected) is recorded with a reason. The shift
// report is printed (when a receipt printer is set up) and synced as till.closed.
import { z } from 'zod';
import type { PrintJob } from '../devices.js';
import { languageSchema } from '../reference-data.js';
import { reason, shiftId, uuid } from './fields.js';
import type { MethodSpec } from './method.js';

const cents = z.number().int('a whole number of cents').min(0, '0 or more').max(10_000_000, 'at most 100000.00');

export const tillMethods = {
  /** The open till, with what it should hold now; or none. */
  till: {
    role: 'desk',
    input: z.object({ shiftId }),
  },
  /** Opens the station's till for the signed-in clerk's shift with `floatCents` in the drawer. One till is open at a time. */
  openTill: {
    role: 'desk',
    changes: 'visits',
    input: z.object({ floatCents: cents, shiftId }),
  },
  /**
   * Closes the open till with the cash counted in it. Only the clerk who opened it may close it (or
   * a supervisor, for a till its clerk left open). A count that differs from what is expected needs
   * a reason. Queues the shift report for printing, in `language` (absent: the region's).
   */
  closeTill: {
    role: 'desk',
    changes: 'visits',
    input: z.object({ countedCents: cents, reason: reason.optional(), language: languageSchema.optional(), shiftId }),
  },
  /** A closed till's shift report, printed again (marked DUPLICATA). */
  reprintTillReport: {
    role: 'desk',
    input: z.object({ tillId: uuid, language: languageSchema.optional(), shiftId }),
  },
} as const satisfies Record<string, MethodSpec>;

/** What a till holds and took, as the shift report gives it. */
export interface TillFigures {
  floatCents: number;
  /** Cash kept from payments: tendered less change. */
  cashReceivedCents: number;
  changeGivenCents: number;
  cashRefundsCents: number;
  cardReceivedCents: number;
  cardRefundsCents: number;
  /** Invoiced to companies while it was open, less invoices withdrawn meanwhile. */
  invoicedCents: number;
  /** float + cash received − cash refunds. */
  expectedCents: number;
  payments: number;
  refunds: number;
}

export interface TillState extends TillFigures {
  tillId: string;
  /** The clerk who opened it (and alone may close it). */
  staffId: string;
  staffName: string;
  openedAt: string;
}

export interface TillReport extends TillState {
  countedCents: number;
  /** counted − expected: negative when cash is missing. */
  differenceCents: number;
  reason?: string;
  closedAt: string;
  /** Who counted and closed it (a supervisor may close a till its clerk left open). */
  closedBy: { staffId: string; staffName: string };
  /** The printed shift report, when a receipt printer is set up. */
  report?: PrintJob;
}

export interface TillOutputs {
  till: { open?: TillState };
  openTill: TillState;
  closeTill: TillReport;
  reprintTillReport: PrintJob;
}
