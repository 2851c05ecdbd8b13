// A serialport 13 port that notices when its device goes away.
//
// serialport's own read (@serialport/bindings-cpp 13, unix) retries a read of 0 bytes at once, for
// ever. On a tty opened with VMIN=1, as serialport opens it, 0 bytes is end of file: the kernel hung
// the tty up because the USB device was unplugged, or the other end of a pty closed. Left alone,
// the port spins a core at 100 % and never reports the loss, so an unplugged reader is never shown
// down nor reopened (seen on socat ptys: one unplug in four, when bytes arrived just before it).
// Here a read of 0 bytes ends the read with an error, which serialport reports as a disconnect:
// 'close' with a DisconnectedError.
import fs from 'node:fs';
import { promisify } from 'node:util';
import type { SerialPort as SerialPortClass } from 'serialport';

const fsRead = promisify(fs.read);

type Binding = (typeof SerialPortClass)['binding'];
type ReadResult = { buffer: Buffer; bytesRead: number };

/** What the unix port bindings (Linux, macOS) declare: the file descriptor and its poller. */
interface UnixPort {
  fd: number | null;
  poller: { once(event: 'readable', callback: (err: Error | null) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<ReadResult>;
}

const isUnixPort = (port: object): port is UnixPort => 'fd' in port && 'poller' in port && typeof (port as UnixPort).poller?.once === 'function';

const canceled = () => Object.assign(new Error('Port is not open'), { canceled: true });

/** The read of serialport's unix binding, but a read of 0 bytes is the end: the device hung up. */
async function readUntilHangup(port: UnixPort, buffer: Buffer, offset: number, length: number): Promise<ReadResult> {
  for (;;) {
    if (port.fd === null) throw canceled();
    let bytesRead: number;
    try {
      ({ bytesRead } = await fsRead(port.fd, buffer, offset, length, null));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw e;
      if (port.fd === null) throw canceled();
      await new Promise<void>((resolve, reject) => port.poller.once('readable', (err) => (err ? reject(err) : resolve())));
      continue;
    }
    if (bytesRead === 0) throw Object.assign(new Error('the device hung up (unplugged, or the other end closed)'), { disconnect: true });
    return { bytesRead, buffer };
  }
}

function hangupAware(binding: Binding): Binding {
  return {
    list: () => binding.list(),
    open: async (options: Parameters<Binding['open']>[0]) => {
      const port = await (binding.open as (o: typeof options) => Promise<object>)(options);
      if (isUnixPort(port)) port.read = (buffer, offset, length) => readUntilHangup(port, buffer, offset, length);
      return port;
    },
  } as Binding;
}

let binding: Binding | undefined;

/** A serialport SerialPort, not yet open, whose loss is reported as a 'close' with an error. */
export async function createSerialPort(path: string, baudRate: number): Promise<SerialPortClass> {
  const { SerialPort } = await import('serialport');
  binding ??= hangupAware(SerialPort.binding);
  // SerialPort's options type leaves `binding` out, but SerialPort passes it on to the stream.
  return new SerialPort({ path, baudRate, autoOpen: false, ...({ binding } as object) });
}
