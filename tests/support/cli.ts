// Running the command lines in tests, both flavours behind one call:
//   - in this process (the default): the CLI's exported main(argv, deps) from the TypeScript
//     sources, its standard output, error and input captured — no process to start, no build;
//   - spawned (`spawn: true`): node bin/escale-station.js or bin/escale-hub.js on the compiled
//     dist/, for the tests where the process boundary is what is tested (exit codes of the real
//     process, a secret on its standard input, the bin scripts themselves).
// Long-running commands (serve, run) and signals use startChild (processes.ts).
import { main as stationMain } from '../../main/cli/escale-station.js';
import { main as hubMain, type AccountsFactory } from '../../server/cli/escale-hub.js';
import { HUB_BIN, STATION_BIN, ensureBuilt, startChild } from './processes.js';

export type CliName = 'escale-station' | 'escale-hub';

export interface CliOptions {
  /** As a child process through the package's bin, instead of in this process. */
  spawn?: boolean;
  /** What the CLI finds on its standard input (a PIN, a hub credential). */
  stdin?: string;
  /** Added to the environment the CLI sees. */
  env?: Record<string, string>;
  /** escale-hub's accounts engine (in this process only; default: the CLI's own). */
  accounts?: AccountsFactory | null;
  /** In this process: standard output says it is a terminal (escale-hub refuses a PDF to one). */
  tty?: boolean;
  /** Spawned: killed after this long (default 60 s). */
  timeoutMs?: number;
}

export interface CliRun {
  /** The exit code. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Standard output as bytes (a PDF). */
  bytes: Buffer;
}

/** Runs `cli` with `args` to its end; what it printed and its exit code. */
export async function runCli(cli: CliName, args: string[], options: CliOptions = {}): Promise<CliRun> {
  return options.spawn ? spawned(cli, args, options) : inProcess(cli, args, options);
}

async function inProcess(cli: CliName, args: string[], options: CliOptions): Promise<CliRun> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = { write: (c: string | Uint8Array) => out.push(Buffer.from(c)), isTTY: options.tty ?? false };
  const stderr = { write: (c: string | Uint8Array) => err.push(Buffer.from(c)) };
  const env = { ...process.env, ...options.env };
  const status =
    cli === 'escale-station'
      ? await stationMain(args, { stdout, stderr, env, stdin: () => options.stdin ?? '' })
      : await hubMain(args, { stdout, stderr, env, ...(options.accounts !== undefined ? { accounts: options.accounts } : {}) });
  const bytes = Buffer.concat(out);
  return { status, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), bytes };
}

async function spawned(cli: CliName, args: string[], options: CliOptions): Promise<CliRun> {
  if (options.accounts !== undefined || options.tty !== undefined) throw new Error('accounts and tty are for in-process runs');
  ensureBuilt();
  const child = startChild([cli === 'escale-station' ? STATION_BIN : HUB_BIN, ...args], { ...(options.env ? { env: options.env } : {}), ...(options.stdin !== undefined ? { stdin: options.stdin } : {}) });
  const timer = setTimeout(() => child.process.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const { code } = await child.exited;
  clearTimeout(timer);
  return { status: code, stdout: child.stdout(), stderr: child.stderr(), bytes: Buffer.from(child.stdout(), 'utf8') };
}

/** The answer of a command run with --json: `{ ok, value }` or `{ ok, error }`. */
export interface JsonAnswer {
  ok: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  value?: any;
  error?: { code: string; message: string; detail?: string };
}

/**
 * Runs escale-station with --json; its exit status and parsed answer. A bad command line (exit 2)
 * prints no JSON: its answer is `{ ok: false }` and the usage is in `stderr`.
 */
export async function stationJson(args: string[], options: CliOptions = {}): Promise<{ status: number | null; result: JsonAnswer; stderr: string }> {
  const r = await runCli('escale-station', [...args, '--json'], options);
  if (r.status === 2) return { status: r.status, result: { ok: false }, stderr: r.stderr };
  try {
    return { status: r.status, result: JSON.parse(r.stdout) as JsonAnswer, stderr: r.stderr };
  } catch {
    throw new Error(`escale-station ${args.join(' ')}: not JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
}

/** Runs escale-hub (which prints JSON by itself); what it printed, parsed when it succeeded. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function hubJson(args: string[], options: CliOptions = {}): Promise<CliRun & { value: any }> {
  const r = await runCli('escale-hub', args, options);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let value: any;
  if (r.status === 0 && /^[[{]/.test(r.stdout.trim())) value = JSON.parse(r.stdout);
  return { ...r, value };
}
