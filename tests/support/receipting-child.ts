// The victim of the receipt-number crash test (tests/station/receipt-numbers.test.ts): opens the
// station on the data folder given as its first argument and, forever, checks a member in or out
// by a random badge and prints that visit's receipt. Only once printReceipt has returned (its
// transaction committed) does it write one JSON line to stdout: {"visitId","jobId"}. The parent
// kills it with SIGKILL at a random moment. In `pay` mode it instead registers a walk-in guest,
// adds a coffee and takes the payment in cash (which queues the numbered paid receipt in the same
// transaction) into the till it opened (or found open), and reports {"visitId","paymentId","jobId"}.
//
//   node dist/tests/support/receipting-child.js DATA_DIR CLOCK_OFFSET_MS [tap|pay]
import { flush, openVictimStation, say } from './victim-station.js';

async function main(): Promise<void> {
  const { api, uids } = openVictimStation(process.argv.slice(2), 'receipting-child DATA_DIR [CLOCK_OFFSET_MS] [tap|pay]');
  const mode = process.argv[4] ?? 'tap';
  say({ ready: true, pid: process.pid });
  if (mode === 'pay') {
    // Cash goes into an open till: opened once, and found open again after a SIGKILL.
    const open = await api.till({});
    if (!open.ok) throw new Error(`till: ${JSON.stringify(open.error)}`);
    if (!open.value.open) {
      const shift = await api.staffSignIn({ staffId: 'joris', pin: '1357' });
      if (!shift.ok) throw new Error(`staffSignIn: ${JSON.stringify(shift.error)}`);
      const till = await api.openTill({ floatCents: 10_000, shiftId: shift.value.shiftId });
      if (!till.ok) throw new Error(`openTill: ${JSON.stringify(till.error)}`);
    }
    for (let n = 1; ; n++) {
      const guest = await api.registerGuest({ firstName: 'Lou', lastName: `Passant ${n}`, consent: true });
      if (!guest.ok) throw new Error(`registerGuest: ${JSON.stringify(guest.error)}`);
      const visitId = guest.value.visitId;
      const coffee = await api.addConsumption({ visitId, serviceCode: 'coffee', quantity: 1 });
      if (!coffee.ok) throw new Error(`addConsumption: ${JSON.stringify(coffee.error)}`);
      const paid = await api.recordPayment({ visitId, method: 'cash', tenderedCents: 1000 });
      if (!paid.ok) throw new Error(`recordPayment: ${JSON.stringify(paid.error)}`);
      say({ visitId, paymentId: paid.value.paymentId, jobId: paid.value.receipt?.id });
      if (n % 8 === 0) await flush();
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
    if (n % 8 === 0) await flush();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`receipting-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
