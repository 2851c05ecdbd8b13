// A badge number as the station API receives it (tap, assignment, sign-up): already in the
// network's form — each reader converted its raw output with common/readers/uid.ts's
// normaliseUid — so here it is only trimmed and checked, never converted.
import { badgeUidSchema } from '../../../common/reference-data.js';
import { StationFailure } from '../errors.js';

/** Trims a badge number and checks it is a UID: never a control character, never empty. */
export function checkedBadgeUid(raw: string): string {
  const parsed = badgeUidSchema.safeParse(raw.trim());
  if (!parsed.success)
    throw new StationFailure('INVALID_INPUT', `The badge number read is not valid: ${parsed.error.issues[0]?.message ?? 'invalid'}. Tap the badge again.`, JSON.stringify(raw.slice(0, 80))).saying('badgeNumberInvalid');
  return parsed.data;
}
