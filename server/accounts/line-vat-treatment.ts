// The VAT treatment a statement line carries (issue 17): what the reference data declares for the
// service, the pass or the quota package the line bills, read when the statement is built so that
// a closed month keeps it whatever the reference data says later.
import type { VatTreatment } from '../../common/vat-treatment.js';
import type { Bucket } from './buckets.js';
import type { AccountsReference } from './reference.js';

type TreatmentReference = Pick<AccountsReference, 'services' | 'plans' | 'subscriptionsById' | 'quotasById'>;

/**
 * Undefined for a line at a rate above 0 %, whatever its source declares: the import refuses such a
 * pair, and a line priced before the treatment was declared keeps the rate it was billed at.
 */
export function lineVatTreatment(b: Bucket, ref: TreatmentReference): VatTreatment | undefined {
  if (b.vatRateBp !== 0) return undefined;
  if (b.kind === 'pass_fee') {
    const sub = b.refId ? ref.subscriptionsById.get(b.refId) : undefined;
    return sub ? ref.plans.get(sub.planId)?.vatTreatment : undefined;
  }
  if (b.kind === 'quota_package') return b.refId ? ref.quotasById.get(b.refId)?.vatTreatment : undefined;
  return b.serviceCode ? ref.services.get(b.serviceCode)?.vatTreatment : undefined;
}

/** A treatment in a line key: lines that differ in it never merge into one. */
export const treatmentKey = (t: VatTreatment | undefined): string => (t ? `${t.category}:${t.exemptionReasonCode ?? ''}:${t.reason ? JSON.stringify(t.reason) : ''}` : '');
