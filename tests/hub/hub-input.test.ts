// The hub never falls over on input (issue 13): each request an outsider found or could send —
// a path as it is (`//`), bad percent-encoding, a garbage request line, headers too large, a bad
// JSON body, a body over the limit, JSON nested 200,000 deep to the admin API and in a station's
// upload — is answered with a JSON error (or its connection closed), logged once, and afterwards
// the hub still answers /health and a real station's upload is acknowledged.
// A real hub on 127.0.0.1 (in this process, over a real SQLite store), real TCP sockets, and the
// requests written raw: HTTP clients and socket.io-client refuse to send most of these.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS_UPLOAD, PROTOCOL_VERSION } from '../../common/sync/protocol.js';
import { MAX_BODY } from '../../server/hub/admin-api.js';
import { PACKET_LIMITS } from '../../server/hub/wire-parser.js';
import { openTestStation } from '../support/station-fixture.js';
import { ADMIN_TOKEN, activeUids, expectSameEvents, outboxRows, startSync, startTestHub, storedEvents, tapMany, type TestHub } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait.js';
import { httpRequest, rawHttp, rawSocketIo } from '../support/raw-wire.js';
import { contextOf } from '../../main/station/context.js';

const SITE = 'bxl-louise';
const DEEP = 200_000;
const cleanups: (() => unknown)[] = [];
let hub: TestHub;
let credential: string;
beforeEach(async () => {
  hub = await startTestHub();
  cleanups.push(() => hub.close());
  ({ credential } = await hub.enroll(SITE));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };
const errorOf = (body: string) => (JSON.parse(body) as { ok: boolean; error: { code: string; message: string } });

/** The hub still serves: /health answers, and a real station's taps go up through its SyncClient and are acknowledged. */
async function expectStillServing() {
  const health = await fetch(`${hub.url}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true, store: 'sqlite' });
  const t = openTestStation();
  cleanups.push(() => t.close());
  tapMany(t, activeUids(), 3);
  const client = startSync(t.station, { url: hub.url, credential });
  cleanups.push(() => client.stop());
  expect(await client.drained(20_000)).toBe(true);
  expectSameEvents(await storedEvents(hub.store, SITE), outboxRows(contextOf(t.station).db));
}

/** What the hub logged of a refusal: its first line (the rest of its kind are counted). */
const logged = (text: string) => hub.logs.filter((l) => l.includes(text));

describe('HTTP requests the hub refuses, and goes on', () => {
  it('`//` as it is on the wire (curl --path-as-is) is no route: 404 in JSON', async () => {
    const answer = await rawHttp(hub.port, httpRequest('GET', '//'));
    expect(answer.status).toBe(404);
    expect(errorOf(answer.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Not taken for a URL of another host ("//admin/stations" is the path, not host "admin").
    expect((await rawHttp(hub.port, httpRequest('GET', '//admin/stations', bearer))).status).toBe(404);
    expect(logged('404 NOT_FOUND')).toHaveLength(1);
    await expectStillServing();
  });

  it('HEAD with a chunked body that never ends: the answer has headers only, the cut body its own 400, and the hub goes on', async () => {
    // Found by the hostile-input property (seed 128002547): the bytes after a HEAD answer are not its body.
    const answer = await rawHttp(hub.port, 'HEAD // HTTP/1.1\r\nhost: hub\r\ntransfer-encoding: chunked\r\n\r\n');
    expect(answer.status).toBe(404);
    expect(answer.body).toBe('');
    await expectStillServing();
  });

  it('a bad percent-encoding in an admin path (/admin/%C0) is a 400 BAD_ENCODING, once the token is checked', async () => {
    const answer = await rawHttp(hub.port, httpRequest('POST', '/admin/badges/%C0/lose', bearer));
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).error.code).toBe('BAD_ENCODING');
    expect((await rawHttp(hub.port, httpRequest('GET', '/admin/%C0', bearer))).status).toBe(400);
    expect((await rawHttp(hub.port, httpRequest('GET', '/admin/%C0'))).status).toBe(401);
    expect(logged('BAD_ENCODING')).toHaveLength(1);
    await expectStillServing();
  });

  it('a truncated percent-encoding outside the API (/%E0%A4%A) is no route: 404; an absolute URL that does not parse is a 400', async () => {
    const answer = await rawHttp(hub.port, httpRequest('GET', '/%E0%A4%A'));
    expect(answer.status).toBe(404);
    expect(errorOf(answer.body).error.code).toBe('NOT_FOUND');
    const absolute = await rawHttp(hub.port, httpRequest('GET', 'http://[bad/'));
    expect(absolute.status).toBe(400);
    expect(errorOf(absolute.body).error.code).toBe('BAD_URL');
    await expectStillServing();
  });

  it('a request line of garbage bytes: 400 in JSON and the connection closed', async () => {
    const garbage = Buffer.from([0x00, 0xff, 0x13, 0x37, 0x20, 0x0d, 0x0a, 0x80, 0x0d, 0x0a, 0x0d, 0x0a]);
    const answer = await rawHttp(hub.port, garbage);
    expect(answer.status).toBe(400);
    expect(answer.closed).toBe(true);
    expect(errorOf(answer.body).error.code).toBe('BAD_REQUEST');
    expect(logged('refused a malformed HTTP request')).toHaveLength(1);
    await expectStillServing();
  });

  it('headers larger than the HTTP parser takes: 431 and the connection closed', async () => {
    const answer = await rawHttp(hub.port, httpRequest('GET', '/health', { 'x-padding': 'x'.repeat(20 * 1024) }));
    expect(answer.status).toBe(431);
    expect(answer.closed).toBe(true);
    expect(logged('HPE_HEADER_OVERFLOW')).toHaveLength(1);
    await expectStillServing();
  });

  it('a body that is not JSON: 400 INVALID_JSON; a method a route does not take: 405 with Allow', async () => {
    const answer = await rawHttp(hub.port, httpRequest('POST', '/admin/stations', { ...bearer, 'content-type': 'application/json' }, '{"siteId": "bxl-louise", '));
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).error.code).toBe('INVALID_JSON');
    const wrongMethod = await rawHttp(hub.port, httpRequest('DELETE', '/admin/stations', bearer));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers).toMatch(/^allow: GET, POST$/im);
    expect(errorOf(wrongMethod.body).error.code).toBe('METHOD_NOT_ALLOWED');
    await expectStillServing();
  });

  it(`a body over ${MAX_BODY} bytes: 413, whether it says so (content-length) or not (chunked), and the connection closed`, async () => {
    const declared = await rawHttp(hub.port, httpRequest('POST', '/admin/reference', { ...bearer, 'content-length': String(MAX_BODY + 1) }));
    expect(declared.status).toBe(413);
    expect(errorOf(declared.body).error.code).toBe('TOO_LARGE');
    // Chunked: the size is only known on the wire, counted as it comes.
    const chunk = 'x'.repeat(1024 * 1024);
    const chunks = Array.from({ length: 21 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('') + '0\r\n\r\n';
    const streamed = await rawHttp(hub.port, `POST /admin/reference HTTP/1.1\r\nhost: hub\r\nauthorization: Bearer ${ADMIN_TOKEN}\r\ntransfer-encoding: chunked\r\n\r\n${chunks}`);
    expect(streamed.status).toBe(413);
    expect(streamed.closed).toBe(true);
    expect(errorOf(streamed.body).error.message).toContain(String(MAX_BODY));
    await expectStillServing();
  });

  it(`a JSON body nested ${DEEP} deep to the admin API (with the token): 400 TOO_DEEP, refused before it is parsed`, async () => {
    const deep = '['.repeat(DEEP) + ']'.repeat(DEEP);
    for (const route of ['reference', 'stations', 'members/m-0001/erase']) {
      const answer = await rawHttp(hub.port, httpRequest('POST', `/admin/${route}`, { ...bearer, 'content-type': 'application/json' }, deep));
      expect(answer.status, route).toBe(400);
      expect(errorOf(answer.body).error.code).toBe('TOO_DEEP');
    }
    // Wide rather than deep: more items than any body of the API holds.
    const wide = `[${'0,'.repeat(MAX_BODY / 8)}0]`;
    const answer = await rawHttp(hub.port, httpRequest('POST', '/admin/reference', { ...bearer, 'content-type': 'application/json' }, wide));
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).error.code).toBe('TOO_MANY_ITEMS');
    await expectStillServing();
  });
});

