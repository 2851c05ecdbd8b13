// Hostile input against a real station's local host and the real hub it syncs with, each run as its
// own process (`escale-station serve`, `escale-hub serve`: a crash is seen as an exit, never taken
// for a failure of the test runner): fast-check generates malformed request lines, paths, headers
// and bodies and raw bytes for both, and WebSocket messages from the kiosk's and the desk's
// connections — bounded in count and time. (tests/hub/hostile-input.test.ts adds socket.io frames
// for the hub.) Afterwards both processes are alive and a legitimate tap still reaches the hub.
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { STATION_METHODS } from '../../common/station-api.js';
import { openStation } from '../../main/station/station.js';
import { DEMO_SITE_ID, demoBadges, demoReferenceData, tempDir } from '../support/station-fixture.js';
import { STATION_BIN, ensureBuilt, freePort, killChildren, spawnHub, startChild, type Child } from '../support/processes.js';
import { runCli } from '../support/cli.js';
import { DEMO_REFERENCE_FILE } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';

const KEYS = { ESCALE_KIOSK_KEY: randomBytes(32).toString('base64url'), ESCALE_DESK_KEY: randomBytes(32).toString('base64url') };
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
let station: Child;
let hub: Child & { url: string };
let url: string;
let port: number;

beforeAll(async () => {
  ensureBuilt();
  await ensureRendererBuilt('kiosk');
  // The hub, with the demo network and this station enrolled.
  const hubFile = path.join(tempDir('escale-hostile-hub-'), 'hub.sqlite');
  expect((await runCli('escale-hub', ['import', '--db', hubFile, DEMO_REFERENCE_FILE])).status).toBe(0);
  const enrolled = await runCli('escale-hub', ['station', 'enroll', '--db', hubFile, '--site', DEMO_SITE_ID, '--name', 'Hostile test']);
  const { credential } = JSON.parse(enrolled.stdout) as { credential: string };
  hub = await spawnHub(hubFile, await freePort(), ADMIN_TOKEN);
  // The station, pointed at it.
  const dataDir = path.join(tempDir('escale-hostile-'), 'station');
  const s = openStation({ dataDir, init: { siteId: DEMO_SITE_ID } });
  s.handlers.importReferenceData({ data: demoReferenceData(), source: 'demo data' });
  s.handlers.configureHub({ url: hub.url, credential });
  s.close();
  station = startChild([STATION_BIN, 'serve', '--data', dataDir, '--port', '0'], { env: KEYS });
  url = (await station.line(/^READY (\S+)/))[1]!;
  port = Number(new URL(url).port);
}, 120_000);

afterAll(async () => {
  await killChildren();
});

const running = (c: Child) => c.process.exitCode === null && c.process.signalCode === null;
const alive = () => running(station) && running(hub);

/** Writes `bytes` to a server on 127.0.0.1 and waits for it to answer or close (at most 300 ms). */
function send(bytes: Buffer, to = port): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(to, '127.0.0.1');
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 300);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => undefined);
    socket.write(bytes, () => socket.end());
  });
}

