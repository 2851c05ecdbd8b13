// Reception staff: PIN sign-in and sign-out (a shift), the session of a window, a supervisor unlocking a clerk.
// Each method: who may call it (common/station-access.ts), what it changes for the windows to
// reload, and its input's schema; below, what it answers.
import { z } from 'zod';
import { refId, uuid, shiftId } from './fields.js';
import type { Shift, StaffMember } from './types.js';
import type { MethodSpec } from './method.js';

export const staffMethods = {
  staffSignIn: {
    role: 'reception',
    input: z.object({ staffId: refId, pin: z.string().regex(/^\d{4,12}$/, 'a PIN of 4 to 12 digits') }),
  },
  staffSignOut: {
    role: 'desk',
    input: z.object({ shiftId: uuid }),
  },
  /** The clerk signed in at this window or connection, if any (a reloaded reception page resumes it). */
  staffSession: {
    role: 'reception',
    input: z.object({}),
  },
  /** The site's reception staff, for the sign-in screen (never their PIN hashes). */
  staff: {
    role: 'reception',
    input: z.object({}),
  },
  /** A supervisor lifts a clerk's PIN lockout. */
  unlockStaff: {
    role: 'supervisor',
    input: z.object({ staffId: refId, shiftId }),
  },
} as const satisfies Record<string, MethodSpec>;

export interface StaffOutputs {
  staffSignIn: Shift;
  staffSignOut: Shift;
  staffSession: { shift?: Shift };
  staff: StaffMember[];
  unlockStaff: { staffId: string; wasLocked: boolean };
}
