// What a reader reads from: a stream of bytes (serial) or of reports (HID). The real drivers are
// serialport and node-hid; tests and other hosts inject their own openers.
import { createSerialPort } from '../serial-port.js';

export interface ByteSource {
  onData(listener: (chunk: Uint8Array) => void): void;
  /** Called once when the source goes away (unplugged, pty closed, driver error). */
  onClose(listener: (error?: Error) => void): void;
  close(): Promise<void>;
}

export type SerialOpener = (path: string, baudRate: number) => Promise<ByteSource>;
export type HidOpener = (vendorId: number, productId: number) => Promise<ByteSource>;

/** Opens a serial port with serialport 13. A pty from socat works as well as a USB-CDC reader. */
export const openSerialPort: SerialOpener = async (path, baudRate) => {
  const port = await createSerialPort(path, baudRate);
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  let closed = false;
  const closeListeners: ((e?: Error) => void)[] = [];
  const fire = (e?: Error) => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l(e);
  };
  port.on('close', (e?: Error) => fire(e ?? undefined));
  port.on('error', (e: Error) => {
    fire(e);
    if (port.isOpen) port.close(() => undefined);
  });
  return {
    onData: (listener) => port.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))),
    onClose: (listener) => closeListeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
};

/** Opens a HID device with node-hid 3 (needs libusb-1.0-0 at run time), loaded only when used. */
export const openHidDevice: HidOpener = async (vendorId, productId) => {
  const HID = await import('node-hid');
  const device = await HID.HIDAsync.open(vendorId, productId);
  let closed = false;
  const closeListeners: ((e?: Error) => void)[] = [];
  device.on('error', (e: Error) => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l(e);
    void device.close().catch(() => undefined);
  });
  return {
    onData: (listener) => device.on('data', (report: Buffer) => listener(new Uint8Array(report))),
    onClose: (listener) => closeListeners.push(listener),
    close: async () => {
      closed = true;
      await device.close();
    },
  };
};

/** Lists serial ports; where udev is absent (containers, CI) listing fails: answer an empty list. */
export async function listSerialPorts(): Promise<{ path: string; manufacturer?: string }[]> {
  try {
    const { SerialPort } = await import('serialport');
    return (await SerialPort.list()).map((p) => ({ path: p.path, ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}) }));
  } catch {
    return [];
  }
}
