// What the PC/SC child process tells the station (over the Node IPC channel) and what a page
// hears when an eID was read. The binding lives in a child so that a hang or a spin in it cannot
// block taps; everything it sends is parsed here as unknown before the station believes it.
import { z } from 'zod';
import { CARD_PROBLEMS } from './apdu.js';
import { eidIdentitySchema } from './eid.js';

const readerName = z.string().min(1).max(200);
const at = z.iso.datetime();

/** The child's settings, sent once after it starts. */
export const pcscChildSettingsSchema = z.object({
  type: z.literal('settings'),
  /** Reader names to watch (a reader is watched when its name contains one); empty: every reader. */
  readers: z.array(readerName).max(16),
  /** Read a Belgian eID inserted in a watched reader. */
  eid: z.boolean(),
  /** How often the child says it is alive (ms). */
  heartbeatMs: z.number().int().min(50).max(60_000),
});
export type PcscChildSettings = z.output<typeof pcscChildSettingsSchema>;

export const pcscChildMessageSchema = z.discriminatedUnion('type', [
  /** The PC/SC context is established: the binding answers. */
  z.object({ type: z.literal('ready') }),
  /** The child's event loop is alive (the station's watchdog listens for it). */
  z.object({ type: z.literal('heartbeat') }),
  /** The watched readers now connected, after one was added or removed. */
  z.object({ type: z.literal('readers'), readers: z.array(readerName).max(64), added: readerName.optional(), removed: readerName.optional() }),
  /** A card was placed on a watched reader (before it is read). */
  z.object({ type: z.literal('card-inserted'), reader: readerName, atr: z.string().regex(/^[0-9A-F]{0,66}$/), at }),
  z.object({ type: z.literal('card-removed'), reader: readerName, at }),
  /** A contactless card's UID (hex, as the reader gave it), read at `at`. */
  z.object({ type: z.literal('uid'), reader: readerName, uid: z.string().regex(/^[0-9A-F]{8,20}$/), at }),
  /** A Belgian eID's identity: only the three fields the station keeps. */
  z.object({ type: z.literal('identity'), reader: readerName, identity: eidIdentitySchema, at }),
  /** A card could not be read. */
  z.object({ type: z.literal('card-error'), reader: readerName, problem: z.enum(CARD_PROBLEMS), detail: z.string().max(300), eid: z.boolean(), at }),
  /** The PC/SC context failed (pcscd stopped, binding error): the child exits after saying so. */
  z.object({ type: z.literal('fatal'), message: z.string().max(500) }),
]);
export type PcscChildMessage = z.output<typeof pcscChildMessageSchema>;

/**
 * An eID read at a reception reader, as the reception window hears it: the identity to fill the
 * guest form with, or why it could not be read. Nothing of it is stored until the clerk registers
 * the guest, with their consent.
 */
export const identityReadSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), source: z.string().min(1).max(64), reader: readerName, at, identity: eidIdentitySchema }),
  z.object({ ok: z.literal(false), source: z.string().min(1).max(64), reader: readerName, at, problem: z.enum(CARD_PROBLEMS), detail: z.string().max(300) }),
]);
export type IdentityRead = z.output<typeof identityReadSchema>;
