// Members at the desk: search, badges, sign-ups (agent sale) and welcome slips. The handlers of the
// station API's members methods (common/station-api/members.ts), over parsed input; api.ts wraps
// them with validation and Results.
import { assignBadge } from '../badges/assign.js';
import { sql, writeTransaction } from '../context.js';
import { toStationFailure } from '../errors.js';
import { searchKey } from '../queries/search-key.js';
import { search } from '../queries/search.js';
import { listSignUps, printWelcome, signUpMember } from '../signups/sign-up.js';
import type { MembersOutputs } from '../../../common/station-api/members.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';

export function membersHandlers({ ctx, devices, queued, checkShift }: HandlerDeps): HandlersOf<MembersOutputs> {
  return {
    search: ({ query, limit }) => search(ctx, query, limit),
    assignBadge: ({ memberId, uid, kind, shiftId }) =>
      writeTransaction(ctx, () => {
        checkShift(shiftId);
        return assignBadge(ctx, memberId, uid, kind, shiftId);
      }),
    signUpMember: (input) => {
      const result = writeTransaction(ctx, () => {
        checkShift(input.shiftId);
        return signUpMember(ctx, input);
      });
      if (!input.printWelcome) return result;
      // The slip is queued after the sign-up is committed: a missing printer never undoes a sign-up.
      try {
        const job = writeTransaction(ctx, () => printWelcome(ctx, result.signUp.memberId, undefined, result.visit?.visitId));
        devices.hooks?.jobQueued();
        return { ...result, welcomePrint: job };
      } catch (e) {
        const error = toStationFailure(e).toError();
        return { ...result, welcomePrintError: { code: error.code, message: error.message } };
      }
    },
    signUps: ({ limit }) => listSignUps(ctx, limit),
    companies: ({ query, limit }) => {
      // A network has tens to hundreds of companies: filtered here, with the search's folding.
      const rows = sql(ctx.db, "SELECT id, name, vat_number FROM payer WHERE kind = 'company' ORDER BY name, id").all() as { id: string; name: string; vat_number: string | null }[];
      const q = searchKey(query);
      return rows
        .filter((r) => q === '' || searchKey(`${r.name} ${r.id} ${r.vat_number ?? ''}`).includes(q))
        .slice(0, limit)
        .map((r) => ({ id: r.id, name: r.name, ...(r.vat_number ? { vatNumber: r.vat_number } : {}) }));
    },
    printWelcome: ({ memberId, printerId }) => queued(writeTransaction(ctx, () => printWelcome(ctx, memberId, printerId))),
  };
}
