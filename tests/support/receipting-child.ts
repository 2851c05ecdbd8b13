// The victim of the receipt-number crash test (tests/station/receipt-numbers.test.ts): opens the
// station on the data folder given as its first argument and, forever, checks a member in or out
// by a random badge and prints that visit's receipt. Only once printReceipt has returned (its
// transaction committed) does it write one JSON line to stdout: {"visitId","jobId"}. The parent
// kills it with SIGKILL at a random moment. In `pay` mode it instead registers a walk-in guest,
// adds a coffee and takes the payment in cash (which queues the numbered paid receipt in the same
// transaction), and reports {"visitId","paymentId","jobId"}.
//
//   node dist/tests/support/receipting-child.js DATA_DIR CLOCK_OFFSET_MS [tap|pay]
import { openStation } from '../../main/station/station.js';
import { createStationApi } from '../../main/station/api.js';
import { contextOf } from '../../main/station/context.js';

function say(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

async function main(): Promise<void> {
  const [dataDir, offsetArg, mode = 'tap'] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: receipting-child DATA_DIR [CLOCK_OFFSET_MS]');
  const offset = Number(offsetArg ?? 0);
  const station = openStation({ dataDir, clock: { now: () => Date.now() + offset }, settings: { tapWindowMs: 0 } });
  const api = createStationApi(station);
  const uids = (
    contextOf(station).db
      .prepare(`SELECT b.uid FROM badge b JOIN member m ON m.id = b.member_id WHERE b.status = 'active' AND m.status = 'active' ORDER BY b.uid`)
      .all() as { uid: string }[]
  ).map((r) => r.uid);
  if (uids.length === 0) throw new Error(`no active badge in ${dataDir}`);
  say({ ready: true, pid: process.pid });
  if (mode === 'pay') {
    for (let n = 1; ; n++) {
      const guest = await api.registerGuest({ firstName: 'Lou', lastName: `Passant ${n}`, consent: true });
      if (!guest.ok) throw new Error(`registerGuest: ${JSON.stringify(guest.error)}`);
      const visitId = guest.value.visitId;
      const coffee = await api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 1 });
      if (!coffee.ok) throw new Error(`addConsumption: ${JSON.stringify(coffee.error)}`);
      const paid = await api.recordPayment({ visitId, method: 'cash', tenderedCents: 1000 });
      if (!paid.ok) throw new Error(`recordPayment: ${JSON.stringify(paid.error)}`);
      say({ visitId, paymentId: paid.value.paymentId, jobId: paid.value.receipt?.id });
      if (n % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  for (let n = 1; ; n++) {
    const tapped = await api.tap({ uid: uids[Math.floor(Math.random() * uids.length)]! });
    if (!tapped.ok) throw new Error(`tap: ${JSON.stringify(tapped.error)}`);
    const r = tapped.value;
    const visitId = 'visit' in r ? r.visit.visitId : 'visitId' in r ? r.visitId : undefined;
    if (!visitId) continue;
    const printed = await api.printReceipt({ visitId });
    if (!printed.ok) throw new Error(`printReceipt: ${JSON.stringify(printed.error)}`);
    say({ visitId, jobId: printed.value.id });
    // Let the event loop run now and then, so stdout is flushed to the parent as we go.
    if (n % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`receipting-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
