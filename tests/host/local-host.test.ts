// The station's local host as an outsider meets it (issue 13): real HTTP and WebSocket on
// 127.0.0.1 against a real station. Malformed addresses are refused and the host keeps serving; a
// page of another origin or a DNS name rebound to the machine gets nothing; the kiosk key opens
// the kiosk's methods only; a browser is paired once, by a ticket, and holds its key as a cookie;
// an eID's names reach the reception only; the keys never appear in a log; beyond the loopback,
// TLS only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { STATION_METHOD_ROLES } from '../../common/station-access.js';
import { STATION_METHODS } from '../../common/station-api.js';
import type { HostMessage } from '../../common/host-protocol.js';
import { startLocalHost, KEY_COOKIES, type LocalHost } from '../../main/host/local-host.js';
import { HOST_KEYS_FILE, loadHostKeys } from '../../main/host/host-keys.js';
import { AccessGate, type Caller } from '../../main/station/access/gate.js';
import { Notifier } from '../../main/runtime/notifier.js';
import { BUILT_RENDERER_DIR } from '../support/browser.js';
import { ensureRendererBuilt } from '../support/renderer-build.js';
import { openTestStation, tempDir, type TestStation } from '../support/station-fixture.js';
import { outboxEvents } from '../support/ledger.js';
import { contextOf } from '../../main/station/context.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Served {
  t: TestStation;
  host: LocalHost;
  notifier: Notifier;
  keys: { kiosk: string; desk: string };
  logs: string[];
  port: number;
}

/** A local host over a test station, its calls through the access gate (as the runtime wires it, without devices or sync). */
async function serve(extra: Partial<Parameters<typeof startLocalHost>[0]> = {}): Promise<Served> {
  await ensureRendererBuilt('kiosk');
  const t = openTestStation();
  const keys = loadHostKeys(t.dataDir, {});
  const logs: string[] = [];
  const gate = new AccessGate(t.station);
  const notifier = new Notifier();
  const call = (caller: Caller, method: unknown, input: unknown) => gate.call(caller, method, input);
  const host = await startLocalHost({ station: t.station, gate, call, notifier, rendererDir: BUILT_RENDERER_DIR, port: 0, keys, log: (l) => logs.push(l), ...extra });
  cleanups.push(() => t.close(), () => gate.close(), () => host.close());
  return { t, host, notifier, keys, logs, port: Number(new URL(host.url).port) };
}

/**
 * Sends raw bytes as an HTTP request and returns the status line (or what the socket said). The
 * connection is ended once the status line is in, or after 500 ms when the server says nothing
 * (it may wait for more of a request that will not come).
 */
function raw(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) socket.end();
    });
    socket.on('error', () => resolve(got || 'socket error'));
    socket.on('close', () => {
      clearTimeout(silent);
      resolve(got.split('\r\n')[0] ?? '');
    });
    socket.write(request);
    const silent = setTimeout(() => socket.end(), 500);
  });
}

/** Opens the station WebSocket; resolves with the socket or the HTTP status it was refused with. */
function connect(url: string, headers: Record<string, string>, window = 'kiosk'): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api?window=${window}`, { headers, rejectUnauthorized: false });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

/** Calls a method over an open socket. */
function call(ws: WebSocket, method: string, input: unknown = {}): Promise<{ ok: boolean; error?: { code: string }; value?: unknown }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as HostMessage;
      if (m.kind === 'answer' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m.result as never);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, input }));
  });
}

describe('the local host never falls over on input', () => {
  it('answers malformed addresses with 400s and keeps serving', async () => {
    const { port, host } = await serve();
    // Each of these stopped or could stop the station before: a bad percent-encoding, an empty
    // authority, a request line of garbage bytes, a header too large.
    expect(await raw(port, `GET /%C0 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(port, `GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(port, `GET // HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 (400|404)/);
    expect(await raw(port, `GET /../../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 404/);
    expect(await raw(port, Buffer.from([0x16, 0x03, 0x01, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]))).toMatch(/400|^$/);
    expect(await raw(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431|^HTTP\/1\.1 400/);
    expect(await raw(port, `POST /kiosk.html HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 3\r\n\r\nabc`)).toMatch(/^HTTP\/1\.1 405/);
    const page = await fetch(`${host.url}/kiosk.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self';");
  });

  it('refuses another host name (a DNS name rebound to this machine) with 421', async () => {
    const { port } = await serve();
    expect(await raw(port, `GET /kiosk.html HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 421/);
    expect(await raw(port, `GET /kiosk.html HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 200/);
  });

  it('answers garbage over the WebSocket and closes a connection that floods it', async () => {
    const { host, keys } = await serve();
    const ws = (await connect(host.url, { authorization: `Bearer ${keys.kiosk}` })) as WebSocket;
    const answers: HostMessage[] = [];
    ws.on('message', (d) => answers.push(JSON.parse(d.toString()) as HostMessage));
    for (const text of ['not json', '{"id":1}', '[]', 'null', '{"id":-5,"method":"tap","input":{}}', '{"id":2,"method":"__proto__","input":{}}', JSON.stringify({ id: 3, method: 'tap', input: { uid: 'x'.repeat(10_000) } }), '['.repeat(100_000)])
      ws.send(text);
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await call(ws, 'siteProfile')).toMatchObject({ ok: true });
    expect(answers.filter((a) => a.kind === 'answer' && !a.result.ok).length).toBeGreaterThanOrEqual(8);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    for (let i = 0; i < 1000; i++) ws.send(JSON.stringify({ id: i, method: 'siteProfile', input: {} }));
    expect(await closed).toBe(1008);
    expect(await call((await connect(host.url, { authorization: `Bearer ${keys.kiosk}` })) as WebSocket, 'siteProfile')).toMatchObject({ ok: true });
  });
});

