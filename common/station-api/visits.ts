// Visits: taps at the readers and the kiosk, check-in and check-out by a clerk, a visit voided, and what the reception lists of them.
// Each method: who may call it (common/station-access.ts), what it changes for the windows to
// reload, and its input's schema; below, what it answers.
import { z } from 'zod';
import { isoInstant } from '../events.js';
import { refId, uuid, reason, localDate, shiftId } from './fields.js';
import type { VisitSummary, VisitDetail, TapResult, OnSiteEntry } from './types.js';
import type { MethodSpec } from './method.js';

export const visitsMethods = {
  tap: {
    role: 'kiosk',
    changes: 'visits',
    input: z.object({
      uid: z.string(),
      /** When the reader read the badge; defaults to now. A queued read keeps its real time. */
      at: isoInstant.optional(),
      source: z.string().max(64).optional(),
    }),
  },
  checkIn: {
    role: 'desk',
    changes: 'visits',
    input: z.object({ memberId: refId, shiftId }),
  },
  checkOut: {
    role: 'desk',
    changes: 'visits',
    input: z.object({ visitId: uuid, shiftId }),
  },
  voidVisit: {
    role: 'desk',
    changes: 'visits',
    input: z.object({ visitId: uuid, reason, shiftId }),
  },
  /**
   * Undoes a check-out the same local day, with a reason: what it charged is voided, the visit is
   * on site again, and billed again at its next check-out (a compensating entry, never an edit).
   */
  undoCheckOut: {
    role: 'desk',
    changes: 'visits',
    input: z.object({ visitId: uuid, reason, shiftId }),
  },
  visitDetail: {
    role: 'desk',
    input: z.object({ visitId: uuid }),
  },
  memberVisits: {
    role: 'desk',
    input: z.object({ memberId: refId, limit: z.number().int().min(1).max(500).default(50) }),
  },
  /** The visits that began on a local day (default today), the latest first. */
  dayVisits: {
    role: 'desk',
    input: z.object({ date: localDate.optional() }),
  },
  onSite: {
    role: 'desk',
    input: z.object({}),
  },
  autoClose: {
    role: 'cli',
    changes: 'visits',
    input: z.object({}),
  },
} as const satisfies Record<string, MethodSpec>;

export interface VisitsOutputs {
  tap: TapResult;
  checkIn: VisitSummary;
  checkOut: VisitDetail;
  voidVisit: VisitDetail;
  undoCheckOut: VisitDetail;
  visitDetail: VisitDetail;
  memberVisits: VisitSummary[];
  dayVisits: VisitDetail[];
  onSite: OnSiteEntry[];
  autoClose: { closed: VisitSummary[] };
}
