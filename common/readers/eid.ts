// The Belgian eID at reception: reads the identity file (3F00/DF01/4031) the way the official
// middleware does and keeps only what a walk-in guest's registration needs — last name, first
// names, nationality. The card number, national number and birth date are on the same file; they
// are skipped without being decoded, so they never reach a message, a log or the database.
import { z } from 'zod';
import { CardError, SW_OK, command, commandWithData, concat, exchange, swText, type Transmit } from './apdu.js';

/** What the station takes from an eID: nothing else leaves the card reader's process. */
export const eidIdentitySchema = z
  .object({
    lastName: z.string().min(1).max(100),
    /** The first two given names, as printed on the card ("Marie Louise"); may be empty. */
    firstNames: z.string().max(100),
    /** As the card says it, in the issuing commune's language ("Belge", "Belg", "Deutsch"…). */
    nationality: z.string().max(60),
  })
  .strict();
export type EidIdentity = z.output<typeof eidIdentitySchema>;

/** Identity file tags (Belgian eID content specification). Only these three are ever decoded. */
const TAG_LAST_NAME = 0x07;
const TAG_FIRST_NAMES = 0x08;
const TAG_NATIONALITY = 0x0a;

/** SELECT FILE by file id, no answer data (P2 0C), as the middleware sends it. */
const selectFid = (hi: number, lo: number) => commandWithData(0x00, 0xa4, 0x02, 0x0c, Uint8Array.of(hi, lo));
/** 252 bytes per READ BINARY: the middleware's MAX_APDU_READ_LEN outside macOS. */
export const READ_CHUNK = 252;
/** An identity file is a few hundred bytes; a card that keeps sending more is not answering sanely. */
export const MAX_IDENTITY_FILE = 2048;

const NOT_FOUND = new Set([0x6a82, 0x6a86]);
/** Status words by which a card says it does not know the command at all: not an eID. */
const UNKNOWN_COMMAND = new Set([0x6d00, 0x6e00, 0x6a81]);

/**
 * Selects the identity file: first by its id alone (the DF01 may already be current), then by
 * path 3F00 → DF01 → 4031, one SELECT per level — the card does not support select-by-path.
 */
async function selectIdentityFile(transmit: Transmit): Promise<void> {
  const direct = await exchange(transmit, selectFid(0x40, 0x31));
  if (direct.sw === SW_OK) return;
  if (UNKNOWN_COMMAND.has(direct.sw)) throw new CardError('not_eid', `the card does not know SELECT FILE (status ${swText(direct.sw)})`);
  if (!NOT_FOUND.has(direct.sw)) throw new CardError('card_refused', `the card refused to select the identity file (status ${swText(direct.sw)})`);
  for (const [hi, lo, name] of [[0x3f, 0x00, '3F00'], [0xdf, 0x01, 'DF01'], [0x40, 0x31, '4031']] as const) {
    const { sw } = await exchange(transmit, selectFid(hi, lo));
    if (sw === SW_OK) continue;
    if (NOT_FOUND.has(sw) || UNKNOWN_COMMAND.has(sw)) throw new CardError('not_eid', `no ${name} on this card (status ${swText(sw)}): not a Belgian eID`);
    throw new CardError('card_refused', `the card refused to select ${name} (status ${swText(sw)})`);
  }
}

