// Virtual smart cards for the real pcscd, through Debian's vsmartcard-vpcd reader driver: vpcd
// listens on TCP 35963 ("Virtual PCD 00 00") and 35964 ("Virtual PCD 00 01") and treats each
// connection as a card inserted in that reader; closing it removes the card. Each message is a
// 2-byte big-endian length and a payload: 1-byte payloads are power off (00), power on (01), reset
// (02) and get ATR (04, answered); longer ones are command APDUs, answered with the response APDU.
// Two cards are written here: an NFC badge (answers the PC/SC get-UID) and a Belgian eID (an MF,
// the DF01 and its identity file 4031), each with the faults the tests need.
import net from 'node:net';

export const VPCD_READERS = { 35963: 'Virtual PCD 00 00', 35964: 'Virtual PCD 00 01' } as const;
export type VpcdPort = keyof typeof VPCD_READERS;

export interface CardBehaviour {
  atr: Uint8Array;
  /** The response APDU, or 'remove' to be pulled out of the reader instead of answering. */
  answer(apdu: Uint8Array): Uint8Array | 'remove';
  /** Power off, on or reset: the card starts again from its initial state. */
  reset?(): void;
}

const u8 = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/\s/g, ''), 'hex'));
const sw = (value: number) => Uint8Array.of(value >> 8, value & 0xff);
const withSw = (data: Uint8Array, status: number) => Uint8Array.of(...data, status >> 8, status & 0xff);

export class VirtualCard {
  /** Every command APDU received, in order (hex, upper case). */
  readonly apdus: string[] = [];
  private socket: net.Socket | undefined;
  private buffer = Buffer.alloc(0);
  private poweredResolve!: () => void;
  /** Resolves once the reader asked for the ATR: pcscd has seen the card. */
  readonly powered = new Promise<void>((r) => (this.poweredResolve = r));
  readonly closed: Promise<void>;
  private closedResolve!: () => void;

  private constructor(private readonly behaviour: CardBehaviour) {
    this.closed = new Promise<void>((r) => (this.closedResolve = r));
  }

  /** Places a card on the virtual reader listening on `port`. */
  static insert(behaviour: CardBehaviour, port: VpcdPort = 35963): Promise<VirtualCard> {
    const card = new VirtualCard(behaviour);
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      card.socket = socket;
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => undefined);
        resolve(card);
      });
      socket.on('data', (d) => card.received(d));
      socket.on('close', () => card.closedResolve());
    });
  }

  /** Takes the card off the reader. */
  async remove(): Promise<void> {
    this.socket?.destroy();
    await this.closed;
  }

  private send(payload: Uint8Array): void {
    const header = Buffer.alloc(2);
    header.writeUInt16BE(payload.length);
    this.socket?.write(Buffer.concat([header, Buffer.from(payload)]));
  }

  private received(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 2) {
      const n = this.buffer.readUInt16BE(0);
      if (this.buffer.length < 2 + n) return;
      const message = new Uint8Array(this.buffer.subarray(2, 2 + n));
      this.buffer = this.buffer.subarray(2 + n);
      if (n === 1) {
        if (message[0] === 0x04) {
          this.send(this.behaviour.atr);
          this.poweredResolve();
        } else this.behaviour.reset?.();
        continue;
      }
      this.apdus.push(Buffer.from(message).toString('hex').toUpperCase());
      const answer = this.behaviour.answer(message);
      if (answer === 'remove') {
        this.socket?.destroy();
        return;
      }
      this.send(answer);
    }
  }
}

/** The pseudo-ATR an ACR122U gives a MIFARE Classic 1K (PC/SC part 3). */
export const NFC_ATR = u8('3B8F8001804F0CA000000306030001000000006A');
/** A Belgian eID's ATR (applet 1.1). */
export const EID_ATR = u8('3B9813400AA503010101AD1311');

/** An NFC badge: answers FF CA 00 00 00 with its UID (or the status word given). */
export function nfcCard(uidHex: string, options: { getUidStatus?: number } = {}): CardBehaviour {
  return {
    atr: NFC_ATR,
    answer: (apdu) => {
      const isGetUid = apdu.length === 5 && apdu[0] === 0xff && apdu[1] === 0xca;
      if (!isGetUid) return sw(0x6d00);
      return options.getUidStatus ? sw(options.getUidStatus) : withSw(u8(uidHex), 0x9000);
    },
  };
}

export interface EidIdentityFields {
  cardNumber: string;
  nationalNumber: string;
  birthDate: string;
  lastName: string;
  firstNames: string;
  nationality: string;
  birthPlace?: string;
}

