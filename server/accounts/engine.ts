// The accounts engine: reads the events and reference data from the hub's store, prices, builds
// statements, the settlement and evaluations, and closes periods. A closed period's statements and
// settlement are frozen in the store with the buckets they billed; whatever changes later for it
// (late events, voids, a corrected plan) is billed as adjustments on the next statement.
import { settlementSchema, statementSchema, type Evaluation, type Period, type PriceDifference, type Settlement, type Statement } from '../../common/accounts/reports.js';
import { payerSchema, quotaSchema, type NetworkProfile, type Quota } from '../../common/reference-data.js';
import { addDays } from '../../common/time.js';
import type { HubStore } from '../store/store.js';
import type { Accounts, AccountsOptions, CarriedBalance, CloseResult } from './accounts.js';
import { diffBuckets, periodBuckets, sumBuckets, type Bucket } from './buckets.js';
import { deskFacts, type DeskFacts } from './desk.js';
import { buildEvaluation } from './evaluation.js';
import { ACCOUNTING_TYPES, loadLedger, PRICING_TYPES, type Ledger } from './ledger.js';
import { firstDay, lastDay, nextPeriod, parsePeriod, periodEndMs, periodOf, previousPeriod } from './period.js';
import { priceLedger, type PricingResult } from './pricing.js';
import { freezeReference, loadAccountsReference, referenceAsOf, type AccountsReference, type FrozenReference } from './reference.js';
import { buildSettlement } from './settlement.js';
import { buildStatement } from './statements.js';
import { completeFiles, InvoicingError, issuedInvoice, NETWORK_PROFILE_MISSING, prepareIssue, invoiceAsPdf, networkProfile } from './invoicing/issue.js';

/** How a closed period is kept in the store. */
export interface ClosedPeriodData {
  format: 'escale.closed-period/1';
  networkFeeBp: number;
  commissionBp: number;
  graceDays: number;
  statements: Statement[];
  settlement: Settlement;
  /** The period's own buckets as billed at its close. */
  buckets: Bucket[];
  /** Adjustments this period's statements carried, by the earlier closed period they correct. */
  carried: Record<string, Bucket[]>;
  /** The reference the month was billed with (absent on months closed before it was kept). */
  frozen?: FrozenReference;
}

/** A statement worth issuing: lines billed, or money paid at a desk (a refund of an earlier month's prepayment alone). */
const billsOrPaid = (s: Statement): boolean => s.lines.length > 0 || s.paidAtDesk.length > 0;

/** Closed periods this far back are still corrected by adjustments; older ones are final. */
const ADJUSTMENT_LOOKBACK_MONTHS = 12;

export interface AccountsEngineOptions extends AccountsOptions {
  /** Called after the quota balances were written into the reference data (the hub pokes its stations). */
  onReferenceChanged?: () => void;
}

interface Computation {
  ref: AccountsReference;
  ledger: Ledger;
  pricing: PricingResult;
  desk: DeskFacts;
  own: Bucket[];
  adjustments: Map<string, Bucket[]>;
  /** Price differences of lines in closed months that no closed settlement listed yet (late lines). */
  lateDifferences: PriceDifference[];
  /** The reference a closed month was closed with (today's for any other). */
  refFor: (period: string) => AccountsReference;
}

