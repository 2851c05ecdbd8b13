// Child processes of the tests: the hub (`escale-hub serve` on a SQLite file) and the station CLI,
// run from the compiled dist/ through the package's bin scripts, where the process is what is
// tested (serve and its READY line, signals, SIGKILL). A command run to its end goes through
// runCli (cli.ts), in this process unless asked. Every child started here is remembered, so a test
// file's afterAll can kill whatever is still running.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { root } from './hub-fixture.js';

export const HUB_BIN = path.join(root, 'bin/escale-hub.js');
export const STATION_BIN = path.join(root, 'bin/escale-station.js');

const children = new Set<ChildProcess>();

/** The newest modification time of the TypeScript files under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ when it is missing or older than the sources (`npm test` builds first; a bare
 * `npx vitest run` may not). tsc emits even when an unrelated file has a type error.
 */
let built = false;
export function ensureBuilt(): void {
  if (built) return;
  const buildInfo = path.join(root, 'dist/.tsbuildinfo.node');
  const lastBuild = fs.existsSync(buildInfo) ? fs.statSync(buildInfo).mtimeMs : 0;
  const newest = Math.max(...['main', 'common', 'server'].map((d) => newestSource(path.join(root, d))));
  if (lastBuild < newest) spawnSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' });
  for (const f of ['dist/server/cli/escale-hub.js', 'dist/main/cli/escale-station.js'])
    if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run npx tsc -b`);
  // The bins run the bundled command lines (dist/cli/): bundled again when older than the sources.
  const bundle = path.join(root, 'dist/cli/escale-station.mjs');
  const bundled = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
  if (bundled < newest) spawnSync('npx', ['vite', 'build', '--config', 'scripts/cli-bundle.vite.config.ts'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  for (const f of ['dist/cli/escale-hub.mjs', 'dist/cli/escale-station.mjs'])
    if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run npm run build`);
  built = true;
}

/** A TCP port free on 127.0.0.1 now (for a hub that must come back on the same port). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Child {
  process: ChildProcess;
  /** What it wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal once it has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line matching `pattern`; rejects when the child ends first or at the deadline. */
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node ARGS…`; `stdin`: what the child reads on its standard input (else nothing: /dev/null). */
export function startChild(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Child {
  const child = spawn(process.execPath, args, { cwd: root, stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  children.add(child);
  // A child that exits before reading its input must not fail the test with EPIPE.
  if (options.stdin !== undefined) child.stdin!.on('error', () => undefined).end(options.stdin);
  let out = '';
  let err = '';
  /** Told of each chunk of output and of the end: line() waits on them. */
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    for (const l of listeners) l();
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close', not 'exit': everything it wrote has been read by then.
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const l of listeners) l();
  });
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    // Looked for at each chunk the child writes, not by polling.
    line: (pattern, timeoutMs = 30_000) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = () => {
          const m = out.split('\n').map((l) => pattern.exec(l)).find((x) => x);
          if (m) finish(() => resolve(m));
          else if (ended) finish(() => reject(new Error(`the child ended before printing ${pattern}:\n${out}\n${err}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no line ${pattern} within ${timeoutMs} ms:\n${out}\n${err}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      }),
    kill: async (signal = 'SIGTERM') => {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}

/** `escale-hub serve` on a SQLite file and a port; resolves once it printed READY. */
export async function spawnHub(file: string, port: number, adminToken: string): Promise<Child & { url: string }> {
  // The admin token in the environment: never on a command line.
  const child = startChild([HUB_BIN, 'serve', '--db', file, '--port', String(port)], { env: { ESCALE_HUB_ADMIN_TOKEN: adminToken } });
  const ready = await child.line(/^READY (\S+)/);
  return Object.assign(child, { url: ready[1]! });
}

/** Kills every child still running (afterAll). */
export async function killChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}
