// The admin API's balances of the desks waiting for a payer's next invoice (issue 17,
// GET /admin/accounts/invoices/carried) on a real hub on 127.0.0.1: the running balance the store
// keeps with the run issued last, per payer with a non-zero one, named as the reference data names
// it (a company invoiced at a desk, which the reference lacks, by its id), sorted by name, a refund
// owed again negative; nothing waiting, an empty list. Only the operator's token opens it: none, a
// wrong one or a station's credential is refused (401), and a query it does not take is a 400.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { adminAnswerSchema, carriedPrepaidListingSchema } from '../../common/admin-api.js';
import { createAccounts } from '../../server/accounts/index.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { documentNumber } from '../../server/store/document-issue.js';
import type { DocumentIssue } from '../../server/store/store.js';
import { SITE_A, accountsReference } from '../support/accounts-network.js';
import { ADMIN_TOKEN, startTestHub, stopTestHubStores, type TestHub } from '../support/hub-fixture.js';

const hubs: TestHub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.close();
});
afterAll(stopTestHubStores);

async function openHub(): Promise<TestHub> {
  const hub = await startTestHub({ reference: false, accounts: (store) => createAccounts(store) });
  hubs.push(hub);
  await importReference(hub.store, accountsReference(), '2026-09-01T00:00:00.000Z');
  return hub;
}

/** A month's run of one invoice to Acme whose build leaves `carried` as the running balance (payer id → cents). */
function runLeaving(period: string, carried: Record<string, number>): DocumentIssue {
  return {
    period,
    year: 2026,
    issuedAt: `${period}-28T10:00:00.000Z`,
    build: (first) => {
      const number = documentNumber(2026, first);
      return { documents: [{ number, period, kind: 'invoice', payerId: 'acme', issuedAt: `${period}-28T10:00:00.000Z`, model: JSON.stringify({ number, period }) }], carriedPrepaid: carried };
    },
  };
}

/** `token` null: no authorization header at all. */
const get = (hub: TestHub, route: string, token: string | null = ADMIN_TOKEN) =>
  fetch(`${hub.url}/admin/accounts/invoices/${route}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

async function carriedOf(hub: TestHub) {
  const res = await get(hub, 'carried');
  expect(res.status).toBe(200);
  const answer = adminAnswerSchema.parse(await res.json());
  if (!answer.ok) throw new Error(answer.error.message);
  return carriedPrepaidListingSchema.parse(answer.value);
}

describe('the desks’ balances waiting for a next invoice, on the admin API', () => {
  it('lists each payer’s non-zero balance by name, the reference’s name or the id it lacks, from the run issued last', async () => {
    const hub = await openHub();
    expect(await carriedOf(hub)).toEqual([]);
    expect(await hub.store.issueDocuments(runLeaving('2026-09', { 'self-payg': 900 }))).toBe(true);
    expect(await carriedOf(hub)).toEqual([{ payerId: 'self-payg', payerName: 'G. Test', cents: 900 }]);
    // October's run leaves the running balance: September's is no longer what waits.
    expect(await hub.store.issueDocuments(runLeaving('2026-10', { 'self-roam': 1_250, acme: -300, 'company-BE0453834195': 2_420 }))).toBe(true);
    expect(await carriedOf(hub)).toEqual([
      { payerId: 'acme', payerName: 'Acme SA', cents: -300 },
      { payerId: 'company-BE0453834195', payerName: 'company-BE0453834195', cents: 2_420 },
      { payerId: 'self-roam', payerName: 'R. Test', cents: 1_250 },
    ]);
    // Nothing waiting any more: an empty list, not an error.
    expect(await hub.store.issueDocuments(runLeaving('2026-11', {}))).toBe(true);
    expect(await carriedOf(hub)).toEqual([]);
  });

  it('opens to the operator’s token only, takes no query, and never clashes with a document’s files', async () => {
    const hub = await openHub();
    const { credential } = await hub.enroll(SITE_A);
    for (const token of [null, 'not-the-token', credential, `${ADMIN_TOKEN}x`]) {
      const res = await get(hub, 'carried', token);
      expect({ token, status: res.status }).toEqual({ token, status: 401 });
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORISED');
    }
    expect((await get(hub, 'carried?period=2026-10')).status).toBe(400);
    // Beside it, a document's file is still a document's (none issued here) and a near name no route.
    expect((await get(hub, '2026-000001.pdf')).status).toBe(404);
    expect((await get(hub, 'carried.csv')).status).toBe(404);
    expect(await carriedOf(hub)).toEqual([]);
  });
});