describe('credentials, origins and windows', () => {
  it('refuses a page of another origin, and a connection without a key, and audits both', async () => {
    const { host, keys, t } = await serve();
    // The right key does not help a foreign page: its Origin is refused first.
    expect(await connect(host.url, { origin: 'http://evil.example', cookie: `${KEY_COOKIES.reception}=${keys.desk}` }, 'reception')).toBe(403);
    expect(await connect(host.url, { origin: `http://evil.example:${new URL(host.url).port}`, authorization: `Bearer ${keys.desk}` })).toBe(403);
    expect(await connect(host.url, { origin: host.url })).toBe(401);
    expect(await connect(host.url, {})).toBe(401);
    expect(await connect(host.url, { authorization: 'Bearer wrong-key-wrong-key-wrong-key' })).toBe(401);
    // The kiosk's cookie does not open the reception.
    expect(await connect(host.url, { origin: host.url, cookie: `${KEY_COOKIES.reception}=${keys.kiosk}` }, 'reception')).toBe(401);
    const reasons = outboxEvents(contextOf(t.station).db)
      .filter((e) => e.type === 'access.refused')
      .map((e) => (e.payload as { reason: string }).reason);
    expect(new Set(reasons)).toEqual(new Set(['bad_origin', 'bad_credential']));
  });

  it('gives the kiosk key the kiosk methods only: every other method is FORBIDDEN', async () => {
    const { host, keys } = await serve();
    const ws = (await connect(host.url, { authorization: `Bearer ${keys.kiosk}` })) as WebSocket;
    for (const m of STATION_METHODS) {
      const r = await call(ws, m, {});
      if (STATION_METHOD_ROLES[m] === 'kiosk') expect(r.error?.code, m).not.toBe('FORBIDDEN');
      else expect(r, m).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('pairs a browser once with a ticket: the key comes back as an HttpOnly cookie, never in an address, and opens that window', async () => {
    const { host, keys } = await serve();
    const link = host.pairingLink('reception');
    expect(link).not.toContain(keys.desk);
    const paired = await fetch(link, { redirect: 'manual' });
    expect(paired.status).toBe(303);
    expect(paired.headers.get('location')).toBe('/reception.html');
    const cookie = paired.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^escale_desk=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    // Once only.
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(403);
    const jar = cookie.split(';')[0]!;
    expect(await (await fetch(`${host.url}/api/paired?window=reception`, { headers: { cookie: jar } })).json()).toEqual({ paired: true });
    expect(await (await fetch(`${host.url}/api/paired?window=kiosk`, { headers: { cookie: jar } })).json()).toEqual({ paired: false });
    const ws = (await connect(host.url, { origin: host.url, cookie: jar }, 'reception')) as WebSocket;
    expect(await call(ws, 'staffSignIn', { staffId: 'joris', pin: '1357' })).toMatchObject({ ok: true });
    expect(await call(ws, 'onSite')).toMatchObject({ ok: true });
    // The session is this connection's: a second one with the same cookie has none.
    const other = (await connect(host.url, { origin: host.url, cookie: jar }, 'reception')) as WebSocket;
    expect(await call(other, 'onSite')).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
    ws.close();
  });

  it('sends an eID’s names to the reception only, never to the kiosk', async () => {
    const { host, keys, notifier } = await serve();
    const kiosk = (await connect(host.url, { authorization: `Bearer ${keys.kiosk}` })) as WebSocket;
    const desk = (await connect(host.url, { authorization: `Bearer ${keys.desk}` })) as WebSocket;
    const heard = { kiosk: [] as string[], desk: [] as string[] };
    kiosk.on('message', (d) => heard.kiosk.push((JSON.parse(d.toString()) as HostMessage).kind));
    desk.on('message', (d) => heard.desk.push((JSON.parse(d.toString()) as HostMessage).kind));
    notifier.publish({ kind: 'identity', read: { ok: true, source: 'desk', reader: 'ACS', identity: { lastName: 'Peeters', firstNames: 'Anna', nationality: 'Belg' } } as never });
    notifier.publish({ kind: 'changed', what: 'devices' });
    await call(kiosk, 'siteProfile');
    await call(desk, 'siteProfile');
    expect(heard.kiosk).toEqual(['changed', 'answer']);
    expect(heard.desk).toEqual(['identity', 'changed', 'answer']);
  });

  it('keeps the keys in a 0600 file (or the environment), random, and out of the log', async () => {
    const dir = tempDir('escale-keys-');
    const keys = loadHostKeys(dir, {});
    expect(fs.statSync(path.join(dir, HOST_KEYS_FILE)).mode & 0o777).toBe(0o600);
    expect(keys.kiosk).not.toBe(keys.desk);
    expect(loadHostKeys(dir, {})).toEqual(keys);
    fs.chmodSync(path.join(dir, HOST_KEYS_FILE), 0o644);
    loadHostKeys(dir, {});
    expect(fs.statSync(path.join(dir, HOST_KEYS_FILE)).mode & 0o777).toBe(0o600);
    const fromEnv = loadHostKeys(dir, { ESCALE_KIOSK_KEY: 'k'.repeat(32), ESCALE_DESK_KEY: 'd'.repeat(32) });
    expect(fromEnv).toEqual({ kiosk: 'k'.repeat(32), desk: 'd'.repeat(32) });
    expect(() => loadHostKeys(dir, { ESCALE_KIOSK_KEY: 'short' })).toThrow(/at least 24/);
    expect(() => loadHostKeys(dir, { ESCALE_KIOSK_KEY: 's'.repeat(30), ESCALE_DESK_KEY: 's'.repeat(30) })).toThrow(/must differ/);

    const { logs, keys: served, host } = await serve();
    await connect(host.url, { authorization: 'Bearer wrong-key-wrong-key-wrong-key' });
    host.pairingLink('kiosk');
    const text = logs.join('\n');
    expect(text).toContain('station pages at');
    expect(text).not.toContain(served.kiosk);
    expect(text).not.toContain(served.desk);
  });
});

describe('beyond the loopback', () => {
  it('refuses to serve the LAN without TLS, and serves it over TLS', async () => {
    const t = openTestStation();
    cleanups.push(() => t.close());
    const keys = loadHostKeys(t.dataDir, {});
    const gate = new AccessGate(t.station);
    cleanups.push(() => gate.close());
    const wiring = { gate, call: (caller: Caller, method: unknown, input: unknown) => gate.call(caller, method, input), notifier: new Notifier() };
    await expect(startLocalHost({ station: t.station, ...wiring, rendererDir: BUILT_RENDERER_DIR, port: 0, host: '0.0.0.0', keys })).rejects.toThrow(/only over TLS/);

    const dir = tempDir('escale-tls-');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const { host, keys: served } = await serve({ host: '0.0.0.0', tls: { cert: fs.readFileSync(path.join(dir, 'cert.pem')), key: fs.readFileSync(path.join(dir, 'key.pem')) } });
    const port = new URL(host.url).port;
    expect(host.url).toMatch(/^https:/);
    // Reached on the loopback address (the tests never leave 127.0.0.1).
    const ws = (await connect(`https://127.0.0.1:${port}`, { authorization: `Bearer ${served.kiosk}` })) as WebSocket;
    expect(await call(ws, 'siteProfile')).toMatchObject({ ok: true });
    ws.close();
    // Plain HTTP to the TLS port gets nothing.
    expect(await raw(Number(port), `GET /kiosk.html HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).not.toMatch(/^HTTP\/1\.1 200/);
  });
});
