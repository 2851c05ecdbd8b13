// Walk-in guests: registered with their consent, their personal data purged after the retention date.
// Each method: who may call it (common/station-access.ts), what it changes for the windows to
// reload, and its input's schema; below, what it answers.
import { z } from 'zod';
import { languageSchema } from '../reference-data.js';
import { refId, name, localDate, shiftId, nationality } from './fields.js';
import type { VisitSummary } from './types.js';
import type { MethodSpec } from './method.js';

export const guestsMethods = {
  registerGuest: {
    role: 'desk',
    changes: 'visits',
    input: z.object({
      firstName: name,
      lastName: name,
      company: z.string().trim().max(100).optional(),
      email: z.email('an e-mail address').max(254).optional(),
      /** Filled from the eID when one was read; personal data, erased with the names at the retention date. */
      nationality,
      hostMemberId: refId.optional(),
      language: languageSchema.default('fr'),
      consent: z.literal(true, 'the guest must consent to the processing of their data'),
      /** Local date after which the guest's personal data is purged; defaults to the site's rule. */
      retentionUntil: localDate.optional(),
      shiftId,
    }),
  },
  /** Erases the personal data of guests past their retention date (also run by the station itself, hourly). */
  purgeGuests: {
    role: 'cli',
    changes: 'visits',
    input: z.object({}),
  },
} as const satisfies Record<string, MethodSpec>;

export interface GuestsOutputs {
  registerGuest: VisitSummary;
  /** Guests purged now; guests past their date still on site are purged once their visit closes. */
  purgeGuests: { purged: string[]; deferred: string[] };
}