export function createAccounts(store: HubStore, options: AccountsEngineOptions = {}): Accounts & { readonly lastEventsRead: number } {
  const networkFeeBp = options.networkFeeBp ?? 2000;
  const commissionBp = options.commissionBp ?? 500;
  const graceDays = options.graceDays ?? 3;
  const now = options.now ?? Date.now;
  const documentPdf = options.documentPdf ?? invoiceAsPdf;
  let lastEventsRead = 0;

  async function closedData(period: string): Promise<(ClosedPeriodData & { closedAt: string }) | undefined> {
    const r = await store.getClosedPeriod(period);
    return r ? { ...(r.data as ClosedPeriodData), closedAt: r.closedAt } : undefined;
  }

  /** Every event from a few days before `fromDay` (time zones, late check-outs) to now. */
  async function ledgerFrom(fromDay: string, ref: AccountsReference, types: readonly string[] = PRICING_TYPES): Promise<Ledger> {
    // Quotas still running at the window's start: their earlier draws decide what is left.
    const quotaStart = ref.quotas.reduce<string | undefined>((min, q) => (q.validUntil >= fromDay && (min === undefined || q.validFrom < min) ? q.validFrom : min), undefined);
    const start = quotaStart !== undefined && quotaStart < fromDay ? quotaStart : fromDay;
    const ledger = await loadLedger(store, `${addDays(start, -2)}T00:00:00.000Z`, new Date(now() + 2 * 86_400_000).toISOString(), types);
    lastEventsRead = ledger.events;
    return ledger;
  }

  async function compute(period: Period): Promise<Computation> {
    const ref = await loadAccountsReference(store);
    const closed = (await store.listClosedPeriods()).map((c) => c.period).filter((p) => p !== period);
    let earliest: string = period;
    for (let i = 0, p = previousPeriod(period); i < ADJUSTMENT_LOOKBACK_MONTHS; i++, p = previousPeriod(p)) if (closed.includes(p)) earliest = p;
    // Only the closed months still corrected by adjustments (and those that carried theirs).
    const closedData_ = new Map<string, ClosedPeriodData>();
    for (const p of closed) {
      if (p < earliest) continue;
      const d = await closedData(p);
      if (d) closedData_.set(p, d);
    }
    // A closed month's lines are priced and billed with the reference it was closed with.
    const asOf = new Map<string, AccountsReference>();
    const refFor = (p: string): AccountsReference => {
      const frozen = closedData_.get(p)?.frozen;
      if (!frozen) return ref;
      let r = asOf.get(p);
      if (!r) asOf.set(p, (r = referenceAsOf(ref, frozen)));
      return r;
    };
    const ledger = await ledgerFrom(firstDay(earliest), ref);
    const pricing = priceLedger(ledger, ref, refFor);
    const desk = deskFacts(ledger, pricing.lines, ref);
    // A company invoiced at a desk that is no payer of the reference data is one of the accounts'.
    for (const p of desk.madePayers) ref.payers.set(p.id, p);
    const own = periodBuckets(period, pricing.lines, ref, desk);
    const adjustments = new Map<string, Bucket[]>();
    for (const c of closed) {
      if (c >= period || c < earliest || !closedData_.has(c)) continue;
      const billed: Bucket[][] = [closedData_.get(c)!.buckets];
      for (const [k, d] of closedData_) if (k > c && d.carried[c]) billed.push(d.carried[c]!);
      const delta = diffBuckets(periodBuckets(c, pricing.lines, refFor(c), desk), sumBuckets(...billed));
      if (delta.length > 0) adjustments.set(c, delta);
    }
    // A late line of a closed month priced differently is listed with the adjustments it brings.
    const listed = new Set<string>();
    for (const d of closedData_.values()) for (const x of d.settlement.cases.priceDifferences) listed.add(x.consumptionId);
    const lateDifferences = pricing.differences.filter((d) => {
      const p = periodOf(d.localDate);
      return p < period && closedData_.has(p) && !listed.has(d.consumptionId);
    });
    return { ref, ledger, pricing, desk, own, adjustments, lateDifferences, refFor };
  }

  function statementsOf(period: Period, c: Computation, status: 'provisional' | 'closed', closedAt?: string, payerId?: string): Statement[] {
    // Grouped by payer once: a network has thousands of payers and hundreds of thousands of lines.
    const group = <T>(items: Iterable<T>, payer: (t: T) => string | undefined) => {
      const m = new Map<string, T[]>();
      for (const i of items) {
        const p = payer(i);
        if (p === undefined || (payerId !== undefined && p !== payerId)) continue;
        const list = m.get(p);
        if (list) list.push(i);
        else m.set(p, [i]);
      }
      return m;
    };
    // What a desk collected is the centre's revenue, on no payer's statement.
    const payerOf = (b: Bucket) => (b.kind === 'desk' ? undefined : b.payerId);
    const own = group(c.own, payerOf);
    const lines = group(c.pricing.lines, (l) => (l.period === period ? l.payerId : undefined));
    const adjustments = new Map<string, Map<string, Bucket[]>>();
    for (const [closedPeriod, list] of c.adjustments)
      for (const [p, buckets] of group(list, payerOf)) {
        const m = adjustments.get(p) ?? new Map<string, Bucket[]>();
        m.set(closedPeriod, buckets);
        adjustments.set(p, m);
      }
    const payers = new Set<string>([...own.keys(), ...adjustments.keys()]);
    // A payer asked for by id has its statement even with nothing to bill; an id no payer has, none.
    if (payerId !== undefined && c.ref.payers.has(payerId)) payers.add(payerId);
    return [...payers].sort().map((p) =>
      buildStatement(
        { period, payerId: p, own: own.get(p) ?? [], adjustments: adjustments.get(p) ?? new Map(), lines: lines.get(p) ?? [], status, ...(closedAt ? { closedAt } : {}), refFor: c.refFor },
        c.ref,
      ),
    );
  }

  async function settlementOf(period: Period, c: Computation, status: 'provisional' | 'closed'): Promise<Settlement> {
    const [overlaps, rejected, quarantined] = await Promise.all([store.listOverlaps(10_000), store.listEvents({ status: 'rejected', limit: 10_000 }), store.listQuarantine(10_000)]);
    const from = firstDay(period);
    const until = lastDay(period);
    const inPeriod = (at: string) => at.slice(0, 10) >= addDays(from, -1) && at.slice(0, 10) <= addDays(until, 1);
    return buildSettlement(
      {
        period,
        status,
        billed: [...c.own, ...[...c.adjustments.values()].flat()],
        networkFeeBp,
        commissionBp,
        cases: {
          overlaps: overlaps
            .filter((o) => inPeriod(o.detectedAt))
            .map((o) => ({ memberId: o.memberId, siteA: o.siteA, siteB: o.siteB, visitA: o.visitA, visitB: o.visitB, detectedAt: o.detectedAt })),
          rejected: rejected.filter((e) => inPeriod(e.wallTime ?? e.receivedAt)).map((e) => ({ siteId: e.siteId, eventId: e.id, type: e.type, reason: e.reason ?? '' })),
          quarantined: quarantined.filter((q) => inPeriod(q.receivedAt)).map((q) => ({ siteId: q.siteId, seq: q.seq, reason: q.reason })),
          priceDifferences: [...c.lateDifferences, ...c.pricing.differences.filter((d) => periodOf(d.localDate) === period)],
        },
      },
      c.ref,
    );
  }

  /**
   * Issues the documents of every closed month up to `through` not issued yet, oldest first: a
   * credit note then finds the invoice it corrects and follows it in the numbering.
   */
  async function issueClosedMonths(through: string, network: NetworkProfile): Promise<void> {
    let ref: AccountsReference | undefined;
    for (const { period } of (await store.listClosedPeriods()).filter((p) => p.period <= through).sort((a, b) => (a.period < b.period ? -1 : 1))) {
      if (await store.documentsIssued(period)) continue;
      const closed = await closedData(period);
      if (!closed) continue;
      ref ??= await loadAccountsReference(store);
      await store.issueDocuments(await prepareIssue(store, ref, period, statementSchema.array().parse(closed.statements), new Date(now()).toISOString(), network));
    }
  }

  const accounts: Accounts & { readonly lastEventsRead: number } = {
    get lastEventsRead() {
      return lastEventsRead;
    },

    async statements(periodText, payerId) {
      const period = parsePeriod(periodText);
      const closed = await closedData(period);
      if (closed) {
        // Read back from the store (PostgreSQL across the network): parsed like any payload.
        const frozen = statementSchema.array().parse(closed.statements);
        return payerId === undefined ? frozen : frozen.filter((s) => s.payerId === payerId);
      }
      const c = await compute(period);
      return statementsOf(period, c, 'provisional', undefined, payerId).filter((s) => payerId !== undefined || billsOrPaid(s));
    },

    async settlement(periodText) {
      const period = parsePeriod(periodText);
      const closed = await closedData(period);
      if (closed) return settlementSchema.parse(closed.settlement);
      return settlementOf(period, await compute(period), 'provisional');
    },

    async evaluation(siteId, fromText, untilText) {
      const ref = await loadAccountsReference(store);
      const site = ref.sites.get(siteId);
      if (!site) throw new RangeError(`no site "${siteId}" at the hub; see escale-hub put site or the reference data`);
      const today = new Date(now()).toISOString().slice(0, 10);
      let from: string;
      let until: string;
      if (fromText !== undefined || untilText !== undefined) {
        until = parsePeriod(untilText ?? periodOf(today));
        from = parsePeriod(fromText ?? until);
      } else if (site.membership.status === 'trial') {
        // The trial year: the twelve months ending with the trial's last one.
        until = periodOf(site.membership.trialUntil);
        from = nextPeriod(`${Number(until.slice(0, 4)) - 1}-${until.slice(5)}`);
      } else {
        until = periodOf(today);
        from = nextPeriod(`${Number(until.slice(0, 4)) - 1}-${until.slice(5)}`);
      }
      if (from > until) throw new RangeError(`--from ${from} is after --until ${until}`);
      const ledger = await ledgerFrom(firstDay(from), ref, ACCOUNTING_TYPES);
      const pricing = priceLedger(ledger, ref);
      return buildEvaluation({ site, from, until, ledger, lines: pricing.lines, nowMs: now(), store }, ref) as Promise<Evaluation>;
    },

    async closePeriod(periodText): Promise<CloseResult> {
      const period = parsePeriod(periodText);
      const already = await store.getClosedPeriod(period);
      if (already) return { period, closed: true, waitingFor: [], closedAt: already.closedAt };
      const ref = await loadAccountsReference(store);
      // Months close in order: an open month before this one (after the first ever closed) would
      // have its lines billed nowhere until someone noticed.
      const closedList = (await store.listClosedPeriods()).map((c) => c.period);
      const before = previousPeriod(period);
      if (closedList.some((p) => p < period) && !closedList.includes(before))
        return { period, closed: false, waitingFor: [], reason: `${before} is still open: close it first (months close in order)` };
      // And never before the month is over plus the grace period, by the hub's own clock.
      const ends = [...ref.sites.values()].map((site) => periodEndMs(period, site.timeZone));
      const earliestClose = Math.max(periodEndMs(period, 'Europe/Brussels'), ...ends) + graceDays * 86_400_000;
      if (now() < earliestClose)
        return { period, closed: false, waitingFor: [], reason: `${period} ends with its grace period at ${new Date(earliestClose).toISOString()}; it cannot close before` };
      const stations = (await store.listStations()).filter((s) => s.revokedAt === undefined);
      const streams = await store.listStreams();
      const waitingFor: CloseResult['waitingFor'] = [];
      for (const site of ref.sites.values()) {
        // Every active site with a station must have sent everything up to the period's end + grace.
        if (site.membership.status === 'suspended' || !stations.some((s) => s.siteId === site.id)) continue;
        const needed = new Date(periodEndMs(period, site.timeZone) + graceDays * 86_400_000).toISOString();
        const watermark = streams.filter((s) => s.siteId === site.id && s.caughtUpAt !== undefined).map((s) => s.caughtUpAt!).sort().pop();
        if (watermark === undefined || watermark < needed) waitingFor.push({ siteId: site.id, ...(watermark ? { watermark } : {}), needed });
      }
      if (waitingFor.length > 0) return { period, closed: false, waitingFor };
      const c = await compute(period);
      const closedAt = new Date(now()).toISOString();
      const data: ClosedPeriodData = {
        format: 'escale.closed-period/1',
        networkFeeBp,
        commissionBp,
        graceDays,
        statements: statementsOf(period, c, 'closed', closedAt).filter(billsOrPaid),
        settlement: await settlementOf(period, c, 'closed'),
        buckets: c.own,
        carried: Object.fromEntries(c.adjustments),
        frozen: freezeReference(c.ref, new Set(c.own.flatMap((b) => (b.memberId ? [b.memberId] : [])))),
      };
      // A month closed before the network's legal profile was imported has no documents yet: it is
      // issued first, so that a credit note of this month finds the invoice it corrects and comes
      // after it in the numbering.
      const network = await networkProfile(store);
      if (network) await issueClosedMonths(previousPeriod(period), network);
      // The month's invoices are numbered in the close's own transaction (without the network's
      // legal profile, the month closes all the same and they are issued when first asked for);
      // their files are rendered when first emitted.
      const issue = network ? await prepareIssue(store, c.ref, period, data.statements, closedAt, network) : undefined;
      const saved = await store.saveClosedPeriod({ period, closedAt, data }, issue);
      if (!saved) {
        // Another hub process closed it meanwhile: its close stands.
        const other = await store.getClosedPeriod(period);
        return { period, closed: true, waitingFor: [], ...(other ? { closedAt: other.closedAt } : {}) };
      }
      return { period, closed: true, waitingFor: [], closedAt };
    },

    closedPeriods: () => store.listClosedPeriods(),

    async invoices(periodText, payerId) {
      const period = parsePeriod(periodText);
      const closed = await closedData(period);
      if (!closed) throw new InvoicingError('PERIOD_OPEN', `${period} is not closed yet: its invoices are issued when it closes (escale-hub close --period ${period})`);
      if (!(await store.documentsIssued(period))) {
        const network = await networkProfile(store);
        if (!network) throw new InvoicingError('NETWORK_PROFILE_MISSING', NETWORK_PROFILE_MISSING);
        await issueClosedMonths(period, network);
      }
      const records = (await store.listDocuments({ period })).filter((r) => payerId === undefined || r.payerId === payerId);
      return records.map(issuedInvoice);
    },

    async invoiceFiles(periodText, payerId) {
      const listed = await accounts.invoices(periodText, payerId);
      const period = parsePeriod(periodText);
      const wanted = new Set(listed.map((d) => d.document.number));
      const records = (await store.listDocuments({ period })).filter((r) => wanted.has(r.number));
      if ((await completeFiles(store, records, documentPdf)) === 0) return records.map(issuedInvoice);
      return (await store.listDocuments({ period })).filter((r) => wanted.has(r.number)).map(issuedInvoice);
    },

    async invoice(number) {
      const r = await store.getDocument(number);
      if (!r) return undefined;
      if ((await completeFiles(store, [r], documentPdf)) === 0) return issuedInvoice(r);
      return issuedInvoice((await store.getDocument(number))!);
    },

    async carriedPrepaid() {
      const balances = Object.entries(await store.carriedPrepaid()).filter(([, cents]) => cents !== 0);
      // Only the payers holding a balance are read: a network has thousands, a few wait for an invoice.
      const named = await Promise.all(
        balances.map(async ([payerId, cents]): Promise<CarriedBalance> => {
          const payer = payerSchema.safeParse(await store.getReference('payer', payerId));
          return { payerId, payerName: payer.success ? payer.data.name : payerId, cents };
        }),
      );
      return named.sort((a, b) => a.payerName.localeCompare(b.payerName, 'fr', { sensitivity: 'base' }) || (a.payerId < b.payerId ? -1 : a.payerId > b.payerId ? 1 : 0));
    },

    async publishQuotaBalances() {
      const ref = await loadAccountsReference(store);
      if (ref.quotas.length === 0) return 0;
      const ledger = await ledgerFrom(new Date(now()).toISOString().slice(0, 10), ref);
      // What a member drew depends only on their own lines: price those of the quotas' members.
      const { quotaUsed } = priceLedger({ ...ledger, consumption: ledger.consumption.filter((c) => c.line.memberId !== undefined && ref.quotasByMember.has(c.line.memberId)) }, ref);
      const at = new Date(now()).toISOString();
      const changes: { entity: 'quota'; key: string; data: Quota }[] = [];
      for (const q of ref.quotas) {
        const used: Record<string, number> = {};
        for (const a of q.allocations) {
          const m = quotaUsed.get(`${q.id}|${a.memberId}`) ?? 0;
          if (m > 0) used[a.memberId] = m;
        }
        if (JSON.stringify(used) === JSON.stringify(q.used)) continue;
        // A count the operator gave (no usedAsOf: hours drawn before the hub held the events)
        // stands until the hub counts a draw of its own.
        if (Object.keys(used).length === 0 && q.usedAsOf === undefined) continue;
        // Written onto the quota as it is now, only if nothing but the count changed since it was
        // read: an operator's edit meanwhile (allocations, dates) is never overwritten; the next
        // run counts again.
        const fresh = quotaSchema.safeParse(await store.getReference('quota', q.id));
        if (!fresh.success) continue;
        const { used: _u, usedAsOf: _a, ...freshRest } = fresh.data;
        const { used: _u2, usedAsOf: _a2, ...readRest } = q;
        if (JSON.stringify(freshRest) !== JSON.stringify(readRest)) continue;
        changes.push({ entity: 'quota', key: q.id, data: { ...fresh.data, used, usedAsOf: at } });
      }
      if (changes.length > 0) {
        await store.putReference(changes, at);
        options.onReferenceChanged?.();
      }
      return changes.length;
    },
  };
  return accounts;
}
