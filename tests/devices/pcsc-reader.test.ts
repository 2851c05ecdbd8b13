// PC/SC readers end to end: the real pcscd, Debian's vsmartcard-vpcd virtual readers, the real
// @pokusew/pcsclite binding in its child process, and virtual cards written in tests/support that
// answer as an NFC badge (get UID) or as a Belgian eID (identity file). Cards are inserted,
// removed and re-inserted; eIDs fill an identity read or fail with a clear problem — truncated
// TLV, wrong lengths, error status words, pulled out mid-read — never a crash; pcscd stops and
// starts again; a binding hung in native code is killed by the watchdog. All in one file: the
// tests share the one pcscd (and stop it), so they must not run beside each other.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BadgeRead } from '../../common/readers/read.js';
import type { IdentityRead } from '../../common/readers/pcsc-protocol.js';
import type { Result } from '../../common/result.js';
import type { TapResult } from '../../common/station-api.js';
import type { UidFormatInput } from '../../common/readers/uid.js';
import { DeviceManager, type DeviceManagerOptions } from '../../main/hardware/device-manager.js';
import { ensurePcscd, pcscChildModule, type TestPcscd } from '../support/pcscd.js';
import { eidCard, identityFile, nfcCard, tlv, VirtualCard, VPCD_READERS, type EidFaults, type VpcdPort } from '../support/virtual-card.js';
import { demoBadges, openTestStation, type TestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';
import { deviceStatus, waitForStatus } from './device-support.js';
import { waitFor } from '../support/wait.js';

interface Tap {
  read: BadgeRead;
  result: Result<TapResult>;
}

let pcscd: TestPcscd;
let t: TestStation | undefined;
let dm: DeviceManager | undefined;
const cards: VirtualCard[] = [];

beforeAll(async () => {
  pcscd = await ensurePcscd();
}, 60_000);

afterAll(async () => {
  await pcscd?.close();
});

afterEach(async () => {
  for (const c of cards.splice(0)) await c.remove();
  // pcscd must see every card go before the next test inserts one: a card taken off and another
  // put on between two of its polls of the virtual reader would look like one card staying.
  if (t && dm) await waitForStatus(t.api, 'desk', 'every card seen gone', (s) => (s.counts.removals ?? 0) >= (s.counts.cards ?? 0)).catch(() => undefined);
  await dm?.stop();
  t?.close();
  dm = t = undefined;
});

const badges = demoBadges();
const [cardA, cardB] = badges.active.map((b) => b.uid) as [string, string];

const PERSON = { cardNumber: '592123456789', nationalNumber: '85073003328', birthDate: '30 JUL  1985', lastName: 'Van den Bossche', firstNames: 'Émilie Anne', nationality: 'Belge' };

type PcscConnection = { type: 'pcsc'; readers?: string[]; eid?: boolean };

/** A station (tap window 0), its device manager, and a PC/SC reader device watching the first virtual reader. */
async function setUp(connection: Partial<PcscConnection> = {}, extra: { uidFormat?: UidFormatInput } = {}, pcsc: DeviceManagerOptions['pcsc'] = {}) {
  t = openTestStation({ now: new Date().toISOString(), settings: { tapWindowMs: 0 } });
  const taps: Tap[] = [];
  const identities: IdentityRead[] = [];
  dm = new DeviceManager({
    station: t.station,
    onTap: (read, result) => taps.push({ read, result }),
    onIdentity: (read) => identities.push(read),
    pcsc: { childModule: pcscChildModule(), heartbeatMs: 200, watchdogMs: 2000, serviceCheckMs: 300, ...pcsc },
  });
  dm.start();
  const readers = connection.readers ?? [VPCD_READERS[35963]];
  unwrap(await t.api.configureDevice({ config: { id: 'desk', kind: 'reader', name: 'Desk NFC reader', repeatWindowMs: 0, ...extra, connection: { type: 'pcsc', readers, ...(connection.eid === undefined ? {} : { eid: connection.eid }) } } }));
  await waitForStatus(t.api, 'desk', 'up with its PC/SC reader', (s) => s.state === 'up' && (s.detail ?? '').includes(readers[0]!));
  return { taps, identities, station: t };
}

async function insert(card: Parameters<typeof VirtualCard.insert>[0], port: VpcdPort = 35963): Promise<VirtualCard> {
  const c = await VirtualCard.insert(card, port);
  cards.push(c);
  return c;
}

async function removeCard(c: VirtualCard): Promise<void> {
  await c.remove();
  cards.splice(cards.indexOf(c), 1);
}

/** Removes the card and waits until the reader saw it go (so the next insertion is a new event). */
async function takeOff(c: VirtualCard): Promise<void> {
  const before = (await deviceStatus(t!.api, 'desk')).counts.removals ?? 0;
  await removeCard(c);
  await waitForStatus(t!.api, 'desk', 'the card removed', (s) => (s.counts.removals ?? 0) > before);
}

const outcome = (tap: Tap | undefined) => (!tap ? undefined : tap.result.ok ? tap.result.value.outcome : tap.result.error.code);

describe('contactless badges on a PC/SC reader', () => {
  it('reads the UID on insertion and taps; removal and re-insertion are a second tap', async () => {
    const { taps, station } = await setUp();
    const first = await insert(nfcCard(cardA));
    await waitFor(() => taps.length === 1, 'the first read');
    expect(taps[0]!.read).toMatchObject({ uid: cardA, source: 'desk' });
    expect(outcome(taps[0])).toBe('checked_in');
    // The card's exchange: the standard get-UID command, nothing else.
    expect(first.apdus).toEqual(['FFCA000000']);
    await takeOff(first);
    await insert(nfcCard(cardA));
    await waitFor(() => taps.length === 2, 'the second read');
    expect(outcome(taps[1])).toBe('checked_out');
    const status = await deviceStatus(station.api, 'desk');
    expect(status).toMatchObject({ state: 'up', detail: VPCD_READERS[35963], lastActivityAt: taps[1]!.read.at });
    expect(status.counts).toMatchObject({ reads: 2, cards: 2, removals: 1 });
  });

  it('normalises the UID with the reader’s format, like every other reader kind', async () => {
    const { taps } = await setUp({}, { uidFormat: { byteOrder: 'reversed', case: 'upper' } });
    await insert(nfcCard(cardB.match(/../g)!.reverse().join('').toLowerCase()));
    await waitFor(() => taps.length === 1, 'the read');
    expect(taps[0]!.read.uid).toBe(cardB);
    expect(outcome(taps[0])).toBe('checked_in');
  });

  it('watches only the configured readers', async () => {
    const { taps } = await setUp({ readers: [VPCD_READERS[35964]] });
    // On the reader it does not watch, first: pcscd powers the card, the station does not read it.
    const ignored = await insert(nfcCard(cardA), 35963);
    await ignored.powered;
    await insert(nfcCard(cardB), 35964);
    await waitFor(() => taps.length === 1, 'the read on the watched reader');
    expect(taps[0]!.read.uid).toBe(cardB);
    expect(ignored.apdus).toEqual([]);
    expect((await deviceStatus(t!.api, 'desk')).counts.cards).toBe(1);
  });

  it('a badge the reader cannot identify is counted, never tapped, and the next one reads', async () => {
    const { taps, identities } = await setUp();
    const bad = await insert(nfcCard(cardA, { getUidStatus: 0x6a81 }));
    await waitForStatus(t!.api, 'desk', 'the refused UID counted', (s) => s.counts.card_card_refused === 1);
    await takeOff(bad);
    await insert(nfcCard(cardB));
    await waitFor(() => taps.length === 1, 'the good read');
    expect(taps.map((x) => x.read.uid)).toEqual([cardB]);
    expect(identities).toEqual([]);
  });
});

describe('the Belgian eID on a PC/SC reader', () => {
  it('selects DF01/4031 as the middleware does, reads the file in chunks (6Cxx at its end) and keeps three fields', async () => {
    const { identities, taps } = await setUp();
    const file = identityFile(PERSON, 300);
    expect(file.length).toBeGreaterThan(252);
    const card = await insert(eidCard(file));
    await waitFor(() => identities.length === 1, 'the identity read');
    const read = identities[0]!;
    expect(read).toMatchObject({ ok: true, source: 'desk', reader: VPCD_READERS[35963], identity: { lastName: 'Van den Bossche', firstNames: 'Émilie Anne', nationality: 'Belge' } });
    // Data minimisation: what reaches the station holds none of the card number, national number, birth date.
    const crossed = JSON.stringify(read);
    for (const secret of [PERSON.cardNumber, PERSON.nationalNumber, PERSON.birthDate, 'Ixelles']) expect(crossed).not.toContain(secret);
    const left = file.length - 252;
    expect(card.apdus).toEqual([
      '00A4020C024031', // the file by its id: not found, the DF01 is not current
      '00A4020C023F00',
      '00A4020C02DF01',
      '00A4020C024031',
      '00B00000FC',
      '00B000FCFC', // past the end: the card answers 6Cxx with what is left
      `00B000FC${left.toString(16).toUpperCase().padStart(2, '0')}`,
    ]);
    expect(taps).toEqual([]);
    expect((await deviceStatus(t!.api, 'desk')).counts).toMatchObject({ identities: 1 });
  });

  it('follows 61xx with GET RESPONSE, and ends a file of whole chunks at 6B00', async () => {
    const { identities } = await setUp();
    // Lengthen the file to exactly two chunks.
    let padding = 0;
    while (identityFile(PERSON, padding + 1).length <= 504) padding++;
    const file = identityFile(PERSON, padding);
    expect(file.length).toBe(504);
    const card = await insert(eidCard(file, { chained: true }));
    await waitFor(() => identities.length === 1, 'the identity read');
    expect(identities[0]).toMatchObject({ ok: true, identity: { lastName: PERSON.lastName } });
    expect(card.apdus.slice(4)).toEqual(['00B00000FC', '00C00000FC', '00B000FCFC', '00C00000FC', '00B001F8FC']);
  });

  it('reads an end of file answered 6282 with the last bytes', async () => {
    const { identities } = await setUp();
    await insert(eidCard(identityFile(PERSON), { shortRead: '6282' }));
    await waitFor(() => identities.length === 1, 'the identity read');
    expect(identities[0]).toMatchObject({ ok: true, identity: { firstNames: PERSON.firstNames, nationality: 'Belge' } });
  });

  const good = identityFile(PERSON);
  const malformed: { name: string; file?: Uint8Array; faults?: EidFaults; problem: string; detail: RegExp }[] = [
    { name: 'a truncated TLV field', file: good.subarray(0, good.length - 10), problem: 'malformed', detail: /truncated/ },
    { name: 'a file with no last name', file: tlv([[0x01, PERSON.cardNumber], [0x08, 'Anne'], [0x0a, 'Belge']]), problem: 'malformed', detail: /no last name/ },
    { name: 'a name that is not UTF-8', file: tlv([[0x07, Uint8Array.of(0xc3, 0x28)], [0x08, 'Anne'], [0x0a, 'Belge']]), problem: 'malformed', detail: /not UTF-8/ },
    { name: 'more bytes than asked for', file: identityFile(PERSON, 300), faults: { overlong: 4 }, problem: 'malformed', detail: /at most 252/ },
    { name: 'an error status word on READ BINARY', faults: { readStatus: 0x6982 }, problem: 'card_refused', detail: /6982/ },
    { name: 'an error status word on SELECT', faults: { selectStatus: 0x6985 }, problem: 'card_refused', detail: /6985/ },
    { name: 'the card pulled out mid-read', faults: { removeAtApdu: 6 }, problem: 'card_removed', detail: /./ },
    { name: 'a contact card without the identity DF', faults: { noIdentityDf: true }, problem: 'not_eid', detail: /DF01/ },
  ];

  it('ends every malformed answer in a clear problem, never an identity, and keeps reading cards', async () => {
    const { identities } = await setUp();
    for (const [i, m] of malformed.entries()) {
      const card = await insert(eidCard(m.file ?? good, m.faults ?? {}));
      await waitFor(() => identities.length === i + 1, `the failed read of ${m.name}`);
      const read = identities[i]!;
      expect(read.ok, m.name).toBe(false);
      if (read.ok) continue;
      expect(read.problem, m.name).toBe(m.problem);
      expect(read.detail, m.name).toMatch(m.detail);
      // Taken off (or already pulled out by its fault): the reader must see it go.
      await removeCard(card);
      await waitForStatus(t!.api, 'desk', 'the card seen gone', (s) => (s.counts.removals ?? 0) >= i + 1);
    }
    expect(identities.every((r) => !r.ok)).toBe(true);
    // The reader is still up and the next good card reads.
    await insert(eidCard(good));
    await waitFor(() => identities.length === malformed.length + 1, 'the good read after the bad ones');
    expect(identities.at(-1)).toMatchObject({ ok: true, identity: { lastName: PERSON.lastName } });
    expect((await deviceStatus(t!.api, 'desk')).state).toBe('up');
  });

  it('with eID reading off, a contact card is counted and nothing is read', async () => {
    const { identities, taps } = await setUp({ eid: false });
    const card = await insert(eidCard(good));
    await waitForStatus(t!.api, 'desk', 'the unsupported card counted', (s) => s.counts.card_unsupported_card === 1);
    expect(card.apdus).toEqual([]);
    expect(identities).toEqual([]);
    expect(taps).toEqual([]);
  });
});

describe('pcscd and the binding failing', () => {
  it('reports pcscd stopping, and recovers when it starts again', async () => {
    const { taps } = await setUp();
    await pcscd.stop();
    const down = await waitForStatus(t!.api, 'desk', 'down while pcscd is stopped', (s) => s.state === 'down' && /pcscd/.test(s.lastError ?? ''));
    expect(down.detail).toBeUndefined();
    await pcscd.start();
    await waitForStatus(t!.api, 'desk', 'up again', (s) => s.state === 'up' && s.detail === VPCD_READERS[35963], 30_000);
    await insert(nfcCard(cardA));
    await waitFor(() => taps.length === 1, 'a read after the restart');
    expect(outcome(taps[0])).toBe('checked_in');
  });

  it('kills a binding hung in native code (the watchdog) and recovers when pcscd is back', async () => {
    const { taps } = await setUp();
    // The real hang: a PC/SC context created while pcscd is absent blocks the child's event
    // loop. The station's pcscd check is told "it is up" so the child is started anyway.
    let lie = false;
    const realCheck = (await import('../../main/hardware/readers/pcsc/pcscd.js')).pcscdAnswers;
    await dm!.stop();
    dm = new DeviceManager({
      station: t!.station,
      onTap: (read, result) => taps.push({ read, result }),
      pcsc: { childModule: pcscChildModule(), heartbeatMs: 200, watchdogMs: 1500, serviceCheckMs: 60_000, serviceUp: async () => lie || (await realCheck()) },
    });
    lie = true;
    await pcscd.stop();
    dm.start();
    const killed = await waitForStatus(t!.api, 'desk', 'the hung child killed by the watchdog', (s) => (s.counts.watchdog_kills ?? 0) >= 1, 30_000);
    expect(killed.state).toBe('down');
    expect(killed.lastError).toMatch(/stopped answering/);
    await pcscd.start();
    await waitForStatus(t!.api, 'desk', 'up again', (s) => s.state === 'up', 30_000);
    await insert(nfcCard(cardB));
    await waitFor(() => taps.length === 1, 'a read after the watchdog');
    expect(taps[0]!.read.uid).toBe(cardB);
  });
});
