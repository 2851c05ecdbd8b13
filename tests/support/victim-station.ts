// What the crash tests' child processes share (tapping-child.ts, receipting-child.ts): the station
// opened on the data folder of their command line, with the parent's clock offset and no tap
// window, its active members' badges, and one JSON line per thing done, written to the parent.
import { openStation } from '../../main/station/station.js';
import { createStationApi } from '../../main/station/api.js';
import { contextOf } from '../../main/station/context.js';

/** One line to the parent, which reads stdout line by line. */
export function say(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

/** Opens the station from argv (DATA_DIR [CLOCK_OFFSET_MS] …); `usage` is said when DATA_DIR is missing. */
export function openVictimStation(args: string[], usage: string) {
  const [dataDir, offsetArg] = args;
  if (!dataDir) throw new Error(`usage: ${usage}`);
  const offset = Number(offsetArg ?? 0);
  const station = openStation({ dataDir, clock: { now: () => Date.now() + offset }, settings: { tapWindowMs: 0 } });
  const uids = (
    contextOf(station).db
      .prepare(`SELECT b.uid FROM badge b JOIN member m ON m.id = b.member_id WHERE b.status = 'active' AND m.status = 'active' ORDER BY b.uid`)
      .all() as { uid: string }[]
  ).map((r) => r.uid);
  if (uids.length === 0) throw new Error(`no active badge in ${dataDir}`);
  return { api: createStationApi(station), uids };
}

/** Lets the event loop run, so stdout is flushed to the parent as the child goes. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
