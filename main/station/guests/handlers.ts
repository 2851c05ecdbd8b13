// Walk-in guests: registration with consent, and the purge of their data after the retention date.
// The handlers of the station API's guests methods (common/station-api/guests.ts), over parsed
// input; api.ts wraps them with validation and Results.
import { writeTransaction } from '../context.js';
import { purgeDueGuests } from './purge.js';
import { registerGuest } from './register.js';
import { visitSummary } from '../visits/read.js';
import type { GuestsOutputs } from '../../../common/station-api/guests.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';

export function guestsHandlers({ ctx, now, checkShift }: HandlerDeps): HandlersOf<GuestsOutputs> {
  return {
    registerGuest: (input) =>
      writeTransaction(ctx, () => {
        checkShift(input.shiftId);
        return visitSummary(ctx, registerGuest(ctx, input));
      }),
    purgeGuests: () => {
      const result = writeTransaction(ctx, () => purgeDueGuests(ctx, now()));
      // Committed: now the old pages holding the names leave the WAL too.
      if (result.purged.length > 0) ctx.scrubber.request('guest purge');
      return result;
    },
  };
}
