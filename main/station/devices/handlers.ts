// Devices and printing: configuration, state, print jobs. The handlers of the station API's devices
// methods (common/station-api/devices.ts), over parsed input; api.ts wraps them with validation and
// Results.
import { iso, requireSite, writeTransaction } from '../context.js';
import { listDeviceConfigs, removeDeviceConfig, saveDeviceConfig } from './config-store.js';
import { kioskReading } from './kiosk-reading.js';
import { withPrintRoles } from './print-roles.js';
import { badgeDocument, enqueuePrint, listJobs, receiptDocument, reprint } from './print-jobs.js';
import { allowPrinterFile } from './printer-files.js';
import { StationFailure } from '../errors.js';
import type { DeviceStatus } from '../../../common/devices.js';
import type { DevicesOutputs } from '../../../common/station-api/devices.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';

export function devicesHandlers({ ctx, devices, now, queued }: HandlerDeps): HandlersOf<DevicesOutputs> {
  return {
    kioskReading: () => kioskReading(ctx),
    devices: () => {
      const configs = listDeviceConfigs(ctx);
      const statuses: DeviceStatus[] =
        devices.hooks?.statuses() ??
        // No device manager runs in this process (the CLI): the configuration, state unknown.
        configs.map((d) => ({ id: d.id, kind: d.kind, name: d.name, enabled: d.enabled, state: d.enabled ? 'unknown' : 'disabled', counts: {} }));
      return withPrintRoles(statuses, configs);
    },
    deviceConfigs: () => listDeviceConfigs(ctx),
    configureDevice: ({ config }) => {
      const saved = writeTransaction(ctx, () => saveDeviceConfig(ctx, config));
      devices.hooks?.configChanged();
      return saved;
    },
    removeDevice: ({ id }) => {
      const removed = writeTransaction(ctx, () => removeDeviceConfig(ctx, id));
      devices.hooks?.configChanged();
      return removed;
    },
    allowPrinterFile: ({ path: target, remove }) => allowPrinterFile(ctx, target, remove),
    printReceipt: ({ visitId, printerId }) =>
      queued(writeTransaction(ctx, () => enqueuePrint(ctx, 'receipt', receiptDocument(ctx, visitId), { visitId, ...(printerId ? { printerId } : {}) }))),
    printBadge: ({ visitId, printerId }) =>
      queued(writeTransaction(ctx, () => enqueuePrint(ctx, 'badge', badgeDocument(ctx, visitId), { visitId, ...(printerId ? { printerId } : {}) }))),
    testPrint: ({ printerId }) =>
      queued(
        writeTransaction(ctx, () => {
          const site = requireSite(ctx);
          const printer = listDeviceConfigs(ctx).find((d) => d.id === printerId);
          if (!printer) throw new StationFailure('NOT_FOUND', `No printer "${printerId}" at this station.`).saying('printerUnknown');
          return enqueuePrint(ctx, 'test', { kind: 'test', language: 'en', printerName: printer.name, at: iso(now()), timeZone: site.timeZone }, { printerId });
        }),
      ),
    reprint: ({ jobId, printerId }) => queued(writeTransaction(ctx, () => reprint(ctx, jobId, printerId))),
    printJobs: ({ visitId, limit }) => listJobs(ctx, visitId, limit),
  };
}
