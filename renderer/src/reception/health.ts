// What the status strip says: the hub, each reader and each printer, each as a short label when
// all is well, or a sentence saying what is wrong and what to do (technical detail apart, for
// "details"). Pure, so the sentences are checked without a browser.
import type { DeviceStatus } from '../../../common/devices.js';
import type { SyncStatus } from '../../../common/sync/status.js';
import type { Words } from './i18n.js';

export interface HealthItem {
  id: string;
  kind: 'hub' | 'reader' | 'printer';
  tone: 'ok' | 'info' | 'warn' | 'bad';
  /** Short: what it is and that it is fine. */
  label: string;
  /** What is wrong and what to do, in the clerk's language. */
  problem?: string;
  /** The technical detail (an error from the system), behind "details". */
  detail?: string;
}

export function hubItem(t: Words, sync: SyncStatus, timeZone: string): HealthItem {
  const base = { id: 'hub', kind: 'hub' as const };
  if (!sync.configured) return { ...base, tone: 'warn', label: t('stripHubNotConfigured'), problem: t('stripHubNotConfiguredText') };
  if (!sync.online)
    return {
      ...base,
      tone: 'bad',
      label: t('stripHubOffline'),
      problem: t('stripHubOfflineText', { time: sync.lastSuccessAt ? t.dateTime(sync.lastSuccessAt, timeZone) : t('stripNeverSynced'), n: sync.backlog }),
      ...(sync.lastError ? { detail: sync.lastError } : {}),
    };
  if (sync.problems.length > 0)
    return { ...base, tone: 'warn', label: t('stripHubOffline'), problem: t('stripHubProblemsText', { n: sync.problems.length }), detail: sync.problems.map((p) => `#${p.seq} ${p.reason}`).join('\n') };
  if (sync.backlog > 0) return { ...base, tone: 'info', label: t('stripHubSending', { n: sync.backlog }) };
  return { ...base, tone: 'ok', label: sync.lastSuccessAt ? t('stripHubSynced', { time: t.time(sync.lastSuccessAt, timeZone) }) : t('stripHubSyncedNever') };
}

export function deviceItem(t: Words, d: DeviceStatus, timeZone: string): HealthItem | undefined {
  if (!d.enabled || d.state === 'disabled') return undefined;
  const base = { id: d.id, kind: d.kind, label: d.name };
  const detail = [d.lastError, d.detail].filter(Boolean).join(' · ');
  const withDetail = detail ? { detail } : {};
  const since = d.downSince ? t.time(d.downSince, timeZone) : '—';
  if (d.kind === 'printer' && d.paperOut) return { ...base, tone: 'bad', problem: t('stripPrinterPaperText', { name: d.name }), ...withDetail };
  if (d.state === 'down')
    return { ...base, tone: 'bad', problem: t(d.kind === 'reader' ? 'stripReaderDownText' : 'stripPrinterDownText', { name: d.name, time: since }), ...withDetail };
  if (d.state === 'unknown') return { ...base, tone: 'warn', problem: t(d.kind === 'reader' ? 'stripReaderUnknownText' : 'stripPrinterUnknownText', { name: d.name }), ...withDetail };
  return { ...base, tone: 'ok', label: t('stripReady', { name: d.name }) };
}

export function healthItems(t: Words, input: { sync?: SyncStatus; devices?: DeviceStatus[]; timeZone: string }): HealthItem[] {
  const items: HealthItem[] = [];
  if (input.sync) items.push(hubItem(t, input.sync, input.timeZone));
  for (const kind of ['reader', 'printer'] as const)
    for (const d of input.devices ?? []) {
      if (d.kind !== kind) continue;
      const item = deviceItem(t, d, input.timeZone);
      if (item) items.push(item);
    }
  return items;
}

/** Items a clerk should look at: anything that is not working or not known to work. */
export const needsAttention = (items: readonly HealthItem[]): HealthItem[] => items.filter((i) => i.tone === 'bad' || i.tone === 'warn');

/** Whether printing a document now would only queue it: its printer (and its fallback) down. */
export function printerTrouble(devices: readonly DeviceStatus[] | undefined, kind: 'receipt' | 'badge'): PrinterTrouble | undefined {
  const printer = devices?.find((d) => d.kind === 'printer' && d.defaultFor?.includes(kind));
  return printer ? printerTroubleOn(devices, printer.id) : undefined;
}

export interface PrinterTrouble {
  printer: DeviceStatus;
  fallback?: DeviceStatus;
}

/** The same for a job sent to a named printer (a reprint goes where the first print went). */
export function printerTroubleOn(devices: readonly DeviceStatus[] | undefined, printerId: string): PrinterTrouble | undefined {
  const printer = devices?.find((d) => d.kind === 'printer' && d.id === printerId);
  if (!printer || !isBroken(printer)) return undefined;
  const fallback = printer.fallbackId ? devices?.find((d) => d.id === printer.fallbackId) : undefined;
  if (fallback && !isBroken(fallback)) return undefined;
  return fallback ? { printer, fallback } : { printer };
}

const isBroken = (d: DeviceStatus) => d.enabled && (d.state === 'down' || d.paperOut === true);