/** Reads the selected transparent file to its end, READ_CHUNK bytes at a time. */
async function readSelectedFile(transmit: Transmit): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    if (offset > 0x7fff) throw new CardError('malformed', 'the file goes beyond the offsets READ BINARY can address');
    const { data, sw } = await exchange(transmit, command(0x00, 0xb0, offset >> 8, offset & 0xff, READ_CHUNK));
    // A file whose length is a multiple of the chunk ends with 6B00 (offset past the end).
    if (sw === 0x6b00 && offset > 0) break;
    const endOfFile = sw === 0x6282;
    if (sw !== SW_OK && !endOfFile) throw new CardError('card_refused', `the card refused to read the identity file at offset ${offset} (status ${swText(sw)})`);
    if (data.length > READ_CHUNK) throw new CardError('malformed', `the card sent ${data.length} bytes for a read of at most ${READ_CHUNK}`);
    parts.push(data);
    offset += data.length;
    if (offset > MAX_IDENTITY_FILE) throw new CardError('malformed', `the identity file is longer than ${MAX_IDENTITY_FILE} bytes`);
    // Fewer bytes than asked (after a 6Cxx or not): the end of the file.
    if (endOfFile || data.length < READ_CHUNK) break;
  }
  return concat(parts);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(tag: string, bytes: Uint8Array): string {
  let s: string;
  try {
    s = utf8.decode(bytes);
  } catch {
    throw new CardError('malformed', `the ${tag} is not UTF-8 text`);
  }
  // Some cards pad fields with spaces or NULs; control characters are never part of a name.
  s = s.replace(/[\s\0]+$/u, '').trim();
  if (/[\u0000-\u001f\u007f]/u.test(s)) throw new CardError('malformed', `the ${tag} holds control characters`);
  return s;
}

/**
 * Parses the identity file's TLV fields: one tag byte; a length whose bytes carry 7 bits each, the
 * high bit meaning "another length byte follows"; the value. Tag 00 (file version) may only come
 * first; trailing zero bytes are padding. Truncated or duplicated fields are refused: a half-read
 * identity must never fill a form.
 */
export function parseIdentityFile(file: Uint8Array): EidIdentity {
  const wanted = new Map<number, Uint8Array>();
  const seen = new Set<number>();
  let i = 0;
  while (i < file.length) {
    const tag = file[i]!;
    if (tag === 0x00 && i > 0) {
      if (file.subarray(i).every((b) => b === 0)) break;
      throw new CardError('malformed', `tag 00 at byte ${i} of the identity file (it may only come first)`);
    }
    i++;
    let length = 0;
    let lengthBytes = 0;
    for (;;) {
      if (i >= file.length) throw new CardError('malformed', `the identity file ends inside the length of tag ${swText(tag).slice(2)}`);
      const b = file[i++]!;
      length = (length << 7) | (b & 0x7f);
      if (++lengthBytes > 3) throw new CardError('malformed', `the length of tag ${swText(tag).slice(2)} takes more than 3 bytes`);
      if ((b & 0x80) === 0) break;
    }
    if (i + length > file.length) throw new CardError('malformed', `tag ${swText(tag).slice(2)} announces ${length} bytes but only ${file.length - i} remain: the identity file is truncated`);
    if (seen.has(tag)) throw new CardError('malformed', `tag ${swText(tag).slice(2)} appears twice in the identity file`);
    seen.add(tag);
    if (tag === TAG_LAST_NAME || tag === TAG_FIRST_NAMES || tag === TAG_NATIONALITY) wanted.set(tag, file.subarray(i, i + length));
    i += length;
  }
  const field = (tag: number, name: string): string => {
    const bytes = wanted.get(tag);
    if (bytes === undefined) throw new CardError('malformed', `the identity file has no ${name}`);
    return text(name, bytes);
  };
  const parsed = eidIdentitySchema.safeParse({
    lastName: field(TAG_LAST_NAME, 'last name'),
    firstNames: field(TAG_FIRST_NAMES, 'first names'),
    nationality: field(TAG_NATIONALITY, 'nationality'),
  });
  if (!parsed.success) throw new CardError('malformed', `the identity file's fields are out of range: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  return parsed.data;
}

/** Selects and reads the identity file of the eID on the reader, and keeps the three fields. */
export async function readEidIdentity(transmit: Transmit): Promise<EidIdentity> {
  await selectIdentityFile(transmit);
  const file = await readSelectedFile(transmit);
  if (file.length === 0) throw new CardError('malformed', 'the identity file is empty');
  return parseIdentityFile(file);
}
