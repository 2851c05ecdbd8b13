// Devices and printing: readers and printers, their configuration and state, print jobs and reprints.
// Each method: who may call it (common/station-access.ts), what it changes for the windows to
// reload, and its input's schema; below, what it answers.
import { z } from 'zod';
import { deviceConfigSchema } from '../devices.js';
import type { DeviceConfig, DeviceStatus, PrintJob } from '../devices.js';
import { uuid } from './fields.js';
import type { MethodSpec } from './method.js';

export const devicesMethods = {
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
