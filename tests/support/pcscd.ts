// The real pcscd for the PC/SC tests, never a mock: the one already running (CI starts it, a
// desktop runs it as a service), or one started here in the foreground (`pcscd -f`) and waited for
// on its socket, as tests/support/postgres.ts starts its own cluster. Its virtual readers come from
// Debian's vsmartcard-vpcd driver (/etc/reader.conf.d/vpcd). When neither is possible the test
// fails with the reason: scripts/debian-packages.sh installs pcscd and vsmartcard-vpcd.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pcscdAnswers } from '../../main/hardware/readers/pcsc/pcscd.js';
import { ensureBuilt } from './processes.js';
import { waitFor } from './wait.js';

const HOW_TO_FIX = 'install the Debian packages pcscd, libpcsclite-dev and vsmartcard-vpcd (bash scripts/debian-packages.sh)';
const PID_FILE = '/run/pcscd/pcscd.pid';

function fail(message: string): never {
  throw new Error(`pcscd for the tests: ${message}.\nTo fix: ${HOW_TO_FIX}.`);
}

/** waitFor, failing with how to fix this machine. */
async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  await waitFor(condition, what, { timeoutMs: 15_000, intervalMs: 50 }).catch((e: unknown) => fail((e as Error).message));
}

function pcscdBinary(): string {
  for (const p of ['/usr/sbin/pcscd', '/sbin/pcscd']) if (fs.existsSync(p)) return p;
  const which = spawnSync('which', ['pcscd'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  return fail('no pcscd binary');
}

/**
 * The compiled PC/SC child process: the tests run the station from its TypeScript sources, but a
 * child process runs plain JavaScript, from dist/ (built here if it is older than the sources).
 */
export function pcscChildModule(): string {
  ensureBuilt();
  return path.resolve('dist/main/hardware/readers/pcsc/pcsc-child.js');
}

export interface TestPcscd {
  /** Whether this test file started it (and stops it at the end). */
  startedHere: boolean;
  /** Stops pcscd (whoever started it), waiting until its socket no longer answers. */
  stop(): Promise<void>;
  /** Starts pcscd again (here, in the foreground), waiting until its socket answers. */
  start(): Promise<void>;
  /** Stops pcscd if this file started it. */
  close(): Promise<void>;
}

function pcscdPid(): number | undefined {
  try {
    // pcscd writes its pid followed by a newline and a NUL.
    const pid = Number(fs.readFileSync(PID_FILE, 'utf8').replace(/[^0-9]/g, ''));
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function startHere(): Promise<void> {
  if (!fs.existsSync('/etc/reader.conf.d/vpcd')) fail('the virtual reader driver is not configured (no /etc/reader.conf.d/vpcd)');
  // Detached: its life is the test file's (stopped in close()), not tied to a worker's stdio.
  const child = spawn(pcscdBinary(), ['-f'], { detached: true, stdio: 'ignore' });
  child.unref();
  await until('pcscd to answer on its socket', () => pcscdAnswers());
}

async function stopAny(): Promise<void> {
  const pid = pcscdPid();
  if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGTERM');
  await until('pcscd to stop', async () => !(await pcscdAnswers()) && (pid === undefined || !alive(pid)));
}

export async function ensurePcscd(): Promise<TestPcscd> {
  let startedHere = false;
  if (!(await pcscdAnswers())) {
    await startHere();
    startedHere = true;
  }
  return {
    get startedHere() {
      return startedHere;
    },
    stop: stopAny,
    start: async () => {
      await startHere();
      startedHere = true;
    },
    close: async () => {
      if (startedHere) await stopAny();
    },
  };
}
