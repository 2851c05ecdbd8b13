// Device configuration and status: the badge readers and printers at a reception. Stored in the
// station database, changed through the station API and `escale-station devices`, so each shape
// crossing that boundary has its schema here.
import { z } from 'zod';
import { uidFormatSchema } from './readers/uid.js';
import { wedgeLayoutSchema } from './readers/wedge-layout.js';

const deviceId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a device id of lower-case letters, digits and "-" (1 to 32 characters)');

const serialPort = z.object({
  path: z.string().min(1, 'the serial device path, e.g. /dev/ttyUSB0'),
  baudRate: z.number().int().min(300).max(921_600).default(9600),
});

export const readerConfigSchema = z.object({
  id: deviceId,
  kind: z.literal('reader'),
  name: z.string().trim().min(1).max(80),
  enabled: z.boolean().default(true),
  /** The same card seen again by this reader within this window (while it is held) is one read. */
  repeatWindowMs: z.number().int().min(0).max(60_000).default(1500),
  uidFormat: uidFormatSchema.prefault({}),
  connection: z.discriminatedUnion('type', [
    serialPort.extend({
      type: z.literal('serial'),
      framing: z.enum(['em4100', 'line']),
      /** For line framing: a pause longer than this inside a line breaks it. */
      maxGapMs: z.number().int().min(1).max(10_000).default(200),
    }),
    z.object({
      type: z.literal('hid'),
      vendorId: z.number().int().min(0).max(0xffff),
      productId: z.number().int().min(0).max(0xffff),
      /** keyboard: boot keyboard reports decoded by HID usage; raw: the UID bytes themselves. */
      mode: z.enum(['keyboard', 'raw']).default('keyboard'),
      reportOffset: z.number().int().min(0).max(64).default(0),
      rawLength: z.number().int().min(1).max(32).default(4),
      /** keyboard mode: the layout the reader itself is set to type with (readers/wedge-layout.ts). */
      keyboardLayout: wedgeLayoutSchema.default('qwerty'),
    }),
    z.object({
      /**
       * A keyboard-wedge reader plugged into the kiosk's computer: it types into the kiosk window,
       * whose page reads it (renderer/src/kiosk/useKeyboardWedge.ts); the station opens nothing.
       */
      type: z.literal('window'),
      /** The layout the reader itself is set to type with (readers/wedge-layout.ts). */
      keyboardLayout: wedgeLayoutSchema.default('qwerty'),
    }),
    z.object({
      /** PC/SC (CCID) readers, e.g. ACS ACR122U / ACR1252: contactless badges by UID, Belgian eIDs. */
      type: z.literal('pcsc'),
      /** Reader names to watch (a reader is watched when its name contains one); empty: every PC/SC reader. */
      readers: z.array(z.string().trim().min(1).max(200)).max(16).default([]),
      /** Read a Belgian eID inserted here to fill the walk-in guest form (reception readers). */
      eid: z.boolean().default(true),
    }),
  ]),
  /**
   * Where the reader stands: at the desk, a reception form waiting for a card takes its reads
   * (they are not taps then); at the kiosk, it always taps. A reader not said to be at the kiosk is
   * the desk's: a card meant for a form must never check someone in or out.
   */
  place: z.enum(['desk', 'kiosk']).default('desk'),
});
export type ReaderConfig = z.output<typeof readerConfigSchema>;

export const printerConfigSchema = z.object({
  id: deviceId,
  kind: z.literal('printer'),
  name: z.string().trim().min(1).max(80),
  enabled: z.boolean().default(true),
  /** What it prints: ESC/POS receipts and badges, or ZPL badge labels. */
  language: z.enum(['escpos', 'zpl']).default('escpos'),
  /** Printed characters per line (ESC/POS). */
  columns: z.number().int().min(24).max(64).default(42),
  roles: z.array(z.enum(['receipt', 'badge'])).min(1).default(['receipt', 'badge']),
  /** Where jobs go when this printer is down or out of paper. */
  fallbackId: deviceId.optional(),
  connection: z.discriminatedUnion('type', [
    z.object({ type: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65_535).default(9100) }),
    serialPort.extend({ type: z.literal('serial') }),
    z.object({ type: z.literal('file'), path: z.string().min(1, 'the device file, e.g. /dev/usb/lp0') }),
  ]),
});
export type PrinterConfig = z.output<typeof printerConfigSchema>;

export const deviceConfigSchema = z.discriminatedUnion('kind', [readerConfigSchema, printerConfigSchema]);
export type DeviceConfig = z.output<typeof deviceConfigSchema>;
export type DeviceConfigInput = z.input<typeof deviceConfigSchema>;

export interface DeviceStatus {
  id: string;
  kind: 'reader' | 'printer';
  name: string;
  enabled: boolean;
  state: 'up' | 'down' | 'disabled' | 'unknown';
  /** Since when it has been down (ISO), while it is. */
  downSince?: string;
  lastError?: string;
  /** Last badge read (reader) or last job printed (printer). */
  lastActivityAt?: string;
  paperOut?: boolean;
  /** What the device sees now, in a few words (e.g. the PC/SC readers connected). */
  detail?: string;
  counts: Record<string, number>;
  /** A printer: the jobs sent to it when the clerk names no printer (so the desk can warn before printing to it while it is down). */
  defaultFor?: ('receipt' | 'badge')[];
  /** A printer: where its jobs go while it is down. */
  fallbackId?: string;
}

export type PrintJobKind = 'receipt' | 'badge' | 'test';
export type PrintJobState = 'queued' | 'printing' | 'printed' | 'failed';

export interface PrintJob {
  id: string;
  kind: PrintJobKind;
  visitId?: string;
  /** Whose visit the job prints (listings only): the reception names people, never ids. */
  person?: { firstName: string; lastName: string; purged?: true };
  printerId: string;
  printedOn?: string;
  state: PrintJobState;
  attempts: number;
  lastError?: string;
  createdAt: string;
  printedAt?: string;
  reprintOf?: string;
}
