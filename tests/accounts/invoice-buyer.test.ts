// Who an invoice goes to over Peppol (issue 17): only a payer whose reference data gives a Peppol
// id. A company with a VAT and an enterprise number but no id gets its invoice as a PDF: an id made
// up from its enterprise number could name a company not registered on Peppol.
import { describe, expect, it } from 'vitest';
import { buyerOf } from '../../server/accounts/invoicing/documents.js';
import { payerSchema } from '../../common/reference-data.js';

const company = { id: 'brugse-data', kind: 'company', name: 'Brugse Data BV', vatNumber: 'BE0403536727', enterpriseNumber: '0403.536.727', language: 'nl' } as const;

describe('an invoice’s buyer', () => {
  it('has no Peppol id the reference data does not give', () => {
    expect(buyerOf(payerSchema.parse(company))).not.toHaveProperty('peppolId');
  });
  it('keeps the Peppol id it is given', () => {
    expect(buyerOf(payerSchema.parse({ ...company, peppolId: '0208:0403536727', billingAddress: { street: 'Markt 1', postalCode: '8000', city: 'Brugge' } })).peppolId).toBe('0208:0403536727');
  });
});

describe('a month issued after its close', () => {
  it('invoices a company invoiced at a desk, which only its statement names (the reference data has no record of it)', async () => {
    const { documentDrafts } = await import('../../server/accounts/invoicing/documents.js');
    const { networkProfileSchema } = await import('../../common/reference-data.js');
    const { NETWORK_PROFILE } = await import('../support/invoice-parties.js');
    const line = { kind: 'usage' as const, description: 'Poste de travail — Bruxelles A', quantity: 90, unit: 'minute', unitPriceCents: 500, vatRateBp: 2100, netCents: 750, vatCents: 158, grossCents: 908 };
    const statement = {
      period: '2026-10', payerId: 'company-BE0403536727', payerName: 'Brugse Data BV', payerVatNumber: 'BE0403536727', language: 'nl' as const, status: 'closed' as const,
      lines: [line], vatSummary: [{ vatRateBp: 2100, netCents: 750, vatCents: 158 }], totals: { netCents: 750, vatCents: 158, grossCents: 908 }, members: [],
      paidAtDesk: [], paidAtDeskCents: 0, payableCents: 908,
    };
    const drafts = documentDrafts([statement, { ...statement, payerId: 'guest-payer', payerName: 'Invité' }], {
      issueDate: '2026-11-04', dueDate: '2026-12-04', network: networkProfileSchema.parse(NETWORK_PROFILE), payers: new Map(), invoiceOf: () => undefined,
    });
    expect(drafts.map((d) => [d.kind, d.buyer.payerId, d.buyer.name, d.buyer.vatNumber, d.channel, d.totals.grossCents])).toEqual([['invoice', 'company-BE0403536727', 'Brugse Data BV', 'BE0403536727', 'pdf', 908]]);
  });
});
