// The PC/SC child process: the only place the native binding (@pokusew/pcsclite) is loaded. It
// watches the readers, reads each card placed on one (a contactless badge's UID, or a Belgian
// eID's identity) and tells the station over the IPC channel. The station forks it only once
// pcscd answers, and kills it when its heartbeat stops: a binding stuck in native code cannot
// block taps from here. It exits when the PC/SC context fails; the station starts a new one.
import { createRequire } from 'node:module';
import { CardError, isContactlessAtr, readCardUid, hex, type Transmit } from '../../../../common/readers/apdu.js';
import { readEidIdentity } from '../../../../common/readers/eid.js';
import { pcscChildSettingsSchema, type PcscChildMessage, type PcscChildSettings } from '../../../../common/readers/pcsc-protocol.js';

interface CardReader {
  name: string;
  state: number;
  SCARD_STATE_PRESENT: number;
  SCARD_SHARE_SHARED: number;
  SCARD_LEAVE_CARD: number;
  on(event: 'status', l: (s: { state: number; atr?: Buffer }) => void): void;
  on(event: 'end' | 'error', l: (e?: Error) => void): void;
  connect(options: { share_mode: number }, cb: (err: Error | null, protocol: number) => void): void;
  disconnect(disposition: number, cb: (err: Error | null) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: Error | null, response: Buffer) => void): void;
  close(): void;
}
interface PcscLite {
  on(event: 'reader', l: (r: CardReader) => void): void;
  on(event: 'error', l: (e: Error) => void): void;
  close(): void;
}

/**
 * The station's end of the channel: a Node fork's IPC (process.send), or, in the packaged Electron
 * app, a utilityProcess's parentPort.
 */
interface ParentPort {
  postMessage(m: unknown): void;
  once(event: 'message', listener: (e: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const send = (m: PcscChildMessage) => (parentPort ? parentPort.postMessage(m) : process.send?.(m));
const onceSettings = (listener: (m: unknown) => void) => (parentPort ? parentPort.once('message', (e) => listener(e.data)) : process.once('message', listener));
const now = () => new Date().toISOString();

/** PC/SC error codes meaning the card went away or was reset during the exchange. */
const REMOVED = /0x8010000C|0x80100069|0x80100068|0x80100016|0x8010002E|removed|reset|no smart card/i;

function problemOf(e: unknown): { problem: CardError['problem']; detail: string } {
  if (e instanceof CardError) return { problem: e.problem, detail: e.message };
  const message = (e as Error)?.message ?? String(e);
  return REMOVED.test(message) ? { problem: 'card_removed', detail: message } : { problem: 'reader_error', detail: message };
}

function watched(settings: PcscChildSettings, name: string): boolean {
  return settings.readers.length === 0 || settings.readers.some((r) => name.includes(r));
}

function start(settings: PcscChildSettings): void {
  const require = createRequire(import.meta.url);
  const pcsc = (require('@pokusew/pcsclite') as () => PcscLite)();
  const readers = new Set<string>();
  const listReaders = (change: { added?: string; removed?: string }) => send({ type: 'readers', readers: [...readers].sort(), ...change });

  // The binding has no "context established" event: it lists readers (or fails) right after.
  send({ type: 'ready' });
  listReaders({});
  pcsc.on('error', (e) => {
    send({ type: 'fatal', message: `PC/SC: ${e.message}` });
    // Its monitor thread is gone after such an error: a new process gets a fresh context.
    setTimeout(() => process.exit(3), 50);
  });
  pcsc.on('reader', (reader) => {
    if (!watched(settings, reader.name)) return;
    readers.add(reader.name);
    listReaders({ added: reader.name });
    let present = false;
    let reading: Promise<void> = Promise.resolve();
    reader.on('error', () => undefined);
    reader.on('end', () => {
      readers.delete(reader.name);
      listReaders({ removed: reader.name });
    });
    reader.on('status', (status) => {
      const isPresent = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
      if (isPresent === present) return;
      present = isPresent;
      if (!isPresent) {
        send({ type: 'card-removed', reader: reader.name, at: now() });
        return;
      }
      const atr = new Uint8Array(status.atr ?? []);
      send({ type: 'card-inserted', reader: reader.name, atr: hex(atr), at: now() });
      // One card at a time per reader: a quick re-insertion waits for the previous read to end.
      reading = reading.then(() => readCard(reader, atr, settings.eid, () => present));
    });
  });
}

async function readCard(reader: CardReader, atr: Uint8Array, eid: boolean, isPresent: () => boolean): Promise<void> {
  const contactless = isContactlessAtr(atr);
  const readsEid = !contactless && eid;
  let protocol: number;
  try {
    protocol = await new Promise<number>((resolve, reject) => reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (err, p) => (err ? reject(err) : resolve(p))));
  } catch (e) {
    send({ type: 'card-error', reader: reader.name, ...problemOf(e), eid: readsEid, at: now() });
    return;
  }
  const transmit: Transmit = (apdu) =>
    new Promise((resolve, reject) =>
      // 258: the most a short APDU can answer (256 data bytes and the status word).
      reader.transmit(Buffer.from(apdu), 258, protocol, (err, response) => (err ? reject(err) : resolve(new Uint8Array(response)))),
    );
  try {
    if (contactless) send({ type: 'uid', reader: reader.name, uid: await readCardUid(transmit), at: now() });
    else if (eid) send({ type: 'identity', reader: reader.name, identity: await readEidIdentity(transmit), at: now() });
    else throw new CardError('unsupported_card', `a contact card (ATR ${hex(atr)}) and eID reading is off at this reader`);
  } catch (e) {
    let failure = problemOf(e);
    // A card pulled out mid-read often shows as an empty or cut answer, not as a PC/SC error:
    // if the reader no longer holds the card, that is what the reception is told.
    if ((failure.problem === 'malformed' || failure.problem === 'reader_error') && !(await stillPresent(isPresent)))
      failure = { problem: 'card_removed', detail: `the card left the reader during the reading (${failure.detail})` };
    send({ type: 'card-error', reader: reader.name, ...failure, eid: readsEid, at: now() });
  } finally {
    await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()));
  }
}

/**
 * Whether the card is still on the reader, watched for up to a second through the reader's status
 * events (pcscd polls some drivers), never by asking the binding: a second status request beside
 * its monitor thread is not safe.
 */
async function stillPresent(isPresent: () => boolean): Promise<boolean> {
  for (let i = 0; i < 10 && isPresent(); i++) await new Promise((r) => setTimeout(r, 100));
  return isPresent();
}

onceSettings((m: unknown) => {
  const settings = pcscChildSettingsSchema.safeParse(m);
  if (!settings.success) {
    send({ type: 'fatal', message: `bad settings from the station: ${settings.error.issues[0]?.message ?? 'invalid'}` });
    process.exit(2);
  }
  const beat = setInterval(() => send({ type: 'heartbeat' }), settings.data.heartbeatMs);
  beat.unref();
  try {
    start(settings.data);
  } catch (e) {
    // The binding is missing or failed to load (an optional dependency): the station says so.
    send({ type: 'fatal', message: `the PC/SC binding could not be loaded: ${(e as Error).message}` });
    setTimeout(() => process.exit(4), 50);
  }
});
// The station went away: nothing to report to any more.
process.on('disconnect', () => process.exit(0));