describe('socket.io packets the hub refuses, and goes on', () => {
  it(`an enrolled station's upload nested ${DEEP} deep (~400 kB): the packet is refused before it is parsed, its connection closed, logged once`, async () => {
    const station = await rawSocketIo(hub.url, { credential, protocol: PROTOCOL_VERSION });
    expect(station.connect).toMatch(/^40/);
    const deep = '['.repeat(DEEP) + ']'.repeat(DEEP);
    const upload = `{"batchId":"b1","stream":{"siteId":"${SITE}","epoch":"0190a0a0-0000-7000-8000-000000000000"},"events":[${deep}],"sentAt":"${new Date().toISOString()}"}`;
    expect(upload.length).toBeGreaterThan(400_000);
    station.send(`421["${EVENTS_UPLOAD}",${upload}]`);
    expect(await station.closed()).toBe(true);
    // No ack: the hub answers nothing to a packet it did not read.
    expect(station.received.filter((f) => f.startsWith('431'))).toEqual([]);
    await waitFor(() => logged('refused a socket.io packet: TOO_DEEP').length === 1, 'the refusal in the log');
    // The same again, on a new connection: counted, not logged again.
    const again = await rawSocketIo(hub.url, { credential, protocol: PROTOCOL_VERSION });
    again.send(`421["${EVENTS_UPLOAD}",${upload}]`);
    expect(await again.closed()).toBe(true);
    expect(logged('TOO_DEEP')).toHaveLength(1);
    expect(await hub.store.countEvents()).toBe(0);
    await expectStillServing();
  });

  it(`an upload with more than ${PACKET_LIMITS.maxItems} items, and a handshake nested deep, are refused the same way`, async () => {
    const station = await rawSocketIo(hub.url, { credential, protocol: PROTOCOL_VERSION });
    station.send(`422["${EVENTS_UPLOAD}",{"events":[${'0,'.repeat(PACKET_LIMITS.maxItems)}0]}]`);
    expect(await station.closed()).toBe(true);
    await waitFor(() => logged('refused a socket.io packet: TOO_MANY_ITEMS').length === 1, 'the refusal in the log');
    const handshake = await rawSocketIo(hub.url);
    handshake.send(`40{"credential":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`);
    expect(await handshake.closed()).toBe(true);
    await expectStillServing();
  });

  it('a station sending a packet socket.io cannot read, an unknown event, an upload with two arguments or none: each answered or its connection closed, never a crash', async () => {
    const station = await rawSocketIo(hub.url, { credential, protocol: PROTOCOL_VERSION });
    // A line break in the name: quoted in the answer, and no line of the station's own in the log.
    station.send('423["no.such\\nevent\\u2028",{}]');
    const name = 'no.such\nevent\u2028';
    expect(await station.next(/^433/)).toBe(`433${JSON.stringify([{ ok: false, error: { code: 'UNKNOWN_EVENT', message: `the hub knows no event ${JSON.stringify(name)}` } }])}`);
    expect(logged('refused an unknown event "no.such\\nevent\\u2028"')).toHaveLength(1);
    station.send(`424["${EVENTS_UPLOAD}",{},{}]`);
    expect(await station.next(/^434/)).toMatch(/INVALID_BATCH.*not 2 arguments/);
    station.send(`425["${EVENTS_UPLOAD}"]`);
    expect(await station.next(/^435/)).toMatch(/INVALID_BATCH.*not 0 arguments/);
    // A binary packet: not part of the hub's protocol.
    station.send('451-["events.upload",{"_placeholder":true,"num":0}]');
    expect(await station.closed()).toBe(true);
    const next = await rawSocketIo(hub.url, { credential, protocol: PROTOCOL_VERSION });
    next.send('42["events.upload",');
    expect(await next.closed()).toBe(true);
    expect(logged('refused a socket.io packet: BINARY')).toHaveLength(1);
    expect(logged('refused a socket.io packet: INVALID_PACKET')).toHaveLength(1);
    expect(hub.logs.filter((l) => /[\n\u2028]/.test(l))).toEqual([]);
    await expectStillServing();
  });
});

