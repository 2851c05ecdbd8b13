// A station on its own temporary data folder, initialised for the demo site and loaded with the
// demo reference data, driven by a manual clock. Every test gets a fresh folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemoData, DEMO_SITE_ID, DEMO_STAFF } from '../../resources/demo/generate-demo-data.js';
import { ManualClock } from '../../main/station/clock.js';
import { openStation, type OpenStationOptions, type Station } from '../../main/station/station.js';
import { createStationApi } from '../../main/station/api.js';
import type { StationApi } from '../../common/station-api.js';
import type { ReferenceDataInput } from '../../common/reference-data.js';
import { hashPin } from '../../main/station/staff/pin.js';

export { DEMO_SITE_ID, DEMO_STAFF };

let demoData: ReferenceDataInput | undefined;
/** The demo reference data, PIN hashes computed once per test file. */
export function demoReferenceData(): ReferenceDataInput {
  demoData ??= buildDemoData(hashPin);
  return structuredClone(demoData);
}

export function tempDir(prefix = 'escale-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestStation {
  dataDir: string;
  clock: ManualClock;
  station: Station;
  api: StationApi;
  close(): void;
}

/** A Tuesday, 09:00 in Brussels. */
export const TUESDAY_MORNING = '2026-11-24T08:00:00.000Z';

export function openTestStation(
  options: { dataDir?: string; now?: string; data?: ReferenceDataInput | null } & Omit<Partial<OpenStationOptions>, 'clock'> = {},
): TestStation {
  const dataDir = options.dataDir ?? tempDir();
  const clock = new ManualClock(Date.parse(options.now ?? TUESDAY_MORNING));
  const { now: _now, data, ...rest } = options;
  const station = openStation({ init: { siteId: DEMO_SITE_ID }, ...rest, dataDir, clock });
  if (data !== null) {
    const result = station.handlers.importReferenceData({ data: data ?? demoReferenceData(), source: 'demo data' });
    void result;
  }
  return { dataDir, clock, station, api: createStationApi(station), close: () => station.close() };
}

/** Members of the demo data by what a test needs of them. */
export function demoBadges() {
  const data = demoReferenceData();
  const member = (id: string) => data.members.find((m) => m.id === id)!;
  const byStatus = (status: string) => data.badges.find((b) => b.status === status && member(b.memberId).status === 'active')!;
  const activeBadges = data.badges.filter((b) => b.status === 'active' && member(b.memberId).status === 'active' && b.kind === 'rfid');
  const blockedMember = data.members.find((m) => m.status === 'blocked')!;
  return {
    active: activeBadges,
    lost: byStatus('lost'),
    revoked: byStatus('revoked'),
    ofBlockedMember: data.badges.find((b) => b.memberId === blockedMember.id)!,
    member,
  };
}
