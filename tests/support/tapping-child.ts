// The victim of the crash test (tests/station/crash.test.ts): opens the station on the data
// folder given as its first argument and taps random active badges as fast as it can, forever.
// Only after a tap's result is returned (its transaction committed) does it write one JSON line
// to stdout: {"outcome","visitId","uid"}. The parent kills it with SIGKILL at a random moment.
//
//   node dist/tests/support/tapping-child.js DATA_DIR [CLOCK_OFFSET_MS]
//
// CLOCK_OFFSET_MS is added to the system clock, so every run of the child taps on the same
// (test-chosen) morning, whatever the real date, and never crosses a closing time.
import { openStation } from '../../main/station/station.js';
import { createStationApi } from '../../main/station/api.js';
import { contextOf } from '../../main/station/context.js';

function say(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

async function main(): Promise<void> {
  const [dataDir, offsetArg] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: tapping-child DATA_DIR [CLOCK_OFFSET_MS]');
  const offset = Number(offsetArg ?? 0);
  const station = openStation({ dataDir, clock: { now: () => Date.now() + offset }, settings: { tapWindowMs: 0 } });
  const api = createStationApi(station);
  const uids = (
    contextOf(station).db
      .prepare(`SELECT b.uid FROM badge b JOIN member m ON m.id = b.member_id WHERE b.status = 'active' AND m.status = 'active' ORDER BY b.uid`)
      .all() as { uid: string }[]
  ).map((r) => r.uid);
  if (uids.length === 0) throw new Error(`no active badge in ${dataDir}`);
  say({ ready: true, pid: process.pid, badges: uids.length });
  for (let n = 1; ; n++) {
    const uid = uids[Math.floor(Math.random() * uids.length)]!;
    const result = await api.tap({ uid });
    // The tap's transaction is committed once its result is here: only now is it reported done.
    if (result.ok) {
      const r = result.value;
      say({ outcome: r.outcome, visitId: 'visit' in r ? r.visit.visitId : 'visitId' in r ? r.visitId : null, uid });
    } else {
      say({ outcome: 'error', uid, error: result.error });
    }
    // Let the event loop run now and then, so stdout is flushed to the parent as we go.
    if (n % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`tapping-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
