// Whether pcscd is there to talk to. The PC/SC binding must never create a context without it:
// SCardEstablishContext then blocks the binding's thread (the whole process here) or spins at
// 100 % CPU. The test is a connection to pcscd's socket, not only its file: a pcscd killed hard
// leaves the file behind.
import net from 'node:net';

/** libpcsclite's client socket; PCSCLITE_CSOCK_NAME moves it, as it does for the library. */
export function pcscdSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';
}

/** Resolves true when something accepts connections on pcscd's socket within `timeoutMs`. */
export function pcscdAnswers(socketPath = pcscdSocketPath(), timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    const done = (up: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(up);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
