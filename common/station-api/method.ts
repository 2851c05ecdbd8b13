// What a station method declares: who may call it through a window (common/station-access.ts),
// what it changes (the windows reload what shows it: visits, devices, the sync), and its input's
// schema, by which the station parses what it is given before anything else.
import type { z } from 'zod';
import type { StationRole } from '../station-access.js';

export type StationChange = 'visits' | 'devices' | 'sync';

export interface MethodSpec {
  role: StationRole;
  changes?: StationChange;
  input: z.ZodType;
}
