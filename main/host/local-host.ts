// The local host: serves the built renderer and the station API over WebSocket on 127.0.0.1, so a
// kiosk screen can be any browser. Every call needs the station's token (shown in the address the
// host prints); the port is opened on the LAN only when configured.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { HOST_API_PATH, hostRequestSchema, type HostMessage } from '../../common/host-protocol.js';
import type { Station } from '../station/station.js';
import { callStation } from '../station/api.js';
import type { Result } from '../../common/result.js';
import type { TapResult } from '../../common/station-api.js';
import { contentTypeOf } from '../../common/content-types.js';

export interface LocalHostOptions {
  station: Station;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port: number;
  /** 127.0.0.1 unless the station is configured for the LAN. */
  host?: string;
  token?: string;
  log?: (line: string) => void;
}

export interface LocalHost {
  readonly url: string;
  readonly token: string;
  /** Sends a message to every connected page. */
  broadcast(message: HostMessage): void;
  close(): Promise<void>;
}

/** The content security policy of every page: nothing but this host. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The 'tap' message for a tap made through the API, as readers' taps are announced. */
export function tapMessage(method: string, input: unknown, result: Result<unknown>): HostMessage | undefined {
  if (method !== 'tap' || !result.ok) return undefined;
  const i = input as { uid: string; source?: string; at?: string };
  return { kind: 'tap', read: { uid: String(i.uid).trim(), source: i.source ?? 'keyboard', at: i.at ?? new Date().toISOString() }, result: result as Result<TapResult> };
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? (() => undefined);
  const root = path.resolve(options.rendererDir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    let file = path.normalize(path.join(root, decodeURIComponent(url.pathname === '/' ? '/kiosk.html' : url.pathname)));
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      if (!fs.existsSync(path.join(root, 'kiosk.html'))) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The renderer is not built: run npm run build.');
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    file = path.resolve(file);
    res.writeHead(200, {
      'content-type': contentTypeOf(path.extname(file)),
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    fs.createReadStream(file).pipe(res);
  });

  const expected = Buffer.from(token);
  const wss = new WebSocketServer({
    server,
    path: HOST_API_PATH,
    maxPayload: 2 * 1024 * 1024,
    verifyClient: ({ req }: { req: http.IncomingMessage }) => {
      const given = Buffer.from(new URL(req.url ?? '/', 'http://host').searchParams.get('token') ?? '');
      const ok = given.length === expected.length && timingSafeEqual(given, expected);
      if (!ok) log(`refused a page without the station token from ${req.socket.remoteAddress}`);
      return ok;
    },
  });
  // A listen error (port taken) is reported by server.listen below; the WebSocket server repeats it.
  wss.on('error', (e) => log(`local host: ${e.message}`));
  const clients = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data) => {
      let text: string;
      try {
        text = data.toString();
        const request = hostRequestSchema.safeParse(JSON.parse(text));
        if (!request.success) {
          ws.send(JSON.stringify({ kind: 'answer', id: -1, result: { ok: false, error: { code: 'INVALID_INPUT', message: 'a request is {id, method, input}' } } }));
          return;
        }
        const result = callStation(options.station, request.data.method, request.data.input);
        const answer: HostMessage = { kind: 'answer', id: request.data.id, result };
        ws.send(JSON.stringify(answer));
        // A badge typed into a page (keyboard-wedge reader) is a tap like a reader's: every page hears it.
        const tapped = tapMessage(request.data.method, request.data.input, result);
        if (tapped) broadcast(tapped);
        if (result.ok && request.data.method !== 'tap' && /^(check|register|void|add|assign|autoClose|purgeGuests)/.test(request.data.method)) broadcast({ kind: 'changed', what: 'visits' });
      } catch (e) {
        ws.send(JSON.stringify({ kind: 'answer', id: -1, result: { ok: false, error: { code: 'INVALID_INPUT', message: `not JSON: ${(e as Error).message}` } } }));
      }
    });
  });

  const broadcast = (message: HostMessage) => {
    const text = JSON.stringify(message);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  log(`station pages at ${url}/kiosk.html#token=${token} and ${url}/reception.html#token=${token}`);
  return {
    url,
    token,
    broadcast,
    close: async () => {
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
