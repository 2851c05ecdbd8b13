// Reception staff: sign-in and sign-out, the staff list, a supervisor's unlock. The handlers of the
// station API's staff methods (common/station-api/staff.ts), over parsed input; api.ts wraps them
// with validation and Results.
import { sql } from '../context.js';
import { openShift, signIn, signOut, unlockStaff } from './shifts.js';
import type { StaffOutputs } from '../../../common/station-api/staff.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';

export function staffHandlers({ ctx, now }: HandlerDeps): HandlersOf<StaffOutputs> {
  return {
    staffSignIn: ({ staffId, pin }) => signIn(ctx, staffId, pin),
    staffSignOut: ({ shiftId }) => signOut(ctx, shiftId),
    // Sessions belong to the windows' connections (access/gate.ts answers this there); the
    // command line has none.
    staffSession: () => ({}),
    staff: () =>
      (sql(ctx.db, 'SELECT s.id, s.name, l.locked_until FROM staff s LEFT JOIN staff_lockout l ON l.staff_id = s.id ORDER BY s.name, s.id').all() as { id: string; name: string; locked_until: string | null }[]).map(
        (r) => ({ id: r.id, name: r.name, ...(r.locked_until !== null && Date.parse(r.locked_until) > now() ? { locked: true as const } : {}) }),
      ),
    unlockStaff: ({ staffId, shiftId }) => unlockStaff(ctx, staffId, shiftId ? openShift(ctx, shiftId).staffId : 'operator'),
  };
}
