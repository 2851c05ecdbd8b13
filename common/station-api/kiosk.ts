// The kiosk's own settings: what the public screen may show. A check-out's amounts are the
// person's business: shown on the public screen only if the station says so, and only briefly.
// Each method: who may call it (common/station-access.ts) and its input's schema; below, what it answers.
import { z } from 'zod';
import type { MethodSpec } from './method.js';

/** The longest a check-out's amounts may stay on the public screen. */
export const KIOSK_AMOUNT_MAX_MS = 12_000;

export const kioskMethods = {
  kioskSettings: {
    role: 'kiosk',
    input: z.object({}),
  },
  /** A supervisor sets how long the kiosk shows a check-out's amounts (0: never). */
  configureKiosk: {
    role: 'supervisor',
    changes: 'devices',
    input: z.object({ amountMs: z.number().int().min(0).max(KIOSK_AMOUNT_MAX_MS, `at most ${KIOSK_AMOUNT_MAX_MS / 1000} seconds`) }),
  },
} as const satisfies Record<string, MethodSpec>;

export interface KioskSettings {
  /** How long a check-out's amounts are shown (ms); 0: not on the public screen. */
  amountMs: number;
}

export interface KioskOutputs {
  kioskSettings: KioskSettings;
  configureKiosk: KioskSettings;
}
