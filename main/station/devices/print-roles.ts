// The desk warns before printing to a printer that is down: each printer's status says which
// jobs go to it by default and where they fall back, by the same choice a new job makes.
import type { DeviceConfig, DeviceStatus, PrinterConfig } from '../../../common/devices.js';
import { defaultPrinter } from './print-jobs.js';

export function withPrintRoles(statuses: DeviceStatus[], configs: readonly DeviceConfig[]): DeviceStatus[] {
  const printers = configs.filter((c): c is PrinterConfig => c.kind === 'printer');
  const receipt = defaultPrinter(printers, 'receipt')?.id;
  const badge = defaultPrinter(printers, 'badge')?.id;
  return statuses.map((s) => {
    const config = printers.find((p) => p.id === s.id);
    if (s.kind !== 'printer' || !config) return s;
    const defaultFor = [...(receipt === s.id ? (['receipt'] as const) : []), ...(badge === s.id ? (['badge'] as const) : [])];
    return { ...s, ...(defaultFor.length > 0 ? { defaultFor } : {}), ...(config.fallbackId ? { fallbackId: config.fallbackId } : {}) };
  });
}
