// The network's accounts at the hub: statements per payer, the settlement with the centers, each
// site's evaluation, and the monthly close. Everything is computed from the events in the store
// and the reference data (tariffs, plans); a closed period is frozen in the store.
import type { Evaluation, Period, Settlement, Statement } from '../../common/accounts/reports.js';
import type { DocumentPdf, IssuedInvoice } from './invoicing/issue.js';

export interface AccountsOptions {
  /** The network's fee on what a center earned, in basis points (default 2,000 = 20 %). */
  networkFeeBp?: number;
  /** An agent center's commission on what the members it signed up consume (default 500 = 5 %). */
  commissionBp?: number;
  /** Days after a period's end every site's watermark must pass before it may close (default 3). */
  graceDays?: number;
  /** The clock (tests). */
  now?: () => number;
  /** The PDF of an invoice or credit note (default: render/invoice-pdf.ts). */
  documentPdf?: DocumentPdf;
}

export interface CloseResult {
  period: Period;
  closed: boolean;
  /** When it could not close: the sites whose watermark has not passed the period's end plus grace. */
  waitingFor: { siteId: string; watermark?: string; needed: string }[];
  closedAt?: string;
  /** Why it cannot close yet, when that is not (only) sites to wait for. */
  reason?: string;
}

export interface CarriedBalance {
  payerId: string;
  payerName: string;
  cents: number;
}

export interface Accounts {
  /** Every payer's statement for a month (or one payer's): closed ones as frozen, else provisional. */
  statements(period: Period, payerId?: string): Promise<Statement[]>;
  settlement(period: Period): Promise<Settlement>;
  /** A site's evaluation over [from, until] months (default: its trial year, or the last 12 months). */
  evaluation(siteId: string, from?: Period, until?: Period): Promise<Evaluation>;
  /** Closes a month if every active site's watermark allows; a closed month never changes. */
  closePeriod(period: Period): Promise<CloseResult>;
  closedPeriods(): Promise<{ period: string; closedAt: string }[]>;
  /**
   * A closed month's invoices and credit notes (one payer's), with the files rendered so far. Issued
   * at the close when the network's legal profile was there, else here the first time they are
   * asked for (InvoicingError NETWORK_PROFILE_MISSING while it is still missing; PERIOD_OPEN before
   * the close).
   */
  invoices(period: Period, payerId?: string): Promise<IssuedInvoice[]>;
  /** The same with every file: those not rendered yet are rendered and kept first. */
  invoiceFiles(period: Period, payerId?: string): Promise<IssuedInvoice[]>;
  /** One issued document by its number, with its files (rendered and kept if need be). */
  invoice(number: string): Promise<IssuedInvoice | undefined>;
  /**
   * What members paid (positive) or were refunded (negative) at the desks that no issued document
   * declares yet, per payer with a non-zero balance, named as the reference data names it (its id
   * when the reference lacks it), sorted by name.
   */
  carriedPrepaid(): Promise<CarriedBalance[]>;
  /** Counts each member's quota draw and writes it into the quota reference entities (sent down to stations). */
  publishQuotaBalances(): Promise<number>;
}
