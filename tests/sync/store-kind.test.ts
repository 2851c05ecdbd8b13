// Which store the sync suite's hub runs on: SQLite by default, PostgreSQL in the second run of
// `npm test` (ESCALE_TEST_HUB_STORE=postgres) — so the same suite passes on both.
import { expect, it } from 'vitest';
import { HUB_STORE_KIND, startTestHub } from '../support/hub-fixture.js';

it(`runs the hub on the ${HUB_STORE_KIND} store`, async () => {
  const hub = await startTestHub();
  try {
    expect(hub.store.kind).toBe(HUB_STORE_KIND);
    expect(hub.logs.join('\n') + (await hub.admin<unknown[]>('GET', 'streams')).length).toBeDefined();
  } finally {
    await hub.close();
  }
});