const token = fc.string({ minLength: 0, maxLength: 12 });
const percentJunk = fc.array(fc.oneof(fc.constantFrom('%', '%C0', '%E0%A4%A', '%00', '%2e%2e/', '%ff', '..', '/', '//', '\\', '?', '#', '%u0041'), fc.string({ maxLength: 6 })), { maxLength: 12 }).map((parts) => '/' + parts.join(''));
const pathArb = fc.oneof(fc.webPath(), percentJunk, fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('//', '/%C0', '/../../etc/passwd', '/pair?ticket=', '/api/paired?window=%00', '/api', '*', ''));
const methodArb = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PRI', 'get'), token);
const headerArb = fc.tuple(fc.oneof(fc.constantFrom('Host', 'Origin', 'Cookie', 'Upgrade', 'Connection', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Content-Length', 'Transfer-Encoding', 'Authorization'), token), fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom(`127.0.0.1:0`, 'websocket', 'Upgrade', '13', 'dGhlIHNhbXBsZSBub25jZQ==', '-1', '99999999999', 'chunked', 'escale_desk=x')));
/** A request for the server on `target`: its Host header right or not, the rest anything. */
const requestArb = (target: () => number) =>
  fc.tuple(methodArb, pathArb, fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', ''), fc.array(headerArb, { maxLength: 6 }), fc.string({ maxLength: 300 }), fc.boolean()).map(([m, p, v, headers, body, withHost]) => {
    const lines = [`${m} ${p} ${v}`, ...(withHost ? [`Host: 127.0.0.1:${target()}`] : []), ...headers.map(([k, val]) => `${k}: ${val}`)];
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
  });
const hubPathArb = fc.oneof(pathArb, fc.constantFrom('/admin/', '/admin/%C0', '//', '/admin/events?limit=-1', '/admin/guests/purge', '/socket.io/?EIO=4&transport=polling', '/health'));

/** A message for the station socket: JSON of any shape, calls of every method with any input, garbage, deep nesting. */
const messageArb = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.record({ id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), method: fc.oneof(fc.constantFrom(...STATION_METHODS), token), input: fc.jsonValue() }).map((r) => JSON.stringify(r)),
  fc.record({ id: fc.nat(), method: fc.constantFrom(...STATION_METHODS), input: fc.object({ maxDepth: 3 }) }).map((r) => JSON.stringify(r)),
  fc.integer({ min: 1, max: 50_000 }).map((depth) => `{"id":1,"method":"tap","input":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.constantFrom('{"id":1,"method":"__proto__","input":{}}', '{"id":1,"method":"constructor","input":{"__proto__":{"admin":true}}}', '{"id":1,"method":"importReferenceData","input":{"data":{}}}'),
);

function open(window: 'kiosk' | 'reception'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?window=${window}`, { headers: { authorization: `Bearer ${window === 'kiosk' ? KEYS.ESCALE_KIOSK_KEY : KEYS.ESCALE_DESK_KEY}` } });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

describe('the station’s local host under hostile input', () => {
  it('stays up through malformed HTTP requests and raw bytes (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(requestArb(() => port), fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b))), async (bytes) => {
        await send(bytes);
        return alive();
      }),
      { numRuns: 250, interruptAfterTimeLimit: 40_000 },
    );
    expect(alive()).toBe(true);
  }, 90_000);

  it('the hub it syncs with stays up through the same, with its own paths and the admin token or not (fast-check)', async () => {
    const hubPort = Number(new URL(hub.url).port);
    const withToken = fc.boolean().map((yes) => (yes ? `Authorization: Bearer ${ADMIN_TOKEN}\r\n` : ''));
    const hubRequest = fc.tuple(methodArb, hubPathArb, withToken, fc.string({ maxLength: 300 })).map(([m, p, auth, body]) =>
      Buffer.from(`${m} ${p} HTTP/1.1\r\nHost: 127.0.0.1:${hubPort}\r\n${auth}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n\r\n${body}`, 'latin1'),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(hubRequest, requestArb(() => hubPort), fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b))), async (bytes) => {
        await send(bytes, hubPort);
        return alive();
      }),
      { numRuns: 250, interruptAfterTimeLimit: 40_000 },
    );
    expect(alive()).toBe(true);
  }, 90_000);

  it('stays up through hostile WebSocket messages from the kiosk and the desk (fast-check)', async () => {
    const sockets: Record<'kiosk' | 'reception', WebSocket | undefined> = { kiosk: undefined, reception: undefined };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('kiosk' as const, 'reception' as const), fc.array(messageArb, { minLength: 1, maxLength: 5 }), async (window, messages) => {
        let ws = sockets[window];
        if (!ws || ws.readyState !== WebSocket.OPEN) ws = sockets[window] = await open(window);
        for (const m of messages) ws.send(m);
        return alive();
      }),
      { numRuns: 200, interruptAfterTimeLimit: 40_000 },
    );
    for (const ws of Object.values(sockets)) ws?.close();
    expect(alive()).toBe(true);
  }, 90_000);

  it('afterwards still serves a legitimate tap and its pages, and the tap reaches the hub', async () => {
    expect(alive()).toBe(true);
    const ws = await open('kiosk');
    const answer = new Promise<{ ok: boolean; value?: { outcome: string } }>((resolve) =>
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { kind: string; id: number; result: { ok: boolean; value?: { outcome: string } } };
        if (m.kind === 'answer' && m.id === 424242) resolve(m.result);
      }),
    );
    ws.send(JSON.stringify({ id: 424242, method: 'tap', input: { uid: demoBadges().active[3]!.uid } }));
    const tapped = await answer;
    expect(tapped).toMatchObject({ ok: true, value: { outcome: expect.stringMatching(/checked_in|checked_out/) } });
    ws.close();
    const visitId = (tapped.value as unknown as { visit: { visitId: string } }).visit.visitId;
    await waitFor(async () => {
      const res = await fetch(`${hub.url}/admin/events?site=${DEMO_SITE_ID}&limit=10000`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const body = (await res.json()) as { value: { type: string; payload: { visitId?: string } }[] };
      return body.value.some((e) => e.type.startsWith('visit.') && e.payload.visitId === visitId);
    }, 'the tap at the hub');
    expect((await fetch(`${url}/kiosk.html`)).status).toBe(200);
    // Said once, rate-limited: the flood left a handful of log lines, and no key.
    const out = station.stdout();
    expect(out).not.toContain(KEYS.ESCALE_KIOSK_KEY);
    expect(out).not.toContain(KEYS.ESCALE_DESK_KEY);
    const refusalLines = out.split('\n').filter((l) => /refused|failed/.test(l));
    // The fuzz did reach it (each kind of refusal said once), and a flood left a handful of lines.
    expect(refusalLines.length).toBeGreaterThan(0);
    expect(refusalLines.length).toBeLessThan(60);
    expect(station.stderr()).not.toMatch(/uncaught|unhandled/i);
    expect(hub.stdout()).not.toMatch(/uncaught exception|unhandled rejection/);
    expect(hub.stdout()).not.toContain(ADMIN_TOKEN);
  });
});