/** A TLV length as the eID writes it: 7 bits per byte, the high bit meaning "more follows". */
function tlvLength(n: number): number[] {
  const out = [n & 0x7f];
  for (let v = n >> 7; v > 0; v >>= 7) out.unshift((v & 0x7f) | 0x80);
  return out;
}

export function tlv(fields: [number, Uint8Array | string][]): Uint8Array {
  const bytes: number[] = [];
  for (const [tag, value] of fields) {
    const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    bytes.push(tag, ...tlvLength(v.length), ...v);
  }
  return Uint8Array.from(bytes);
}

/** The identity file of a Belgian eID (the real card's tags, in order), `padding` bytes of photo hash to lengthen it. */
export function identityFile(f: EidIdentityFields, padding = 20): Uint8Array {
  return tlv([
    [0x01, f.cardNumber],
    [0x02, u8('534C494E336600296CFF2623660B0826')],
    [0x03, '21.03.2022'],
    [0x04, '21.03.2032'],
    [0x05, 'Bruxelles'],
    [0x06, f.nationalNumber],
    [0x07, f.lastName],
    [0x08, f.firstNames],
    [0x09, 'J'],
    [0x0a, f.nationality],
    [0x0b, f.birthPlace ?? 'Ixelles'],
    [0x0c, f.birthDate],
    [0x0d, 'F'],
    [0x0e, ''],
    [0x0f, '1'],
    [0x10, '0'],
    [0x11, new Uint8Array(padding).fill(0xa5)],
  ]);
}

export interface EidFaults {
  /** Answer every SELECT with this status word. */
  selectStatus?: number;
  /** Answer every READ BINARY with this status word. */
  readStatus?: number;
  /** How a read past the end of the file is answered: 6Cxx with the bytes left (the Belpic way), or the bytes and 6282. */
  shortRead?: '6Cxx' | '6282';
  /** Answer reads with 61xx and give the data on GET RESPONSE. */
  chained?: boolean;
  /** Send this many bytes more than asked. */
  overlong?: number;
  /** Be pulled out of the reader on the n-th APDU (1-based). */
  removeAtApdu?: number;
  /** No DF01: a contact card that is not an eID. */
  noIdentityDf?: boolean;
}

/** A Belgian eID card holding `file` as its identity file 3F00/DF01/4031. */
export function eidCard(file: Uint8Array, faults: EidFaults = {}): CardBehaviour {
  let df: 'none' | 'MF' | 'DF01' = 'none';
  let ef = false;
  let pending: Uint8Array | undefined;
  let count = 0;
  const select = (fid: string): Uint8Array => {
    if (faults.selectStatus) return sw(faults.selectStatus);
    if (fid === '3F00') {
      df = 'MF';
      ef = false;
      return sw(0x9000);
    }
    if (fid === 'DF01' && df === 'MF' && !faults.noIdentityDf) {
      df = 'DF01';
      return sw(0x9000);
    }
    if (fid === '4031' && df === 'DF01') {
      ef = true;
      return sw(0x9000);
    }
    return sw(0x6a82);
  };
  const read = (offset: number, le: number): Uint8Array => {
    if (faults.readStatus) return sw(faults.readStatus);
    if (!ef) return sw(0x6986);
    if (offset >= file.length) return sw(0x6b00);
    const wanted = le === 0 ? 256 : le;
    const left = file.length - offset;
    if (left < wanted) {
      if ((faults.shortRead ?? '6Cxx') === '6Cxx') return sw(0x6c00 | left);
      return withSw(file.subarray(offset), 0x6282);
    }
    const data = faults.overlong ? file.subarray(offset, offset + wanted + faults.overlong) : file.subarray(offset, offset + wanted);
    if (faults.chained) {
      pending = data;
      return sw(0x6100 | (data.length & 0xff));
    }
    return withSw(data, 0x9000);
  };
  return {
    atr: EID_ATR,
    reset: () => {
      df = 'none';
      ef = false;
      pending = undefined;
    },
    answer: (apdu) => {
      count++;
      if (faults.removeAtApdu !== undefined && count >= faults.removeAtApdu) return 'remove';
      const [cla, ins, p1, p2] = apdu;
      if (cla !== 0x00) return sw(0x6e00);
      if (ins === 0xa4 && p1 === 0x02 && apdu[4] === 2) return select(Buffer.from(apdu.subarray(5, 7)).toString('hex').toUpperCase());
      if (ins === 0xb0) return read((p1! << 8) | p2!, apdu[4]!);
      if (ins === 0xc0 && pending) {
        const data = pending;
        pending = undefined;
        return withSw(data, 0x9000);
      }
      return sw(0x6d00);
    },
  };
}
