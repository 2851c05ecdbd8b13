// Smart-card commands (ISO 7816-4 APDUs) as PC/SC readers carry them: building commands, reading
// status words, and the two retries every reader of a file must make — 61xx (more data: GET
// RESPONSE) and 6Cxx (wrong Le: the same command again with the length the card asks for).
// Pure code: the transmit function comes from whoever holds the card (the PC/SC child process).

/** Sends one command APDU and answers the card's response (data + SW1 SW2). */
export type Transmit = (command: Uint8Array) => Promise<Uint8Array>;

/** Why reading a card failed: each problem has its own sentence at reception. */
export type CardProblem =
  /** The card left the reader (or was reset) before its reading was complete. */
  | 'card_removed'
  /** A contact card that is not a Belgian eID (no identity file). */
  | 'not_eid'
  /** The card refused a command (a status word other than 9000). */
  | 'card_refused'
  /** The card's answer does not have the expected shape (truncated, wrong lengths, bad TLV). */
  | 'malformed'
  /** Neither a contactless badge nor a Belgian eID (or eID reading is off at this reader). */
  | 'unsupported_card'
  /** The reader or pcscd failed during the exchange. */
  | 'reader_error';

export const CARD_PROBLEMS = ['card_removed', 'not_eid', 'card_refused', 'malformed', 'unsupported_card', 'reader_error'] as const satisfies readonly CardProblem[];

export class CardError extends Error {
  constructor(
    readonly problem: CardProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CardError';
  }
}

export interface ApduResponse {
  data: Uint8Array;
  sw: number;
}

export const SW_OK = 0x9000;

export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
export const swText = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, '0');

/** Splits a response into data and status word; fewer than 2 bytes is no answer at all. */
export function splitResponse(response: Uint8Array): ApduResponse {
  if (response.length < 2) throw new CardError('malformed', `the card answered ${response.length} byte(s), not even a status word`);
  const n = response.length;
  return { data: response.subarray(0, n - 2), sw: (response[n - 2]! << 8) | response[n - 1]! };
}

/** A case 2 command (no data, Le expected). Le 256 is written 00. */
export function command(cla: number, ins: number, p1: number, p2: number, le: number): Uint8Array {
  return Uint8Array.of(cla, ins, p1, p2, le & 0xff);
}

/** A case 3 command (data, no Le). */
export function commandWithData(cla: number, ins: number, p1: number, p2: number, data: Uint8Array): Uint8Array {
  if (data.length > 255) throw new RangeError('short APDUs carry at most 255 data bytes');
  return Uint8Array.of(cla, ins, p1, p2, data.length, ...data);
}

/** How many 61xx / 6Cxx rounds one command may take before the card is deemed to be looping. */
const MAX_ROUNDS = 16;

/**
 * Sends `apdu` and follows the card: 6Cxx → the same command with Le = xx; 61xx → GET RESPONSE
 * for xx bytes, concatenated. Answers the final data and status word.
 */
export async function exchange(transmit: Transmit, apdu: Uint8Array): Promise<ApduResponse> {
  let current = apdu;
  let collected: Uint8Array[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { data, sw } = splitResponse(await transmit(current));
    const sw1 = sw >> 8;
    if (sw1 === 0x6c) {
      // Wrong length: the card says how many bytes it has; the command is repeated with that Le
      // (its first four bytes unchanged), and only for commands that had an Le.
      if (current.length !== 5) throw new CardError('malformed', `the card asked for Le ${sw & 0xff} on a command without Le`);
      current = Uint8Array.of(current[0]!, current[1]!, current[2]!, current[3]!, sw & 0xff);
      collected = [];
      continue;
    }
    if (data.length > 0) collected.push(data);
    if (sw1 === 0x61) {
      // More data waiting: GET RESPONSE with the length announced (00 = 256).
      current = command(0x00, 0xc0, 0x00, 0x00, sw & 0xff);
      continue;
    }
    return { data: concat(collected), sw };
  }
  throw new CardError('malformed', `the card kept asking for retries (61xx/6Cxx) after ${MAX_ROUNDS} rounds`);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** PC/SC part 3 "get data" pseudo-APDU: the UID of the contactless card on the reader. */
export const GET_UID = command(0xff, 0xca, 0x00, 0x00, 0x00);

/**
 * Whether an ATR is the pseudo-ATR a PC/SC reader builds for a contactless card (PC/SC part 3,
 * 3.1.3.2.3): TS 3B, T0 8x, TD1 80, TD2 01. Contact cards (such as the eID) answer their own ATR.
 */
export function isContactlessAtr(atr: Uint8Array): boolean {
  return atr.length >= 4 && atr[0] === 0x3b && (atr[1]! & 0xf0) === 0x80 && atr[2] === 0x80 && atr[3] === 0x01;
}

/** Reads the UID of the contactless card on the reader: 4, 7 or 10 bytes, as hex. */
export async function readCardUid(transmit: Transmit): Promise<string> {
  const { data, sw } = await exchange(transmit, GET_UID);
  if (sw !== SW_OK) throw new CardError('card_refused', `the reader did not give the card's UID (status ${swText(sw)})`);
  if (data.length < 4 || data.length > 10) throw new CardError('malformed', `a UID of ${data.length} bytes (expected 4 to 10)`);
  return hex(data);
}
