// A watched child process holding a native binding that may hang (the PC/SC one), behind a small
// interface: under Node it is forked (node:child_process); in the packaged Electron app, whose
// RunAsNode fuse is off (so fork cannot start Node), the shell gives a launcher built on Electron's
// utilityProcess. The station core and the readers never know which.
import { fork } from 'node:child_process';

export interface WatchedChild {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** What the child writes on stderr, as text. */
  onStderr(listener: (text: string) => void): void;
  /** Ends it at once (SIGKILL where the platform has it): a hung native call must not survive. */
  kill(): void;
  readonly exited: boolean;
}

export type ChildLauncher = (modulePath: string) => WatchedChild;

export const forkChild: ChildLauncher = (modulePath) => {
  const child = fork(modulePath, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], serialization: 'json' });
  let exited = false;
  child.on('exit', () => (exited = true));
  // A write to a child that just died fails with EPIPE: its exit is what tells the reader.
  child.on('error', () => undefined);
  return {
    send: (m) => void (child.connected && child.send(m as object)),
    onMessage: (l) => void child.on('message', l),
    onExit: (l) => void child.on('exit', (code, signal) => l(code, signal)),
    onStderr: (l) => void child.stderr?.on('data', (chunk: Buffer) => l(chunk.toString())),
    kill: () => void child.kill('SIGKILL'),
    get exited() {
      return exited || child.exitCode !== null || child.signalCode !== null;
    },
  };
};
