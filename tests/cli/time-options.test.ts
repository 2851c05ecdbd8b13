// The time options of both command lines (escale-station's --at, escale-hub's --before) read by the
// one parser in common/instant-input.ts: any ISO-8601 instant with Z or an offset, seconds and
// milliseconds optional; a time without an offset is a bad command line (exit 2) that says to add one.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoBadges, tempDir } from '../support/station-fixture.js';
import { DEMO_REFERENCE_FILE } from '../support/hub-fixture.js';
import { hubJson, runCli, stationJson } from '../support/cli.js';

const badges = demoBadges();
let data: string;
beforeAll(async () => {
  data = tempDir('escale-cli-time-');
  expect((await stationJson(['init', '--data', data, '--site', 'bxl-louise'])).status).toBe(0);
  expect((await stationJson(['import', '--data', data, DEMO_REFERENCE_FILE])).status).toBe(0);
});

describe('time options', () => {
  it('escale-station tap --at: Z without milliseconds, an offset, no seconds', async () => {
    const [a, b] = badges.active;
    const tapIn = await stationJson(['tap', '--data', data, a!.uid, '--at', '2026-12-01T08:00:00Z']);
    expect(tapIn).toMatchObject({ status: 0, result: { ok: true, value: { outcome: 'checked_in', visit: { checkedInAt: '2026-12-01T08:00:00.000Z' } } } });
    const tapOut = await stationJson(['tap', '--data', data, a!.uid, '--at', '2026-12-01T11:00:00+01:00']);
    expect(tapOut).toMatchObject({ status: 0, result: { ok: true, value: { outcome: 'checked_out', visit: { durationMinutes: 120 } } } });
    const short = await stationJson(['tap', '--data', data, b!.uid, '--at', '2026-12-01T08:00Z']);
    expect(short).toMatchObject({ status: 0, result: { ok: true, value: { outcome: 'checked_in', visit: { checkedInAt: '2026-12-01T08:00:00.000Z' } } } });
  });

  it('escale-station --at without an offset, or not a time: exit 2, saying what to give; nothing recorded', async () => {
    const uid = badges.active[2]!.uid;
    const local = await runCli('escale-station', ['tap', '--data', data, uid, '--at', '2026-12-01T08:00:00', '--json']);
    expect(local.status).toBe(2);
    expect(local.stderr).toContain('--at: "2026-12-01T08:00:00" says no time zone: add Z for UTC or the offset of the place');
    const nonsense = await runCli('escale-station', ['consume', '--data', data, 'v', 'coffee', '1', '--at', 'tomorrow']);
    expect(nonsense.status).toBe(2);
    expect(nonsense.stderr).toContain('is not an ISO-8601 date and time');
    expect((await stationJson(['onsite', '--data', data])).result.value.some((v: { badgeUid?: string }) => v.badgeUid === uid)).toBe(false);
  });

  it('escale-hub compact --before: the same forms, the same refusal', async () => {
    const db = path.join(tempDir('escale-hub-time-'), 'hub.sqlite');
    for (const before of ['2026-12-01T08:00:00Z', '2026-12-01T09:00+01:00', '2026-12-01T08:00:00.000Z']) {
      const r = await hubJson(['compact', '--db', db, '--before', before]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.value).toMatchObject({ removed: 0 });
    }
    const local = await runCli('escale-hub', ['compact', '--db', db, '--before', '2026-12-01T08:00']);
    expect(local.status).toBe(2);
    expect(local.stderr).toContain('--before: "2026-12-01T08:00" says no time zone: add Z');
  });
});