describe('an event named "error"', () => {
  it('a station can send it (socket.io does not reserve the name): answered as unknown, not thrown by the socket (it ended the hub)', async () => {
    const station = await rawSocketIo(hub.url, { credential, protocol: PROTOCOL_VERSION });
    station.send('42["error",null]');
    station.send('426["error",{"message":"x"}]');
    expect(await station.next(/^436/)).toMatch(/UNKNOWN_EVENT/);
    station.send('427["error"]');
    expect(await station.next(/^437/)).toMatch(/UNKNOWN_EVENT/);
    expect(logged('refused an unknown event "error"')).toHaveLength(1);
    station.close();
    await expectStillServing();
  });
});

describe('the log under a burst', () => {
  it('10,000 bad requests write a handful of lines: the first of each kind, then "N more like this" once the minute is over', async () => {
    let clock = Date.now();
    const timed = await startTestHub({ now: () => clock });
    cleanups.push(() => timed.close());
    const before = timed.logs.length;
    // 20 connections of 500 pipelined requests: half to no route (404), half with a bad encoding (400).
    const burst = (kind: number) => Array.from({ length: 500 }, (_, i) => httpRequest('GET', kind % 2 ? '/nope' : '/admin/%C0', { ...bearer, connection: i === 499 ? 'close' : 'keep-alive' })).join('');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, k) => rawHttp(timed.port, burst(k), 30_000)));
    expect(answers.every((a) => a.status !== undefined)).toBe(true);
    const written = timed.logs.slice(before);
    expect(written).toHaveLength(2);
    expect(written.some((l) => l.includes('404 NOT_FOUND'))).toBe(true);
    expect(written.some((l) => l.includes('400 BAD_ENCODING'))).toBe(true);
    // A minute on, the next of a kind brings its count, not itself.
    clock += 61_000;
    await rawHttp(timed.port, httpRequest('GET', '/nope'));
    expect(timed.logs.slice(before + 2)).toEqual([expect.stringMatching(/^http 404 NOT_FOUND: 4999 more like this since /)]);
    // What is left is said when the hub closes.
    await timed.hub.close();
    expect(timed.logs.slice(before + 3)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^http 400 BAD_ENCODING: 4999 more like this/), expect.stringMatching(/^http 404 NOT_FOUND: 1 more like this/)]),
    );
  });
});
