// Raw bytes to a hub, below the clients that would refuse to send them: an HTTP request written on
// a TCP socket as it is (curl --path-as-is and worse), and socket.io packets written as engine.io
// text frames on a websocket (a packet socket.io-client could not even encode, such as JSON
// nested 200,000 deep).
import net from 'node:net';
import WebSocket from 'ws';
import { waitFor } from './wait.js';

export interface RawAnswer {
  /** The HTTP status, when the hub answered with a status line. */
  status: number | undefined;
  headers: string;
  /** The body, de-chunked. */
  body: string;
  /** The hub closed the connection (or reset it). */
  closed: boolean;
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return out;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

/**
 * Writes `request` on a new connection to 127.0.0.1:`port`, then half-closes it (the hub answers
 * what it read, then closes); resolves with what came back once the hub closed, or at `timeoutMs`.
 */
export function rawHttp(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the hub neither answered nor closed within ${timeoutMs} ms: ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`));
    }, timeoutMs);
    socket.on('connect', () => {
      // A write the hub cut short (it closed while we wrote) shows as a reset: the answer stands.
      socket.write(request, () => socket.end());
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => (closed = true));
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const headers = split < 0 ? text : text.slice(0, split);
      const rawBody = split < 0 ? '' : text.slice(split + 4);
      // The first answer's body only: a malformed request after it may have its own answer.
      const length = /^content-length: *(\d+)/im.exec(headers);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      // An answer to HEAD has no body, whatever its headers say (RFC 9110 §9.3.2): what follows
      // it on the wire is the answer to whatever came next.
      const head = /^HEAD /.test(Buffer.from(request).toString('latin1'));
      resolve({
        status: status ? Number(status[1]) : undefined,
        headers,
        body: head ? '' : /transfer-encoding: chunked/i.test(headers) ? dechunk(rawBody) : length ? Buffer.from(rawBody).subarray(0, Number(length[1])).toString() : rawBody,
        closed,
      });
    });
  });
}

/** An HTTP/1.1 request as written on the wire, closing its connection after the answer unless `headers` say otherwise. */
export const httpRequest = (method: string, target: string, headers: Record<string, string> = {}, body = ''): string =>
  `${method} ${target} HTTP/1.1\r\nhost: hub\r\n` +
  Object.entries({ connection: 'close', ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('') +
  `\r\n${body}`;

/** A websocket to the hub's socket.io endpoint, spoken raw: engine.io frames in, text frames out. */
export interface RawSocketIo {
  ws: WebSocket;
  /** Frames received so far (engine.io packets: "0{…}" open, "40{…}" connect, "43…" ack, "2" ping…). */
  received: string[];
  /** Sends a frame as it is (an engine.io packet: "4" + a socket.io packet is a message). */
  send(frame: string | Buffer): void;
  /** Resolves with the first received frame matching `pattern`, or undefined when the socket closes or at the deadline. */
  next(pattern: RegExp, timeoutMs?: number): Promise<string | undefined>;
  /** Resolves when the hub closed the websocket (true), or false at the deadline. */
  closed(timeoutMs?: number): Promise<boolean>;
  close(): void;
}

/**
 * Opens the websocket and waits for engine.io's open packet; with `auth`, also sends socket.io's
 * CONNECT with it and waits for the hub's answer ("40…" accepted, "44…" refused).
 */
export async function rawSocketIo(url: string, auth?: unknown, timeoutMs = 5_000): Promise<RawSocketIo & { connect: string | undefined }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const received: string[] = [];
  let isClosed = false;
  ws.on('message', (data) => {
    const frame = data.toString();
    // engine.io's heartbeat: answered, or the hub closes the connection after pingTimeout.
    if (frame === '2') ws.send('3');
    received.push(frame);
  });
  ws.on('error', () => undefined);
  ws.on('close', () => (isClosed = true));
  /** What `check` finds once it finds something or the socket closed; at the deadline, what it finds then (undefined). */
  const seen = async <T>(check: () => T | undefined, what: string, ms: number): Promise<T | undefined> => {
    await waitFor(() => check() !== undefined || isClosed, what, { timeoutMs: ms, intervalMs: 5 }).catch(() => undefined);
    return check();
  };
  const raw: RawSocketIo = {
    ws,
    received,
    send: (frame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame);
    },
    next: (pattern, ms = timeoutMs) => seen(() => received.find((f) => pattern.test(f)), `a frame ${pattern}`, ms),
    closed: async (ms = timeoutMs) => (await seen(() => (isClosed ? true : undefined), 'the hub to close the websocket', ms)) === true,
    close: () => ws.terminate(),
  };
  if ((await raw.next(/^0\{/)) === undefined) throw new Error(`no engine.io open packet from ${url}`);
  let connect: string | undefined;
  if (auth !== undefined) {
    raw.send(`40${JSON.stringify(auth)}`);
    connect = await raw.next(/^4[04]/);
  }
  return { ...raw, connect };
}
