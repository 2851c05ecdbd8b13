// Sync with the hub: its state, the hub connection, the outbox of events.
// Each method: who may call it (common/station-access.ts), what it changes for the windows to
// reload, and its input's schema; below, what it answers.
import type { ErrorKey } from '../messages/errors/index.js';
import { z } from 'zod';
import { handshakeSchema } from '../sync/protocol.js';
import type { SyncStatus } from '../sync/status.js';
import type { StationEvent } from '../events.js';
import type { MethodSpec } from './method.js';

export const syncMethods = {
  syncStatus: {
    role: 'kiosk',
    input: z.object({}),
  },
  configureHub: {
    role: 'supervisor',
    changes: 'sync',
    input: z.object({
      url: z.url({ protocol: /^https?$/, error: 'hubAddress' satisfies ErrorKey }),
      credential: handshakeSchema.shape.credential,
    }),
  },
  events: {
    role: 'supervisor',
    input: z.object({ afterPosition: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(10_000).default(1000) }),
  },
} as const satisfies Record<string, MethodSpec>;

export interface SyncOutputs {
  syncStatus: SyncStatus;
  configureHub: { url: string; stationId: string };
  /** Outbox events in local order; position is their place in this station's outbox. */
  events: (StationEvent & { position: number })[];
}
