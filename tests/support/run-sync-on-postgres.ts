// Runs the sync and accounts suites (tests/sync, tests/accounts) a second time with the hub on PostgreSQL: one throwaway cluster
// for the run (ESCALE_TEST_PG_URL), a fresh database per hub (tests/support/hub-fixture.ts). The
// renderers' test (PDF and CSV from fixed reports) opens no hub store: it runs once, not here.
import { spawnSync } from 'node:child_process';
import { startTestPostgres } from './postgres.js';

const pg = await startTestPostgres();
let status = 1;
try {
  const run = spawnSync('npx', ['vitest', 'run', 'tests/sync', 'tests/accounts', '--exclude', 'tests/accounts/render.test.ts'], {
    stdio: 'inherit',
    env: { ...process.env, ESCALE_TEST_PG_URL: pg.url, ESCALE_TEST_HUB_STORE: 'postgres' },
  });
  status = run.status ?? 1;
} finally {
  await pg.stop();
}
process.exitCode = status;
