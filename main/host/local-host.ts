// The local host: serves the built renderer and the station API over WebSocket, so a kiosk screen
// or the desk can be any browser. It listens on 127.0.0.1; on the LAN only when configured, and
// then over TLS only. Two credentials (host-keys.ts): the kiosk key opens the kiosk's methods, the
// desk key the reception's (a clerk then signs in with a PIN). A browser gets its key once, through
// a one-time pairing ticket, as an HttpOnly SameSite=Strict cookie — never in an address; other
// programs send it as `Authorization: Bearer`. Every request is checked for its Host (a DNS name
// rebound to this machine is refused) and every WebSocket for its Origin (a page of another site
// cannot drive the station). Every call goes through the station's access gate. Nothing a client
// sends can stop the process: each request and message is handled inside an error boundary.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { HOST_API_PATH, HOST_PAIRED_PATH, hostRequestSchema, type HostMessage } from '../../common/host-protocol.js';
import type { Station } from '../station/station.js';
import type { Result } from '../../common/result.js';
import { contentTypeOf } from '../../common/content-types.js';
import type { AccessGate, Caller } from '../station/access/gate.js';
import { audienceOf, type StationWindow } from '../../common/station-access.js';
import type { HostKeys } from './host-keys.js';
import { pairingRefusedPage } from './pairing-page.js';
import { createRateLimitedLog } from '../../common/log/rate-limited-log.js';
import { parseJsonWithin, type JsonLimits } from '../../common/wire/json-limits.js';

export interface LocalHostOptions {
  station: Station;
  /** A page's call: the runtime's (through the access gate, and what it changes told to every window). */
  call: (caller: Caller, method: unknown, input: unknown) => Result<unknown>;
  /** What every window hears (taps, eID reads, changes): the host passes on what is for its pages. */
  notifier: { subscribe(listener: (message: Exclude<HostMessage, { kind: 'answer' }>) => void): () => void };
  /** The access gate, told of connections refused before any call, and of connections that end. */
  gate: AccessGate;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port: number;
  /** 127.0.0.1 unless the station is configured for the LAN. */
  host?: string;
  keys: HostKeys;
  /** TLS, required when listening beyond the loopback (--lan). */
  tls?: { cert: Buffer | string; key: Buffer | string };
  /** Host names (with or without port) the LAN's browsers use to reach this station, besides its addresses. */
  lanNames?: string[];
  log?: (line: string) => void;
}

export interface LocalHost {
  readonly url: string;
  /** A one-time address that pairs a browser as this station's kiosk or reception screen (10 minutes). */
  pairingLink(window: StationWindow): string;
  close(): Promise<void>;
}

/** What each window's cookie is called: a browser paired as both (the demo's) keeps both. */
export const KEY_COOKIES: { readonly [W in StationWindow]: string } = { kiosk: 'escale_kiosk', reception: 'escale_desk' };

/** The content security policy of every page: nothing but this host (its WebSocket included, by 'self'). */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
/**
 * A page's request nests a few levels (a device configuration, the deepest, 4); a reference file
 * imported by a supervisor, the largest, has one item per ~20 bytes, well within one per 10 of
 * the 2 MB message.
 */
const MESSAGE_LIMITS: JsonLimits = { maxDepth: 64, maxItems: MAX_MESSAGE_BYTES / 10 };
/** A connection may ask this many calls at once; a page needs a handful. */
const MAX_CALLS_PER_SECOND = 200;

