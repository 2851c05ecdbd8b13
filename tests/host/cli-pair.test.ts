// `escale-station serve` and `escale-station pair` as an operator runs them: serve as its own
// process (the package's bin) prints its address and never a key; pair, run apart from it (in this
// process: tests/support/cli.ts), prints a one-time address that pairs a browser (a cookie) once;
// serve's keys live in the data folder's 0600 file; --lan without TLS is refused.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStation } from '../../main/station/station.js';
import { HOST_KEYS_FILE } from '../../main/host/host-keys.js';
import { DEMO_SITE_ID, demoReferenceData, tempDir } from '../support/station-fixture.js';
import { STATION_BIN, ensureBuilt, killChildren, startChild, type Child } from '../support/processes.js';
import { runCli } from '../support/cli.js';

let dataDir: string;
let serve: Child;
let url: string;

beforeAll(async () => {
  ensureBuilt();
  dataDir = path.join(tempDir('escale-pair-'), 'station');
  const s = openStation({ dataDir, init: { siteId: DEMO_SITE_ID } });
  s.handlers.importReferenceData({ data: demoReferenceData(), source: 'demo data' });
  s.close();
  serve = startChild([STATION_BIN, 'serve', '--data', dataDir, '--port', '0']);
  url = (await serve.line(/^READY (\S+)/))[1]!;
}, 60_000);
afterAll(() => killChildren());

describe('escale-station serve and pair', () => {
  it('keeps its keys in a 0600 file of the data folder and never prints them', () => {
    const file = path.join(dataDir, HOST_KEYS_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const keys = JSON.parse(fs.readFileSync(file, 'utf8')) as { kiosk: string; desk: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(serve.stdout()).not.toContain(keys.kiosk);
    expect(serve.stdout()).not.toContain(keys.desk);
  });

  it('pairs a browser once, with an address printed by another process', async () => {
    const paired = await runCli('escale-station', ['pair', '--data', dataDir, 'kiosk', '--json']);
    expect(paired.status).toBe(0);
    const { value } = JSON.parse(paired.stdout) as { value: { link: string; window: string; expiresAt: string } };
    expect(value.link.startsWith(`${url}/pair?ticket=`)).toBe(true);
    const first = await fetch(value.link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toMatch(/^escale_kiosk=[\w-]+; Path=\/; HttpOnly; SameSite=Strict/);
    expect((await fetch(value.link, { redirect: 'manual' })).status).toBe(403);
    expect((await runCli('escale-station', ['pair', '--data', dataDir, 'admin'])).status).toBe(2);
  });

  it('a fault no boundary caught is logged by the last resort of serve, and the station keeps serving', async () => {
    // Code loaded before the station's own (node --import) that fails, as a library's callback
    // might, when told to (SIGUSR2, once the station is up).
    const faults = "process.on('SIGUSR2', () => { setTimeout(() => { throw new Error('thrown from a timer'); }); void Promise.reject(new Error('rejected, unhandled')); });";
    const other = path.join(tempDir('escale-faults-'), 'station');
    const s = openStation({ dataDir: other, init: { siteId: DEMO_SITE_ID } });
    s.close();
    const child = startChild(['--import', `data:text/javascript,${encodeURIComponent(faults)}`, STATION_BIN, 'serve', '--data', other, '--port', '0']);
    const at = (await child.line(/^READY (\S+)/))[1]!;
    child.process.kill('SIGUSR2');
    await child.line(/uncaught exception \(the station keeps running\): Error: thrown from a timer/);
    await child.line(/unhandled rejection \(the station keeps running\): Error: rejected, unhandled/);
    expect((await fetch(`${at}/kiosk.html`)).status).toBeLessThan(500);
    expect(child.process.exitCode).toBeNull();
    expect(await child.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('refuses the LAN without TLS, and a key on the command line', async () => {
    const lan = await runCli('escale-station', ['serve', '--data', dataDir, '--lan']);
    expect(lan.status).toBe(2);
    expect(lan.stderr).toMatch(/--lan needs --tls-cert FILE and --tls-key FILE/);
    const token = await runCli('escale-station', ['serve', '--data', dataDir, '--token', 'x'.repeat(32)]);
    expect(token.status).toBe(2);
  });
});
