// How bytes reach a printer: raw TCP (port 9100), a serial port, or a device file such as
// /dev/usb/lp0. A connection can also ask the printer a question (ESC/POS status) and wait for
// the answer — the file transport cannot, so it answers undefined.
import net from 'node:net';
import type { PrinterConfig } from '../../../common/devices.js';
import { createSerialPort } from '../serial-port.js';
import { openPrinterFile } from '../../station/devices/printer-files.js';

export interface PrinterConnection {
  write(bytes: Uint8Array): Promise<void>;
  /** Sends `bytes` and resolves with the next `length` bytes the printer sends back. */
  ask(bytes: Uint8Array, length: number, timeoutMs: number): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}

/** `allowedFiles`: the files the command line allowed as file printers, besides device nodes. */
export type PrinterConnector = (connection: PrinterConfig['connection'], timeoutMs: number, allowedFiles?: ReadonlySet<string>) => Promise<PrinterConnection>;

/** Collects what the printer sends back and hands it to whoever asked. */
class Answers {
  private buffer: number[] = [];
  private waiter: { length: number; resolve: (b: Uint8Array) => void } | undefined;
  push(chunk: Uint8Array) {
    this.buffer.push(...chunk);
    this.settle();
  }
  wait(length: number, timeoutMs: number, onTimeout: () => void): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        onTimeout();
        reject(new Error(`the printer did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        length,
        resolve: (b) => {
          clearTimeout(timer);
          resolve(b);
        },
      };
      this.settle();
    });
  }
  /** The connection broke: whoever waits gets a short answer and reports the break. */
  fail() {
    this.buffer = [];
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve(new Uint8Array(0));
  }
  discard() {
    this.buffer = [];
  }
  private settle() {
    if (this.waiter && this.buffer.length >= this.waiter.length) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(Uint8Array.from(this.buffer.splice(0, w.length)));
    }
  }
}

function tcp(host: string, port: number, timeoutMs: number): Promise<PrinterConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const answers = new Answers();
    let broken: Error | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.on('error', (e) => {
        broken = e;
        answers.fail();
      });
      socket.on('close', () => {
        broken ??= new Error(`${host}:${port} closed the connection`);
        answers.fail();
      });
      socket.on('data', (chunk) => answers.push(chunk));
      const write = (bytes: Uint8Array) =>
        new Promise<void>((res, rej) => {
          if (broken) return rej(broken);
          socket.write(bytes, (err) => (err ? rej(err) : res()));
        });
      resolve({
        write,
        ask: async (bytes, length, askTimeout) => {
          answers.discard();
          const answer = answers.wait(length, askTimeout, () => undefined);
          await write(bytes);
          const got = await answer;
          if (got.length < length) throw broken ?? new Error('the printer closed the connection');
          return got;
        },
        close: () =>
          new Promise<void>((res) => {
            if (socket.destroyed) return res();
            socket.end(() => res());
            setTimeout(() => {
              socket.destroy();
              res();
            }, 500).unref();
          }),
      });
    });
  });
}

async function serial(path: string, baudRate: number, timeoutMs: number): Promise<PrinterConnection> {
  const port = await createSerialPort(path, baudRate);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path} did not open within ${timeoutMs} ms`)), timeoutMs);
    port.open((err) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    });
  });
  const answers = new Answers();
  let broken: Error | undefined;
  port.on('data', (chunk: Buffer) => answers.push(chunk));
  port.on('error', (e: Error) => {
    broken = e;
    answers.fail();
  });
  port.on('close', () => {
    broken ??= new Error(`${path} closed`);
    answers.fail();
  });
  const write = (bytes: Uint8Array) =>
    new Promise<void>((res, rej) => {
      if (broken) return rej(broken);
      port.write(Buffer.from(bytes), (err) => {
        if (err) return rej(err);
        port.drain((e) => (e ? rej(e) : res()));
      });
    });
  return {
    write,
    ask: async (bytes, length, askTimeout) => {
      answers.discard();
      const answer = answers.wait(length, askTimeout, () => undefined);
      await write(bytes);
      const got = await answer;
      if (got.length < length) throw broken ?? new Error(`${path} closed`);
      return got;
    },
    close: () => new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res())),
  };
}

async function deviceFile(path: string, allowedFiles: ReadonlySet<string>): Promise<PrinterConnection> {
  // Checked again at every open: a path that was a device node may have become a link elsewhere.
  const handle = await openPrinterFile(path, allowedFiles);
  return {
    write: async (bytes) => {
      await handle.write(bytes);
      // The kernel has it; for a character device there is nothing more to wait for.
      await handle.sync().catch(() => undefined);
    },
    ask: async () => undefined,
    close: () => handle.close(),
  };
}

export const connectPrinter: PrinterConnector = (c, timeoutMs, allowedFiles = new Set()) => {
  switch (c.type) {
    case 'tcp':
      return tcp(c.host, c.port, timeoutMs);
    case 'serial':
      return serial(c.path, c.baudRate, timeoutMs);
    case 'file':
      return deviceFile(c.path, allowedFiles);
  }
};
