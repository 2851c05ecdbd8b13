// The local host's WebSocket protocol: how a browser page (kiosk or reception) calls the station
// API and hears what happens at the reception. Requests carry an id; the answer carries it back.
import { z } from 'zod';
import type { Result } from './result.js';
import type { BadgeRead } from './readers/read.js';
import type { IdentityRead } from './readers/pcsc-protocol.js';
import type { TapResult } from './station-api.js';
import { STATION_METHODS, type CardOwner, type StationMethod } from './station-api.js';

export const hostRequestSchema = z.object({
  id: z.number().int().min(0),
  method: z.enum(STATION_METHODS as [StationMethod, ...StationMethod[]]),
  input: z.unknown(),
});
export type HostRequest = z.infer<typeof hostRequestSchema>;

export type HostMessage =
  | { kind: 'answer'; id: number; result: Result<unknown> }
  /** A badge was read by a reader of this station and tapped. */
  | { kind: 'tap'; read: BadgeRead; result: Result<TapResult> }
  /**
   * A desk reader's read while a reception form waited for a card (claimCardRead): for that form
   * (its claim's id), with whose card it is; it was not tapped.
   */
  | { kind: 'cardRead'; claimId: string; read: BadgeRead; card: CardOwner }
  /** A Belgian eID was read (or failed to be) at a reception reader: the guest form fills from it. */
  | { kind: 'identity'; read: IdentityRead }
  /** Devices or sync changed: pages refresh their status. */
  | { kind: 'changed'; what: 'devices' | 'sync' | 'visits' };

export const HOST_API_PATH = '/api';
/** GET ?window=kiosk|reception → {paired}: whether this browser holds that window's key (its cookie). */
export const HOST_PAIRED_PATH = '/api/paired';
