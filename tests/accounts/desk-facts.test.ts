// Which desk payments are a member's prepayment and which the centre's own revenue (issue 16): a
// payment that names the member (stations since the prepayments) is theirs even when the hub no
// longer reads the visit's lines (a visit older than the ledger's window).
import { describe, expect, it } from 'vitest';
import { deskFacts } from '../../server/accounts/desk.js';
import type { Ledger } from '../../server/accounts/ledger.js';
import type { AccountsReference } from '../../server/accounts/reference.js';

const site = { id: 'bru-a', name: 'Bruxelles A', region: 'brussels', timeZone: 'Europe/Brussels' };
const ref = {
  sites: new Map([[site.id, site]]),
  members: new Map([['m-1', { id: 'm-1', payerId: 'acme' }]]),
  payers: new Map(),
} as unknown as AccountsReference;

const payment = (memberId?: string) => ({
  siteId: site.id,
  payment: {
    paymentId: '01900000-0000-7000-8000-000000000001',
    visitId: '01900000-0000-7000-8000-0000000000aa',
    method: 'cash' as const,
    amountCents: 450,
    tenderedCents: 500,
    changeCents: 50,
    at: '2026-11-06T10:00:00.000Z',
    ...(memberId ? { memberId } : {}),
  },
});

describe('desk payments at the hub', () => {
  it('books a payment naming a member as a prepayment of their payer’s bill, though the hub reads none of the visit’s lines', () => {
    const ledger = { payments: [payment('m-1')], refunds: [], consumption: [] } as unknown as Pick<Ledger, 'payments' | 'refunds' | 'consumption'>;
    const facts = deskFacts(ledger, [], ref);
    expect(facts.collected).toEqual([]);
    expect(facts.prepaid).toEqual([expect.objectContaining({ payerId: 'acme', memberId: 'm-1', siteId: 'bru-a', period: '2026-11', amountCents: 450 })]);
  });

  it('books a guest’s payment as the centre’s revenue', () => {
    const ledger = { payments: [payment()], refunds: [], consumption: [] } as unknown as Pick<Ledger, 'payments' | 'refunds' | 'consumption'>;
    const facts = deskFacts(ledger, [], ref);
    expect(facts.prepaid).toEqual([]);
    expect(facts.collected.reduce((n, c) => n + c.grossCents, 0)).toBe(450);
  });
});
