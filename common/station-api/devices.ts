// Devices and printing: readers and printers, their configuration and state, print jobs and reprints.
// Each method: who may call it (common/station-access.ts), what it changes for the windows to
// reload, and its input's schema; below, what it answers.
import { z } from 'zod';
import { deviceConfigSchema } from '../devices.js';
import type { DeviceConfig, DeviceStatus, PrintJob } from '../devices.js';
import type { BadgeFormat } from '../readers/badge-formats.js';
import type { WedgeLayout } from '../readers/wedge-layout.js';
import { uuid } from './fields.js';
import type { MethodSpec } from './method.js';

export const devicesMethods = {
  /** How the kiosk page reads a keyboard-wedge reader typing into its window: the reader's layout, the site's badge formats. */
  kioskReading: {
    role: 'kiosk',
    input: z.object({}),
  },
  devices: {
    role: 'desk',
    input: z.object({}),
  },
  deviceConfigs: {
    role: 'supervisor',
    input: z.object({}),
  },
  configureDevice: {
    role: 'supervisor',
    changes: 'devices',
    input: z.object({ config: deviceConfigSchema }),
  },
  removeDevice: {
    role: 'supervisor',
    changes: 'devices',
    input: z.object({ id: z.string().min(1).max(32) }),
  },
  /**
   * The command line's allow-list of files a "file printer" may write besides device nodes
   * (/dev/usb/lp*, serial ttys): add a path, or remove it. Nothing printed goes anywhere else.
   */
  allowPrinterFile: {
    role: 'cli',
    input: z.object({ path: z.string().min(1).max(4096).optional(), remove: z.boolean().default(false) }),
  },
  printReceipt: {
    role: 'desk',
    input: z.object({ visitId: uuid, printerId: z.string().max(32).optional() }),
  },
  printBadge: {
    role: 'desk',
    input: z.object({ visitId: uuid, printerId: z.string().max(32).optional() }),
  },
  testPrint: {
    role: 'desk',
    input: z.object({ printerId: z.string().min(1).max(32) }),
  },
  reprint: {
    role: 'desk',
    input: z.object({ jobId: uuid, printerId: z.string().max(32).optional() }),
  },
  printJobs: {
    role: 'desk',
    input: z.object({ visitId: uuid.optional(), limit: z.number().int().min(1).max(500).default(50) }),
  },
} as const satisfies Record<string, MethodSpec>;

export interface DevicesOutputs {
  kioskReading: KioskReading;
  devices: DeviceStatus[];
  deviceConfigs: DeviceConfig[];
  configureDevice: DeviceConfig;
  removeDevice: { id: string };
  allowPrinterFile: { paths: string[] };
  printReceipt: PrintJob;
  printBadge: PrintJob;
  testPrint: PrintJob;
  reprint: PrintJob;
  printJobs: PrintJob[];
}

export interface KioskReading {
  /** The layout of the enabled reader typing into the kiosk window (connection "window"); qwerty without one. */
  layout: WedgeLayout;
  /** The site's badge formats, or the default. */
  formats: BadgeFormat[];
}
