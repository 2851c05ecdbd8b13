// Hostile input generated at random against a real hub — `escale-hub serve` from the built dist/
// in a child process, so that a crash shows as the process ending, not as this test runner dying:
// malformed HTTP request lines, paths (percent-encoding, dots, slashes, unicode, very long),
// headers and bodies, written raw on TCP; and socket.io traffic written raw as engine.io frames
// on a websocket, with a station's valid credential and with invalid ones: wrong event names,
// wrong ack shapes, wrong packet types, mangled uploads, JSON nested deep or spread wide, binary
// frames. After every input the hub process is alive; at the end it answers /health, a real
// station's taps still go up through its SyncClient and reach the store, and what it logged of
// all that stayed a handful of lines (each refusal kind once, then counted).
// Bounded: 200 runs of each, each run with a timeout, well under a minute on two loaded cores.
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_UPLOAD, PROTOCOL_VERSION, REFERENCE_PULL, STREAM_STATUS } from '../../common/sync/protocol.js';
import { openTestStation, tempDir, type TestStation } from '../support/station-fixture.js';
import { ADMIN_TOKEN, DEMO_REFERENCE_FILE, activeUids, outboxRows, startSync, tapMany } from '../support/hub-fixture.js';
import { HUB_BIN, ensureBuilt, freePort, killChildren, spawnHub, startChild, type Child } from '../support/processes.js';
import { runCli } from '../support/cli.js';
import { rawHttp, rawSocketIo } from '../support/raw-wire.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
const RUNS = 200;
/** A run that takes longer than this fails: the hub hung on it. */
const RUN_TIMEOUT_MS = 10_000;

let hub: Child & { url: string };
let port: number;
let dir: string;
/** The credential of a station enrolled only for the hostile traffic, and of the real one. */
let hostileCredential: string;
let stationCredential: string;
let station: TestStation;

beforeAll(async () => {
  ensureBuilt();
  dir = tempDir('escale-hostile-');
  const db = path.join(dir, 'hub.sqlite');
  const imported = await runCli('escale-hub', ['import', '--db', db, DEMO_REFERENCE_FILE]);
  expect(imported.status, imported.stderr).toBe(0);
  const enroll = async (name: string) => (JSON.parse((await runCli('escale-hub', ['station', 'enroll', '--db', db, '--site', SITE, '--name', name])).stdout) as { credential: string }).credential;
  hostileCredential = await enroll('Hostile');
  stationCredential = await enroll('Reception');
  port = await freePort();
  hub = await spawnHub(db, port, ADMIN_TOKEN);
  // The real station's events, made before the storm: its upload comes after.
  station = openTestStation();
  tapMany(station, activeUids(), 20);
}, 180_000);
afterAll(async () => {
  station?.close();
  await killChildren();
});

/** The hub process has not ended. */
const alive = () => hub.process.exitCode === null && hub.process.signalCode === null;
const expectAlive = () => {
  if (!alive()) throw new Error(`the hub ended (${hub.process.exitCode ?? hub.process.signalCode}):\n${hub.stdout().slice(-2_000)}\n${hub.stderr().slice(-4_000)}`);
};

// ---- pieces of hostile input -------------------------------------------------------------------