const sameKey = (given: string | undefined, expected: string): boolean => {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

function cookiesOf(header: string | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const listenHost = options.host ?? '127.0.0.1';
  const loopbackOnly = ['127.0.0.1', 'localhost', '::1'].includes(listenHost);
  if (!loopbackOnly && !options.tls) throw new Error('The station is served beyond this machine only over TLS: give a certificate and its key (--tls-cert, --tls-key).');
  const log = options.log ?? (() => undefined);
  // Said once per kind, then counted: whoever sends the refused input controls how often it comes.
  // Control characters are escaped, so a client cannot write lines of its own into the log.
  const refusals = createRateLimitedLog({ now: Date.now, sink: (line) => log(line.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)) });
  const refused = (kind: string, line: string) => refusals.note(kind, line);
  const summaries = setInterval(() => refusals.flush(), 60_000);
  summaries.unref();
  const { gate } = options;
  const root = path.resolve(options.rendererDir);
  const scheme = options.tls ? 'https' : 'http';
  // Filled once the port is known.
  const allowedHosts = new Set<string>();

  const hostAllowed = (req: http.IncomingMessage): boolean => allowedHosts.has((req.headers.host ?? '').toLowerCase());

  const serveFile = (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname === '/' ? '/kiosk.html' : pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request');
      return;
    }
    const file = path.resolve(root, '.' + decoded);
    if (decoded.includes('\0') || !file.startsWith(root + path.sep)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file);
    } catch {
      stat = undefined;
    }
    if (!stat?.isFile()) {
      if (!fs.existsSync(path.join(root, 'kiosk.html'))) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The renderer is not built: run npm run build.');
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': contentTypeOf(path.extname(file)),
      'content-security-policy': PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = fs.createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  const pair = (res: http.ServerResponse, url: URL) => {
    const window = options.station.pairing.redeem(url.searchParams.get('ticket') ?? '');
    if (!window) {
      refused('pairing', 'refused a pairing link that was unknown, used or expired');
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' }).end(pairingRefusedPage());
      return;
    }
    const key = window === 'kiosk' ? options.keys.kiosk : options.keys.desk;
    const cookie = `${KEY_COOKIES[window]}=${key}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000${options.tls ? '; Secure' : ''}`;
    log(`a browser was paired as the ${window} screen`);
    // The address's fragment (#lang=de…) is kept by the browser across this redirect.
    res.writeHead(303, { location: `/${window}.html`, 'set-cookie': cookie, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
  };

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      if (!hostAllowed(req)) {
        refused('host', `refused a request for host "${String(req.headers.host ?? '').slice(0, 100)}" (not this station's address)`);
        res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('Misdirected request');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed');
        return;
      }
      let url: URL;
      try {
        url = new URL(`http://station${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? '/'}`);
      } catch {
        refused('url', 'refused a request with a malformed address');
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request');
        return;
      }
      if (url.pathname === '/pair') return pair(res, url);
      if (url.pathname === HOST_PAIRED_PATH) {
        // Whether this browser holds the window's key: a page that cannot connect says why.
        const window = url.searchParams.get('window');
        const cookie = window === 'kiosk' || window === 'reception' ? cookiesOf(req.headers.cookie).get(KEY_COOKIES[window]) : undefined;
        const paired = window === 'kiosk' ? sameKey(cookie, options.keys.kiosk) : window === 'reception' ? sameKey(cookie, options.keys.desk) : false;
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(JSON.stringify({ paired }));
        return;
      }
      serveFile(req, res, url.pathname);
    } catch (e) {
      refused('internal', `a request failed: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
    }
  };

  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : http.createServer(onRequest);
  server.on('clientError', (err, socket) => {
    refused('client', `refused a malformed request (${(err as NodeJS.ErrnoException).code ?? err.message})`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  // A TLS handshake that fails (a plain-HTTP client, a scanner) is its client's problem, said once.
  server.on('tlsClientError', (err) => refused('tls', `refused a TLS connection (${(err as NodeJS.ErrnoException).code ?? err.message})`));

  /** The window a WebSocket upgrade is for, and whether its credential and origin hold. */
  const admit = (req: http.IncomingMessage): { window: StationWindow } | { refusal: 'bad_origin' | 'bad_credential'; window: StationWindow | 'unknown'; why: string } => {
    let asked: string | null = null;
    try {
      asked = new URL(`http://station${req.url ?? '/'}`).searchParams.get('window');
    } catch {
      return { refusal: 'bad_credential', window: 'unknown', why: 'a malformed address' };
    }
    const window: StationWindow | undefined = asked === 'kiosk' || asked === 'reception' ? asked : undefined;
    if (!hostAllowed(req)) return { refusal: 'bad_origin', window: window ?? 'unknown', why: `host "${String(req.headers.host ?? '').slice(0, 100)}"` };
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(originHost(origin, scheme))) return { refusal: 'bad_origin', window: window ?? 'unknown', why: `origin "${origin.slice(0, 100)}"` };
    // A program (no Origin: not a browser page) presents its key; a page its window's cookie.
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) {
      if (sameKey(bearer, options.keys.kiosk)) return { window: 'kiosk' };
      if (sameKey(bearer, options.keys.desk)) return { window: 'reception' };
      return { refusal: 'bad_credential', window: window ?? 'unknown', why: 'a wrong key' };
    }
    if (origin === undefined) return { refusal: 'bad_credential', window: window ?? 'unknown', why: 'no key' };
    if (!window) return { refusal: 'bad_credential', window: 'unknown', why: 'no window' };
    const cookie = cookiesOf(req.headers.cookie).get(KEY_COOKIES[window]);
    if (!sameKey(cookie, window === 'kiosk' ? options.keys.kiosk : options.keys.desk)) return { refusal: 'bad_credential', window, why: 'a page not paired with this station' };
    return { window };
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('error', (e) => refused('ws', `local host: ${e.message}`));
  const clients = new Map<WebSocket, StationWindow>();
  let nextChannel = 1;

  server.on('upgrade', (req, socket, head) => {
    try {
      socket.on('error', () => socket.destroy());
      let pathname = '';
      try {
        pathname = new URL(`http://station${req.url ?? '/'}`).pathname;
      } catch {
        pathname = '';
      }
      if (pathname !== HOST_API_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      const admitted = admit(req);
      if ('refusal' in admitted) {
        gate.refuseConnection(admitted.window, admitted.refusal);
        refused(`ws-${admitted.refusal}`, `refused a page connection from ${req.socket.remoteAddress}: ${admitted.why}`);
        socket.end(`HTTP/1.1 ${admitted.refusal === 'bad_origin' ? '403 Forbidden' : '401 Unauthorized'}\r\nConnection: close\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => connected(ws, admitted.window));
    } catch (e) {
      refused('upgrade', `a page connection failed: ${(e as Error).message}`);
      socket.destroy();
    }
  });

  const answer = (ws: WebSocket, message: HostMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  const connected = (ws: WebSocket, window: StationWindow) => {
    const channel = `host:${nextChannel++}`;
    clients.set(ws, window);
    let budget = { windowStartMs: Date.now(), calls: 0 };
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clients.delete(ws);
      gate.endChannel(channel);
    });
    ws.on('message', (data, isBinary) => {
      try {
        if (isBinary) return answer(ws, { kind: 'answer', id: -1, result: { ok: false, error: { code: 'INVALID_INPUT', message: 'a request is JSON text' } } });
        const now = Date.now();
        if (now - budget.windowStartMs >= 1000) budget = { windowStartMs: now, calls: 0 };
        if (++budget.calls > MAX_CALLS_PER_SECOND) {
          refused('flood', `closed a ${window} connection that sent more than ${MAX_CALLS_PER_SECOND} calls in a second`);
          ws.close(1008, 'too many calls');
          return;
        }
        // Depth and size are checked on the text, before it is parsed: nothing downstream walks a
        // structure 100,000 levels deep.
        const text = data.toString();
        const within = parseJsonWithin(text, MESSAGE_LIMITS);
        if (!within.ok) {
          refused(`message ${within.code}`, `refused a ${window} page's message: ${within.message}`);
          return answer(ws, { kind: 'answer', id: -1, result: { ok: false, error: { code: 'INVALID_INPUT', message: 'a request is JSON: {id, method, input}', detail: within.code } } });
        }
        const parsed = within.value;
        const request = hostRequestSchema.safeParse(parsed);
        if (!request.success) {
          const id = (parsed as { id?: unknown } | null)?.id;
          // A method that is not the station's is refused through the gate, so that it is audited too.
          const method = (parsed as { method?: unknown } | null)?.method;
          if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 && typeof method === 'string')
            return answer(ws, { kind: 'answer', id, result: options.call({ channel, window }, method, undefined) });
          return answer(ws, { kind: 'answer', id: -1, result: { ok: false, error: { code: 'INVALID_INPUT', message: 'a request is {id, method, input}' } } });
        }
        // The runtime tells every window what the call changed (a tap typed into a page, visits…).
        answer(ws, { kind: 'answer', id: request.data.id, result: options.call({ channel, window }, request.data.method, request.data.input) });
      } catch (e) {
        refused('message', `a page message failed: ${(e as Error).message}`);
        answer(ws, { kind: 'answer', id: -1, result: { ok: false, error: { code: 'INTERNAL', message: 'The station could not handle that request.' } } });
      }
    });
  };

  const unsubscribe = options.notifier.subscribe((message) => {
    const audience = audienceOf(message);
    const text = JSON.stringify(message);
    for (const [ws, window] of clients) if (audience.includes(window) && ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, listenHost, () => resolve());
  });
  server.on('error', (e) => refused('server', `local host: ${e.message}`));
  const port = (server.address() as { port: number }).port;
  for (const name of ['127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${name}:${port}`);
  if (!loopbackOnly) {
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const a of addresses ?? []) allowedHosts.add(`${a.family === 'IPv6' ? `[${a.address.toLowerCase()}]` : a.address}:${port}`);
    }
    const hostName = os.hostname().toLowerCase();
    for (const name of [hostName, `${hostName}.local`, ...(options.lanNames ?? []).map((n) => n.toLowerCase())]) allowedHosts.add(name.includes(':') && !name.startsWith('[') ? name : `${name}:${port}`);
    if (listenHost !== '0.0.0.0' && listenHost !== '::') allowedHosts.add(`${listenHost}:${port}`);
  }
  const shownHost = loopbackOnly ? '127.0.0.1' : listenHost === '0.0.0.0' || listenHost === '::' ? os.hostname() : listenHost;
  const url = `${scheme}://${shownHost}:${port}`;
  log(`station pages at ${url}/kiosk.html and ${url}/reception.html; pair a browser with: escale-station pair --data DIR kiosk|reception`);
  return {
    url,
    pairingLink: (window) => `${url}/pair?ticket=${options.station.pairing.issue(window).ticket}`,
    close: async () => {
      unsubscribe();
      for (const ws of clients.keys()) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      clearInterval(summaries);
      refusals.flush(true);
    },
  };
}

/** "http://127.0.0.1:4200" → "127.0.0.1:4200"; another scheme or a malformed origin → "". */
function originHost(origin: string, scheme: string): string {
  try {
    const u = new URL(origin);
    if (u.protocol !== `${scheme}:`) return '';
    return (u.port ? u.host : `${u.hostname}:${scheme === 'https' ? 443 : 80}`).toLowerCase();
  } catch {
    return '';
  }
}
