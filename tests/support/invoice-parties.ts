// The parties an invoice names, for the accounts network of tests/support/accounts-network.ts: the
// network's legal profile, and two of its payers as companies on the Peppol network (Acme, with its
// quota; Nomad Consulting, the whole-network pass holder's payer), the others persons paying for
// themselves. Enterprise numbers and the IBAN with their right check digits.
import type { ReferenceDataInput } from '../../common/reference-data.js';

export const NETWORK_PROFILE = {
  legalName: 'Escale Réseau SRL',
  address: { street: 'Avenue Louise 54', postalCode: '1050', city: 'Bruxelles', country: 'BE' },
  enterpriseNumber: '0456.789.034',
  vatNumber: 'BE0456789034',
  iban: 'BE68 5390 0754 7034',
  bic: 'GEBABEBB',
  peppolId: '0208:0456789034',
  email: 'factures@escale.example',
};

/** The network's reference with its legal profile and two companies on the Peppol network. */
export function withParties(ref: ReferenceDataInput): ReferenceDataInput {
  return {
    ...ref,
    network: NETWORK_PROFILE,
    payers: ref.payers.map((p) =>
      p.id === 'acme'
        ? { ...p, enterpriseNumber: '0123.456.749', peppolId: '0208:0123456749', billingAddress: { street: 'Rue de la Loi 16', postalCode: '1000', city: 'Bruxelles', country: 'BE' } }
        : p.id === 'self-network'
          ? { ...p, kind: 'company' as const, name: 'Nomad Consulting SRL', vatNumber: 'BE0876543270', enterpriseNumber: '0876543270', peppolId: '0208:0876543270', billingAddress: { street: 'Kouter 7', postalCode: '9000', city: 'Gent', country: 'BE' } }
          : p,
    ),
  };
}
