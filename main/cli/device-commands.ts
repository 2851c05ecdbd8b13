// `escale-station devices …` and `escale-station print …`: device configuration and printing from
// the command line, over the same station API.
import fs from 'node:fs';
import path from 'node:path';
import type { StationMethod } from '../../common/station-api.js';
import { UsageError } from './usage-error.js';

export const DEVICES_USAGE = `  escale-station devices list    --data DIR
  escale-station devices reader  --data DIR ID (--serial PATH --framing em4100|line | --hid VID:PID [--raw]
                                 | --pcsc [--pcsc-reader NAME]... [--no-eid] | --window)
                                 [--name NAME] [--uid-format JSON] [--layout qwerty|azerty|qwertz] [--kiosk] [--disabled]
                                 (--window: a keyboard-wedge reader typing into the kiosk page;
                                 --layout: the layout a keyboard-wedge reader is itself set to;
                                 --kiosk: the reader stands at the kiosk and always taps; a desk
                                 reader's reads go to a reception form waiting for a card)
  escale-station devices printer --data DIR ID (--tcp HOST[:PORT] | --serial PATH | --file PATH)
                                 [--name NAME] [--zpl] [--roles receipt,badge] [--fallback ID] [--disabled]
  escale-station devices set     --data DIR JSON|@FILE   (a whole device configuration)
  escale-station devices remove  --data DIR ID
  escale-station devices allow-file --data DIR PATH [--remove]
                                 (a file a --file printer may write besides /dev/usb/lp* and serial
                                 ports; the file must exist; without PATH: the list)
  escale-station print receipt|badge --data DIR VISIT_ID [--printer ID]
  escale-station print test    --data DIR PRINTER_ID
  escale-station print reprint --data DIR JOB_ID [--printer ID]
  escale-station print jobs    --data DIR [--visit VISIT_ID]
  escale-station run           --data DIR   (runs the readers and printers until stopped)`;

export interface DeviceFlags {
  serial?: string | undefined;
  framing?: string | undefined;
  hid?: string | undefined;
  raw?: boolean | undefined;
  pcsc?: boolean | undefined;
  'pcsc-reader'?: string[] | undefined;
  'no-eid'?: boolean | undefined;
  kiosk?: boolean | undefined;
  tcp?: string | undefined;
  file?: string | undefined;
  name?: string | undefined;
  zpl?: boolean | undefined;
  roles?: string | undefined;
  fallback?: string | undefined;
  disabled?: boolean | undefined;
  'uid-format'?: string | undefined;
  window?: boolean | undefined;
  layout?: string | undefined;
  printer?: string | undefined;
  visit?: string | undefined;
  remove?: boolean | undefined;
}

const bad = (message: string): never => {
  throw new UsageError(`${message}\n\n${DEVICES_USAGE}`);
};

function json(text: string, what: string): unknown {
  const source = text.startsWith('@') ? fs.readFileSync(text.slice(1), 'utf8') : text;
  try {
    return JSON.parse(source);
  } catch (e) {
    return bad(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

function hex16(text: string): number {
  const n = Number.parseInt(text, 16);
  if (!/^(0x)?[0-9a-f]{1,4}$/i.test(text) || Number.isNaN(n)) bad(`"${text}" is not a 16-bit hex id such as 072f`);
  return n;
}

export function deviceRequest(args: string[], f: DeviceFlags): { method: StationMethod; input: unknown } {
  const [sub, id, ...rest] = args;
  void rest;
  const common = (kind: string) => ({ id, kind, name: f.name ?? id, enabled: !f.disabled });
  switch (sub) {
    case 'list':
    case 'status':
      return { method: 'devices', input: {} };
    case 'remove':
      return { method: 'removeDevice', input: { id: id ?? bad('Missing the device id.') } };
    case 'allow-file':
      return { method: 'allowPrinterFile', input: { ...(id ? { path: path.resolve(id) } : {}), remove: f.remove ?? false } };
    case 'set':
      return { method: 'configureDevice', input: { config: json(id ?? bad('Missing the configuration JSON.'), 'The configuration') } };
    case 'reader': {
      if (!id) bad('Missing the reader id.');
      let connection: unknown;
      if (f.serial) connection = { type: 'serial', path: f.serial, framing: f.framing ?? bad('--framing em4100|line is needed for a serial reader.') };
      else if (f.hid) {
        const [vid, pid] = f.hid.split(':');
        connection = { type: 'hid', vendorId: hex16(vid ?? ''), productId: hex16(pid ?? ''), mode: f.raw ? 'raw' : 'keyboard', ...(f.layout ? { keyboardLayout: f.layout } : {}) };
      } else if (f.pcsc) connection = { type: 'pcsc', readers: f['pcsc-reader'] ?? [], eid: !f['no-eid'] };
      else if (f.window) connection = { type: 'window', ...(f.layout ? { keyboardLayout: f.layout } : {}) };
      else bad('Give --serial PATH, --hid VID:PID, --pcsc or --window.');
      return {
        method: 'configureDevice',
        input: { config: { ...common('reader'), connection, place: f.kiosk ? 'kiosk' : 'desk', ...(f['uid-format'] ? { uidFormat: json(f['uid-format'], '--uid-format') } : {}) } },
      };
    }
    case 'printer': {
      if (!id) bad('Missing the printer id.');
      let connection: unknown;
      if (f.tcp) {
        const [host, port] = f.tcp.split(':');
        connection = { type: 'tcp', host, ...(port ? { port: Number(port) } : {}) };
      } else if (f.serial) connection = { type: 'serial', path: f.serial };
      else if (f.file) connection = { type: 'file', path: f.file };
      else bad('Give --tcp HOST[:PORT], --serial PATH or --file PATH.');
      return {
        method: 'configureDevice',
        input: {
          config: {
            ...common('printer'),
            connection,
            ...(f.zpl ? { language: 'zpl', roles: ['badge'] } : {}),
            ...(f.roles ? { roles: f.roles.split(',') } : {}),
            ...(f.fallback ? { fallbackId: f.fallback } : {}),
          },
        },
      };
    }
    default:
      return bad(`Unknown devices command "${sub ?? ''}".`);
  }
}

export function printRequest(args: string[], f: DeviceFlags): { method: StationMethod; input: unknown } {
  const [sub, id] = args;
  const printer = f.printer ? { printerId: f.printer } : {};
  switch (sub) {
    case 'receipt':
      return { method: 'printReceipt', input: { visitId: id ?? bad('Missing the visit id.'), ...printer } };
    case 'badge':
      return { method: 'printBadge', input: { visitId: id ?? bad('Missing the visit id.'), ...printer } };
    case 'test':
      return { method: 'testPrint', input: { printerId: id ?? bad('Missing the printer id.') } };
    case 'reprint':
      return { method: 'reprint', input: { jobId: id ?? bad('Missing the job id.'), ...printer } };
    case 'jobs':
      return { method: 'printJobs', input: { ...(f.visit ? { visitId: f.visit } : {}) } };
    default:
      return bad(`Unknown print command "${sub ?? ''}".`);
  }
}
