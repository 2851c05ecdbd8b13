// A station's first start: from the hub's address and the station's enrolment credential to a
// working station. The hub is asked who this station is (its site); only then is the station's
// database made, for that site, pointed at the hub, and filled by a first sync with the network's
// reference data. A refused credential or an unreachable hub leaves the data folder untouched.
import fs from 'node:fs';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { fail, ok, type Result } from '../../common/result.js';
import { PROTOCOL_VERSION, STATION_PROFILE, stationProfileAckSchema } from '../../common/sync/protocol.js';
import { stationSetupSchema, type StationSetupResult } from '../../common/station-setup.js';
import { openStation } from '../station/station.js';
import { DATABASE_FILE } from '../station/database/open.js';
import { callStation, invalidInput } from '../station/api.js';
import { toStationFailure } from '../station/errors.js';
import { SyncClient } from './sync-client.js';

export interface SetUpOptions {
  /** How long the hub may take to answer, and the first sync to bring the reference data. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

type Profile = { stationId: string; siteId: string; siteName?: string };

/** Asks the hub who the holder of `credential` is. */
function askProfile(hubUrl: string, credential: string, timeoutMs: number): Promise<Result<Profile>> {
  return new Promise((resolve) => {
    const socket = connect(hubUrl, { auth: { credential, protocol: PROTOCOL_VERSION }, transports: ['websocket'], reconnection: false, timeout: timeoutMs, forceNew: true });
    const done = (r: Result<Profile>) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.disconnect();
      resolve(r);
    };
    const timer = setTimeout(() => done(fail('HUB_UNREACHABLE', `The hub at ${hubUrl} did not answer within ${Math.round(timeoutMs / 1000)} s. Check the address and the network, then try again.`)), timeoutMs);
    socket.on('connect_error', (e: Error & { data?: { code?: string } }) => {
      const code = e.data?.code;
      if (code === 'BAD_HANDSHAKE') return done(fail('HUB_UNREACHABLE', `The hub at ${hubUrl} speaks another version of the sync protocol: update this station or the hub.`, code));
      if (code === 'BAD_CREDENTIAL' || code === 'REVOKED')
        return done(fail('BAD_CREDENTIAL', code === 'REVOKED' ? 'The hub says this station was revoked: ask the network operator for a new enrolment.' : 'The hub refused this credential: check it, or ask the network operator for a new enrolment.', code));
      done(fail('HUB_UNREACHABLE', `The hub at ${hubUrl} cannot be reached (${e.message}). Check the address and the network, then try again.`));
    });
    socket.on('connect', () => {
      socket.timeout(timeoutMs).emit(STATION_PROFILE, {}, (err: Error | null, answer: unknown) => {
        if (err) return done(fail('HUB_UNREACHABLE', `The hub at ${hubUrl} did not say who this station is in time; try again.`));
        const parsed = stationProfileAckSchema.safeParse(answer);
        if (!parsed.success) return done(fail('HUB_UNREACHABLE', `The hub at ${hubUrl} answered in a way this station does not understand (an older or newer hub?).`));
        if (!parsed.data.ok) return done(fail('HUB_UNREACHABLE', `The hub could not say who this station is: ${parsed.data.error.message}`));
        const { stationId, siteId, siteName } = parsed.data;
        done(ok({ stationId, siteId, ...(siteName ? { siteName } : {}) }));
      });
    });
  });
}

export async function setUpStation(dataDir: string, input: unknown, options: SetUpOptions = {}): Promise<Result<StationSetupResult>> {
  const parsed = stationSetupSchema.safeParse(input ?? {});
  if (!parsed.success) return invalidInput(parsed.error);
  if (fs.existsSync(path.join(dataDir, DATABASE_FILE))) return fail('CONFLICT', `${dataDir} already holds a station: it is set up.`);
  const { hubUrl, credential } = parsed.data;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const profile = await askProfile(hubUrl, credential, timeoutMs);
  if (!profile.ok) return profile;
  const { stationId, siteId, siteName } = profile.value;
  try {
    const station = openStation({ dataDir, init: { siteId } });
    try {
      const hub = callStation(station, 'configureHub', { url: hubUrl, credential });
      if (!hub.ok) return hub;
      const sync = new SyncClient({ station, url: hubUrl, credential, ...(options.log ? { log: options.log } : {}) });
      sync.start();
      const drained = await sync.drained(timeoutMs);
      await sync.stop();
      const referenceLoaded = station.site() !== undefined;
      options.log?.(`station set up for site ${siteId} (station ${stationId})${drained ? '' : '; the reference data comes at the next sync'}`);
      return ok({ stationId, siteId, ...(siteName ? { siteName } : {}), referenceLoaded });
    } finally {
      station.close();
    }
  } catch (e) {
    return { ok: false, error: toStationFailure(e).toError() };
  }
}
