// Where a "file printer" may write: a printer's device node (/dev/usb/lp0, a serial port), or a
// file a supervisor allowed from the command line. Nothing else — a printer configured on
// ~/.bashrc would otherwise be a way to write commands into a shell's start-up file. The path is
// resolved (symlinks followed) when the printer is configured and again every time it is opened,
// and the file is opened without O_CREAT: a printer never creates a file.
import fs from 'node:fs';
import path from 'node:path';
import { StationFailure } from '../errors.js';
import { iso, sql, writeTransaction, type StationContext } from '../context.js';

/** Printer and serial device nodes, as the kernel names them (a /dev/serial/by-id link resolves to one). */
const PRINTER_DEVICE_NODE = /^\/dev\/(usb\/lp\d+|lp\d+|tty(S|USB|ACM)\d+|usb\/tty[A-Za-z0-9]+)$/;

export interface PrinterFileCheck {
  /** The resolved path to open. */
  realPath: string;
}

/**
 * Why `target` may not be a file printer, or the path to open. `allowed` holds the resolved paths
 * the command line allowed.
 */
export function checkPrinterFile(target: string, allowed: ReadonlySet<string>): PrinterFileCheck | { problem: string } {
  if (!path.isAbsolute(target)) return { problem: `${target} is not an absolute path: give the device node, such as /dev/usb/lp0.` };
  let realPath: string;
  try {
    realPath = fs.realpathSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return { problem: `${target} does not exist (${code}): plug the printer in, or give its device node, such as /dev/usb/lp0.` };
  }
  if (allowed.has(realPath)) return { realPath };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(realPath);
  } catch (e) {
    return { problem: `${target} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).` };
  }
  if (stat.isCharacterDevice() && PRINTER_DEVICE_NODE.test(realPath)) return { realPath };
  return {
    problem:
      `${target} is not a printer's device node (/dev/usb/lp…, a serial port) nor a file allowed for printing. ` +
      `An operator can allow it at the station with: escale-station devices allow-file --data DIR ${realPath}`,
  };
}

/** Opens a checked file printer for writing, appending, never creating (O_NOFOLLOW: the checked path itself). */
export async function openPrinterFile(target: string, allowed: ReadonlySet<string>): Promise<fs.promises.FileHandle> {
  const check = checkPrinterFile(target, allowed);
  if ('problem' in check) throw new Error(check.problem);
  const { O_WRONLY, O_APPEND, O_NOCTTY, O_NOFOLLOW } = fs.constants;
  return fs.promises.open(check.realPath, O_WRONLY | O_APPEND | O_NOCTTY | O_NOFOLLOW);
}

/**
 * A serial printer or reader must be a character device (a real port, or a pty): serialport on a
 * regular file fails anyway, but it is said plainly here, before anything is opened.
 */
export function checkSerialDevice(target: string): string | undefined {
  try {
    const real = fs.realpathSync(target);
    if (!fs.statSync(real).isCharacterDevice()) return `${target} is not a serial port (a character device such as /dev/ttyUSB0).`;
    return undefined;
  } catch {
    // Not plugged in yet: the device manager reports it as down and retries.
    return undefined;
  }
}

// ---- the command line's allow-list, kept in the station database ------------------------------


export function allowedPrinterFiles(ctx: StationContext): Set<string> {
  return new Set((sql(ctx.db, 'SELECT path FROM printer_file_allow ORDER BY path').all() as { path: string }[]).map((r) => r.path));
}

/** Adds (or removes) a file the station may print to; the file must exist (a printer never creates one). */
export function allowPrinterFile(ctx: StationContext, target: string | undefined, remove: boolean): { paths: string[] } {
  if (target !== undefined) {
    if (!path.isAbsolute(target)) throw new StationFailure('INVALID_INPUT', `path: ${target} is not an absolute path.`, undefined, 'path');
    if (remove) {
      writeTransaction(ctx, () => {
        sql(ctx.db, 'DELETE FROM printer_file_allow WHERE path = ?').run(target);
        const real = fs.existsSync(target) ? fs.realpathSync(target) : target;
        sql(ctx.db, 'DELETE FROM printer_file_allow WHERE path = ?').run(real);
      });
    } else {
      let real: string;
      try {
        real = fs.realpathSync(target);
      } catch (e) {
        throw new StationFailure('NOT_FOUND', `path: ${target} does not exist (${(e as NodeJS.ErrnoException).code ?? 'error'}); create it first: a printer never creates a file.`, undefined, 'path');
      }
      if (!fs.statSync(real).isFile() && !fs.statSync(real).isCharacterDevice() && !fs.statSync(real).isFIFO())
        throw new StationFailure('INVALID_INPUT', `path: ${target} is a folder or a socket, not a file a printer can write.`, undefined, 'path');
      writeTransaction(ctx, () => sql(ctx.db, 'INSERT OR IGNORE INTO printer_file_allow (path, added_at) VALUES (?, ?)').run(real, iso(ctx.clock.now())));
    }
  }
  return { paths: [...allowedPrinterFiles(ctx)] };
}

/** Refuses a printer or reader configuration that would write (or read) where it must not. */
export function checkDeviceConnection(ctx: StationContext, connection: { type: string; path?: string }): void {
  if (connection.type === 'file' && connection.path !== undefined) {
    const check = checkPrinterFile(connection.path, allowedPrinterFiles(ctx));
    if ('problem' in check) throw new StationFailure('INVALID_INPUT', `config.connection.path: ${check.problem}`, undefined, 'config.connection.path');
  }
  if (connection.type === 'serial' && connection.path !== undefined) {
    const problem = checkSerialDevice(connection.path);
    if (problem) throw new StationFailure('INVALID_INPUT', `config.connection.path: ${problem}`, undefined, 'config.connection.path');
  }
}
