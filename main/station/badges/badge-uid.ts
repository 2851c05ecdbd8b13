// A badge number as the station API receives it (tap, assignment, sign-up): each reader already
// converted its raw output with common/readers/uid.ts's normaliseUid; here it is put in the
// network's canonical spelling (common/badge-uid.ts, by the schema: trimmed, upper case) and
// checked, so a number typed or read in lower case finds the same badge.
import { badgeUidSchema } from '../../../common/reference-data.js';
import { StationFailure } from '../errors.js';

/** A badge number in its canonical form, checked: never a control character, never empty. */
export function checkedBadgeUid(raw: string): string {
  const parsed = badgeUidSchema.safeParse(raw);
  if (!parsed.success)
    throw new StationFailure('INVALID_INPUT', `The badge number read is not valid: ${parsed.error.issues[0]?.message ?? 'invalid'}. Tap the badge again.`, JSON.stringify(raw.slice(0, 80))).saying('badgeNumberInvalid');
  return parsed.data;
}
