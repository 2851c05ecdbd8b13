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
