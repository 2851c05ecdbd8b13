// A statement line carries the VAT treatment its pass or prepaid package declared when the month
// was built (issue 17), and a closed month keeps it: the reference data changed afterwards changes
// the months to come, never an issued statement, and a closed month's adjustment states that
// month's treatment. Over the real accounts engine and a real hub
// store: a pass month and a package are billed with no station at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Statement } from '../../common/accounts/reports.js';
import type { ReferenceDataInput } from '../../common/reference-data.js';
import type { VatTreatment } from '../../common/vat-treatment.js';
import { createAccounts } from '../../server/accounts/index.js';
import type { ClosedPeriodData } from '../../server/accounts/engine.js';
import { loadAccountsReference, referenceAsOf } from '../../server/accounts/reference.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { demoReferenceFile, startTestHub, stopTestHubStores, type TestHub } from '../support/hub-fixture.js';

const EXEMPT = {
  category: 'E' as const,
  exemptionReasonCode: 'VATEX-EU-132-1F',
  reason: { fr: 'Exonération, art. 44 du Code TVA', nl: 'Vrijstelling, art. 44 Btw-wetboek', en: 'Exempt, art. 44 of the VAT Code', de: 'Steuerbefreit, Art. 44 MwSt-Gesetzbuch' },
};

/** The demo network with its Brussels pass exempt and Meridian's package (billed in October) zero rated. */
function reference(passTreatment: VatTreatment): ReferenceDataInput {
  const d = demoReferenceFile() as unknown as ReferenceDataInput;
  d.plans = d.plans!.map((p) => (p.id === 'pass-brussels' ? { ...p, vatRateBp: 0, vatTreatment: passTreatment } : p));
  d.quotas = d.quotas!.map((q) => (q.id === 'quota-meridian-2026' ? { ...q, validFrom: '2026-10-01', vatRateBp: 0, vatTreatment: { category: 'Z' } } : q));
  // And parking, priced at 0 %, with the pass's treatment.
  d.services = d.services.map((x) => (x.code === 'parking_day' ? { ...x, vatTreatment: passTreatment } : x));
  d.tariffs = d.tariffs.map((t) => ({ ...t, prices: t.prices.map((p) => (p.serviceCode === 'parking_day' ? { ...p, vatRateBp: 0 } : p)) }));
  return d;
}

let hub: TestHub;
const now = Date.parse('2026-11-10T12:00:00.000Z');
const accounts = () => createAccounts(hub.store, { now: () => now, graceDays: 3 });
const fees = (statements: Statement[], kind: 'pass_fee' | 'quota_package') => statements.flatMap((s) => s.lines.filter((l) => l.kind === kind));
/** The Brussels pass's months (the demo has other passes, at 21 %). */
const brusselsPasses = (statements: Statement[]) => fees(statements, 'pass_fee').filter((l) => l.description.includes('Bruxelles-Brussel'));

beforeAll(async () => {
  hub = await startTestHub({ reference: false, now: () => now });
  await importReference(hub.store, reference(EXEMPT), '2026-09-20T08:00:00.000Z');
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await stopTestHubStores();
});

describe('VAT treatment on statement lines', () => {
  let october: Statement[];

  it("carries a pass's and a package's treatment on their lines, at 0 %", async () => {
    expect(await accounts().closePeriod('2026-10')).toMatchObject({ closed: true });
    october = await accounts().statements('2026-10');
    const passes = brusselsPasses(october);
    expect(passes.length).toBeGreaterThan(0);
    for (const l of passes) expect({ rate: l.vatRateBp, vat: l.vatCents, treatment: l.vatTreatment }).toEqual({ rate: 0, vat: 0, treatment: EXEMPT });
    const packages = fees(october, 'quota_package');
    expect(packages.map((l) => [l.vatRateBp, l.vatTreatment])).toEqual([[0, { category: 'Z' }]]);
    // A line of a standard rate carries none.
    const standard = october.flatMap((s) => s.lines.filter((l) => l.vatRateBp > 0));
    expect(standard.length).toBeGreaterThan(0);
    for (const l of standard) expect(l.vatTreatment).toBeUndefined();
  });

  it('keeps a closed month as it was when the reference data changes; the next month takes the change', async () => {
    const zeroRated: VatTreatment = { category: 'Z' };
    await importReference(hub.store, reference(zeroRated), '2026-11-10T09:00:00.000Z');
    expect(await accounts().statements('2026-10')).toEqual(october);
    const november = await accounts().statements('2026-11');
    const passes = brusselsPasses(november);
    expect(passes.length).toBeGreaterThan(0);
    for (const l of passes) expect(l.vatTreatment).toEqual(zeroRated);
  });

  it("bills a closed month's adjustment with that month's treatment, not today's", async () => {
    // A subscription to the Brussels pass from October, recorded after October closed: its October
    // month is an adjustment of November, still exempt as the pass was in October.
    const d = reference({ category: 'Z' });
    d.subscriptions = [...d.subscriptions!, { id: 'sub-late', memberId: 'm0002', planId: 'pass-brussels', from: '2026-10-01' }];
    await importReference(hub.store, d, '2026-11-10T10:00:00.000Z');
    const november = await accounts().statements('2026-11');
    const late = november.flatMap((s) => s.lines.filter((l) => l.kind === 'adjustment' && l.adjustsPeriod === '2026-10'));
    expect(late.map((l) => [l.vatRateBp, l.netCents, l.vatTreatment])).toEqual([[0, 25_000, EXEMPT]]);
    // A service's treatment is kept with the month too, for the adjustments of its consumptions.
    const frozen = ((await hub.store.getClosedPeriod('2026-10'))!.data as ClosedPeriodData).frozen!;
    const today = await loadAccountsReference(hub.store);
    expect(today.services.get('parking_day')!.vatTreatment).toEqual({ category: 'Z' });
    expect(referenceAsOf(today, frozen).services.get('parking_day')!.vatTreatment).toEqual(EXEMPT);
    // Its November month is billed with the pass as it is now.
    const own = brusselsPasses(november).filter((l) => l.memberId === 'm0002');
    expect(own.map((l) => l.vatTreatment)).toEqual([{ category: 'Z' }]);
  });
});
