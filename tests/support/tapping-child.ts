// The victim of the crash test (tests/station/crash.test.ts): opens the station on the data
// folder given as its first argument and taps random active badges as fast as it can, forever.
// Only after a tap's result is returned (its transaction committed) does it write one JSON line
// to stdout: {"outcome","visitId","uid"}. The parent kills it with SIGKILL at a random moment.
//
//   node dist/tests/support/tapping-child.js DATA_DIR [CLOCK_OFFSET_MS]
//
// CLOCK_OFFSET_MS is added to the system clock, so every run of the child taps on the same
// (test-chosen) morning, whatever the real date, and never crosses a closing time.
import { flush, openVictimStation, say } from './victim-station.js';

async function main(): Promise<void> {
  const { api, uids } = openVictimStation(process.argv.slice(2), 'tapping-child DATA_DIR [CLOCK_OFFSET_MS]');
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
    if (n % 16 === 0) await flush();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`tapping-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
