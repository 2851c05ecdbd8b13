// The first start of a station: nothing but the hub's address and the station's enrolment
// credential (escale-hub station enroll). The hub says which site the station serves; the
// station is made for it and pulls the network's reference data — never a demo's.
import type { ErrorKey } from './messages/errors/index.js';
import { z } from 'zod';
import { handshakeSchema } from './sync/protocol.js';

export const stationSetupSchema = z.object({
  hubUrl: z.url({ protocol: /^https?$/, error: 'hubAddress' satisfies ErrorKey }),
  credential: handshakeSchema.shape.credential,
});
export type StationSetupInput = z.input<typeof stationSetupSchema>;

export interface StationSetupResult {
  stationId: string;
  siteId: string;
  siteName?: string;
  /** The network's reference data arrived (else it comes at the next sync). */
  referenceLoaded: boolean;
}
