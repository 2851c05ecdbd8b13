// A month closed before the network's legal profile was imported is issued before the next month's
// documents (issue 17): a credit note of the next month then finds the invoice it corrects, and that
// invoice comes first in the numbering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccounts } from '../../server/accounts/index.js';
import { importReference } from '../../server/hub/reference-admin.js';
import { withParties } from '../support/invoice-parties.js';
import { stopTestHubStores } from '../support/hub-fixture.js';
import { openNetworkMonth, syncSites, SITE_A, SITE_B, SITE_C, type NetworkMonth } from '../support/accounts-network.js';
import type { AccountsFactory } from '../../server/cli/escale-hub.js';

let hubNow = Date.parse('2026-11-04T12:00:00.000Z');
let net: NetworkMonth;
const accounts = () => createAccounts(net.hub.store, { now: () => hubNow, graceDays: 3 });
const cliAccounts: AccountsFactory = (store) => createAccounts(store, { now: () => hubNow, graceDays: 3 });

beforeAll(async () => {
  net = await openNetworkMonth({ accounts: cliAccounts, lastDay: 5, syncedAt: '2026-11-04T08:00:00.000Z', now: () => hubNow });
}, 180_000);

afterAll(async () => {
  await net?.close();
  await stopTestHubStores();
});

describe('a month closed without the network’s legal profile', () => {
  it('is issued when the next month closes with the profile, before that month’s documents', async () => {
    expect(await accounts().closePeriod('2026-10')).toMatchObject({ closed: true });
    expect(await net.hub.store.documentsIssued('2026-10')).toBe(false);
    await importReference(net.hub.store, withParties(net.ref), '2026-11-20T13:00:00.000Z');
    hubNow = Date.parse('2026-12-04T12:00:00.000Z');
    await syncSites(net.hub, net.stations, [SITE_A, SITE_B, SITE_C], '2026-12-04T08:00:00.000Z');
    expect(await accounts().closePeriod('2026-11')).toMatchObject({ closed: true });
    expect(await net.hub.store.documentsIssued('2026-10')).toBe(true);
    const october = (await net.hub.store.listDocuments({ period: '2026-10' })).map((d) => d.number);
    const november = (await net.hub.store.listDocuments({ period: '2026-11' })).map((d) => d.number);
    expect(october.length).toBeGreaterThan(0);
    expect(october.every((n) => november.every((m) => n < m))).toBe(true);
  });
});