/** Text a parser may choke on: unicode of every plane, controls, quotes, CR/LF, NUL. */
const nasty = fc.string({ unit: fc.oneof(fc.constantFrom('\r', '\n', '\0', '"', '\\', '%', '/', '.', ' ', '\u00e9', '\u202e', '\ud800', '😀'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 40 });
const percent = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`),
  fc.constantFrom('%', '%C0', '%E0%A4%A', '%ZZ', '%%', '%0', '%00', '%2e%2e', '%2F', '%u0041'),
);
/** Text that may stand in a request line: no space, CR or LF (but unicode, NUL and the rest). */
const pathText = nasty.map((t) => t.replace(/[ \r\n]/g, ''));
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('admin', 'health', 'stations', 'badges', 'guests', 'purge', 'reference', 'members', 'erase', 'accounts', 'statements.pdf', 'settlement.csv', 'close', 'signups', 'resolve', 'events', 'assets', 'socket.io', '.', '..', '', 'revoke', 'lose', 'm-0001', 'site') },
  { weight: 3, arbitrary: fc.array(fc.oneof(percent, pathText, fc.webSegment()), { maxLength: 4 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'a'.repeat(n)) },
);
const target = fc.oneof(
  fc.constantFrom('//', '/admin/%C0', '/%E0%A4%A', '/admin', '/admin/', '/health', '*', 'http://[bad/', 'http://hub/admin/stations', '/socket.io/?EIO=4&transport=polling', '/socket.io/?EIO=9', '/admin/assets/../../../etc/passwd'),
  fc.tuple(fc.array(segment, { maxLength: 6 }), fc.option(fc.array(fc.oneof(percent, pathText, fc.constantFrom('=', '&', 'limit=-1', 'limit=1e309', 'period=2026-13', 'period=2026-03', 'site=bxl-louise', 'lang=xx')), { maxLength: 4 }))).map(
    ([parts, query]) => '/' + parts.join('/') + (query ? `?${query.join('')}` : ''),
  ),
);
const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'BREW', 'get', ''), nasty);
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'http/1.1', '', 'HTTP/1.1 extra');
const deepJson = fc.integer({ min: 1, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
const wideJson = fc.integer({ min: 1, max: 150_000 }).map((n) => `[${'0,'.repeat(n)}0]`);
const body = fc.oneof(
  fc.constant(''),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
  deepJson,
  wideJson,
  nasty,
  fc.uint8Array({ maxLength: 2_000 }).map((b) => Buffer.from(b).toString('latin1')),
);
const header = fc.oneof(
  fc.constantFrom<[string, string]>(
    ['authorization', `Bearer ${ADMIN_TOKEN}`],
    ['authorization', 'Bearer wrong'],
    ['authorization', 'Basic ' + 'A'.repeat(5_000)],
    ['content-type', 'application/json'],
    ['content-length', '-1'],
    ['content-length', '99999999999999999999'],
    ['content-length', '5, 6'],
    ['content-length', 'abc'],
    ['transfer-encoding', 'chunked'],
    ['transfer-encoding', 'gzip, chunked'],
    ['transfer-encoding', 'bogus'],
    ['expect', '100-continue'],
    ['connection', 'upgrade'],
    ['upgrade', 'websocket'],
    ['host', ''],
  ),
  fc.tuple(nasty, nasty),
  fc.integer({ min: 8_000, max: 40_000 }).map((n): [string, string] => ['x-large', 'x'.repeat(n)]),
);
const knownHeader = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<[string, string]>(['content-type', 'application/json'], ['content-type', 'text/csv'], ['accept', '*/*'], ['connection', 'keep-alive'], ['expect', '100-continue'], ['x-forwarded-for', '::1']) },
  { weight: 1, arbitrary: header },
);
const eol = fc.constantFrom('\r\n', '\n', '\r');

/** A target as a client library would send it: what may not stand in a request line percent-encoded (its UTF-8). */
const percentEncoded = (t: string) => t.replace(/[^\u0021-\u007e]/g, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
const wellFormedMethod = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH');
const httpRequest = fc.oneof(
  // A request Node's parser reads: the hub's own code meets the path, the headers and the body.
  {
    weight: 6,
    arbitrary: fc
      .tuple(wellFormedMethod, target.map(percentEncoded), fc.boolean(), fc.array(knownHeader, { maxLength: 2 }), body)
      .map(([m, t, token, hs, b]) =>
        Buffer.from(
          `${m} ${t} HTTP/1.1\r\nhost: hub\r\n${token ? `authorization: Bearer ${ADMIN_TOKEN}\r\n` : ''}${b && !hs.some(([k]) => /content-length|transfer-encoding/i.test(k)) ? `content-length: ${Buffer.byteLength(b)}\r\n` : ''}` +
            `${hs.map(([k, val]) => `${k}: ${val}\r\n`).join('')}\r\n${b}`,
          'utf8',
        ),
      ),
  },
  // Anything in a request's shape.
  { weight: 3, arbitrary: fc.tuple(method, target, version, fc.array(header, { maxLength: 5 }), body, eol).map(([m, t, v, hs, b, nl]) => Buffer.from(`${m} ${t} ${v}${nl}${hs.map(([k, val]) => `${k}: ${val}${nl}`).join('')}${nl}${b}`, 'utf8')) },
  // Not HTTP at all.
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4_000 }).map((b) => Buffer.from(b)) },
);

// ---- socket.io traffic ---------------------------------------------------------------------------

const eventName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(EVENTS_UPLOAD, STREAM_STATUS, REFERENCE_PULL) },
  { weight: 2, arbitrary: fc.constantFrom('connect', 'disconnect', 'error', 'newListener', '', 'reference.poke', '__proto__', 'constructor') },
  { weight: 1, arbitrary: fc.oneof(nasty, fc.integer(), fc.constant(null)) },
);
/** A well-formed upload to mangle: the right fields, and events with the right envelope. */
const upload = {
  batchId: 'b1',
  stream: { siteId: SITE, epoch: '0190a0a0-0000-7000-8000-000000000000' },
  events: [{ id: '0190a0a0-0000-7000-8000-000000000001', stream: { siteId: SITE, epoch: '0190a0a0-0000-7000-8000-000000000000' }, seq: 1, type: 'visit.checked_in', payload: {}, wallTime: '2026-03-02T09:00:00.000Z', hlc: '001772442000000:000000' }],
  sentAt: '2026-03-02T09:00:01.000Z',
  headSeq: 1,
};
const mangledUpload = fc
  .tuple(fc.constantFrom('batchId', 'stream', 'events', 'sentAt', 'headSeq', 'events.0', 'events.0.seq', 'events.0.payload', 'events.0.stream'), fc.oneof(fc.jsonValue(), fc.constant(undefined)))
  .map(([at, value]) => {
    const copy = structuredClone(upload) as Record<string, unknown>;
    const keys = at.split('.');
    let holder = copy as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) holder = holder[k] as Record<string, unknown>;
    holder[keys.at(-1)!] = value;
    return JSON.stringify(copy);
  });
const requestArgument = fc.oneof(
  fc.record({ stream: fc.oneof(fc.constant(upload.stream), fc.jsonValue()), headSeq: fc.oneof(fc.integer(), fc.jsonValue()), sentAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.jsonValue()) }, { requiredKeys: [] }),
  fc.record({ cursor: fc.oneof(fc.integer(), fc.constant(null), fc.jsonValue()), snapshot: fc.jsonValue(), limit: fc.oneof(fc.integer(), fc.jsonValue()) }, { requiredKeys: [] }),
).map((v) => JSON.stringify(v));
const argument = fc.oneof(
  { weight: 8, arbitrary: mangledUpload },
  { weight: 4, arbitrary: requestArgument },
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: deepJson },
  { weight: 1, arbitrary: wideJson },
);
/** A socket.io packet: a type (right or wrong), maybe a namespace, maybe an ack id, then its JSON (right, wrong or cut). */
const packet = fc
  .tuple(
    fc.oneof({ weight: 16, arbitrary: fc.constant('2') }, { weight: 2, arbitrary: fc.constantFrom('0', '1', '3', '4', '5', '6') }, { weight: 1, arbitrary: fc.constantFrom('7', '9', 'x', '') }),
    fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.oneof(fc.constant('/admin,'), nasty.map((n) => `/${n},`)) }),
    fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 1e6 }).map(String) }, { weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constant('9'.repeat(40)) }),
    eventName,
    fc.oneof({ weight: 6, arbitrary: fc.array(argument, { minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(argument, { maxLength: 3 }) }),
    fc.oneof({ weight: 16, arbitrary: fc.constant('whole') }, { weight: 1, arbitrary: fc.constantFrom('cut', 'garbage') }),
  )
  .map(([type, nsp, id, name, args, form]) => {
    const data = `[${[JSON.stringify(name), ...args].join(',')}]`;
    return `4${type}${nsp}${id}${form === 'whole' ? data : form === 'cut' ? data.slice(0, Math.max(0, data.length - 3)) : '{]['}`;
  });
const frame = fc.oneof(
  { weight: 24, arbitrary: packet },
  // engine.io's own packets, right and wrong.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('1', '2', '3', '5', '6', '7', '8', ''), nasty).map(([t, rest]) => t + rest) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1_000 }).map((b) => Buffer.from(b)) },
);
const auth = fc.oneof(
  { weight: 12, arbitrary: fc.constant<'valid' | 'none' | unknown>('valid') },
  fc.constant('none'),
  fc.constantFrom(
    { credential: 'esc1_bxl-louise-hostile_' + 'A'.repeat(43), protocol: PROTOCOL_VERSION },
    { credential: 'nope', protocol: PROTOCOL_VERSION },
    { credential: 42 },
    'not an object',
    [],
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('hostile input against a hub in its own process', () => {
  it(`${RUNS} malformed HTTP requests (request lines, paths, headers, bodies) and ${RUNS} raw socket.io exchanges: the hub never ends, then serves a real station and logged a handful of lines`, async () => {
    const t0 = Date.now();
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(httpRequest, async (request) => {
        const answer = await rawHttp(port, request, RUN_TIMEOUT_MS);
        const key = String(answer.status ?? 'closed');
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        // An error in JSON is the hub's: ok false with a code, or, on socket.io's path, engine.io's own words.
        if (answer.status !== undefined && answer.status >= 400 && /content-type: application\/json/i.test(answer.headers) && answer.body) {
          const error = JSON.parse(answer.body) as { ok?: boolean; error?: { code?: unknown }; code?: unknown };
          if (typeof error.code !== 'number' || !/^\S+ \/socket\.io\//.test(request.toString('latin1'))) expect(error).toMatchObject({ ok: false, error: { code: expect.any(String) } });
        }
        expectAlive();
      }),
      { numRuns: RUNS, timeout: RUN_TIMEOUT_MS },
    );
    const httpSeconds = (Date.now() - t0) / 1000;

    const closes = { closed: 0, open: 0 };
    let acks = 0;
    await fc.assert(
      fc.asyncProperty(auth, fc.array(frame, { minLength: 1, maxLength: 4 }), async (who, frames) => {
        const handshake = who === 'none' ? undefined : who === 'valid' ? { credential: hostileCredential, protocol: PROTOCOL_VERSION } : who;
        const socket = await rawSocketIo(hub.url, handshake);
        try {
          for (const f of frames) socket.send(f);
          // Time for the hub to answer or to close the connection.
          closes[(await socket.closed(40)) ? 'closed' : 'open']++;
          acks += socket.received.filter((f) => /^43/.test(f)).length;
        } finally {
          socket.close();
        }
        expectAlive();
      }),
      { numRuns: RUNS, timeout: RUN_TIMEOUT_MS },
    );
    const socketSeconds = (Date.now() - t0) / 1000 - httpSeconds;

    // Healthy: a request made after all of them is answered (the hub has handled what came before
    // it), then it serves a real station; alive all along, and still at the end (no late crash).
    const health = await fetch(`${hub.url}/health`);
    expect(await health.json()).toEqual({ ok: true, store: 'sqlite' });
    expectAlive();
    const client = startSync(station.station, { url: hub.url, credential: stationCredential });
    try {
      expect(await client.drained(20_000)).toBe(true);
    } finally {
      await client.stop();
    }
    const outbox = outboxRows(contextOf(station.station).db);
    const res = await fetch(`${hub.url}/admin/events?site=${SITE}&epoch=${contextOf(station.station).epoch}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const stored = ((await res.json()) as { value: { id: string; seq: number; status: string }[] }).value;
    expect(stored.map((e) => [e.id, e.seq, e.status])).toEqual(outbox.map((e) => [e.id, e.seq, 'accepted']));

    // What 400 hostile inputs left in the log: each kind of refusal once (or counted), not a line each.
    const lines = hub.stdout().trim().split('\n');
    const refusalLines = lines.filter((l) => /refused|failed|error|uncaught|unhandled|more like this/.test(l));
    console.log(
      `hostile input: HTTP ${httpSeconds.toFixed(1)} s (answers ${JSON.stringify(Object.fromEntries(statuses))}), socket.io ${socketSeconds.toFixed(1)} s (${acks} answers, ${closes.closed} connections closed by the hub, ${closes.open} left open); ${lines.length} log lines, ${refusalLines.length} of refusals`,
    );
    expect(refusalLines.length).toBeLessThan(80);
    expect(lines.filter((l) => /uncaught|unhandled/.test(l)), 'faults that only the last resort caught').toEqual([]);
    expect(hub.stderr()).toBe('');
    expectAlive();
  }, 120_000);

  it('a fault no boundary caught (an exception thrown from a timer, a rejection nobody handled) is logged by the last resort of `serve`, and the hub keeps serving', async () => {
    // Code loaded before the hub's own (node --import) that fails, as a library's callback might,
    // when told to (SIGUSR2, once the hub is up).
    const faults = "process.on('SIGUSR2', () => { setTimeout(() => { throw new Error('thrown from a timer'); }); void Promise.reject(new Error('rejected, unhandled')); });";
    const child = startChild(['--import', `data:text/javascript,${encodeURIComponent(faults)}`, HUB_BIN, 'serve', '--db', path.join(dir, 'faults.sqlite'), '--port', String(await freePort())], { env: { ESCALE_HUB_ADMIN_TOKEN: ADMIN_TOKEN } });
    const url = (await child.line(/^READY (\S+)/))[1]!;
    child.process.kill('SIGUSR2');
    await child.line(/uncaught exception \(the hub keeps serving\): Error: thrown from a timer/);
    await child.line(/unhandled rejection \(the hub keeps serving\): Error: rejected, unhandled/);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ ok: true, store: 'sqlite' });
    expect(child.process.exitCode).toBeNull();
    // SIGTERM still ends it as usual.
    expect(await child.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
