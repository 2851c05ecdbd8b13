// A member's erasure reaches their sign-up too: the member.signed_up events naming them (their own,
// and those of provisional members merged into them), the sign-up decisions' copies of those
// payloads, and quarantined copies. Both stores find the rows; the erased form itself is the
// hub's (server/hub/privacy.ts, common/events.ts eraseSignedUp), handed in as a function.
import type { RawScrub } from './raw-copies.js';

/** The erased form of one sign-up payload, or undefined to leave a payload that does not parse as it is. */
export type SignupEraser = (payload: unknown) => unknown;

/** A stored payload's text erased, or undefined when nothing changes. */
export function erasedPayloadText(text: string, erase: SignupEraser): string | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return undefined;
  }
  const erased = erase(payload);
  if (erased === undefined) return undefined;
  const next = JSON.stringify(erased);
  return next === text ? undefined : next;
}

/**
 * A member's rejected and quarantined copies (raw-copies.ts): their own sign-ups erased as the
 * stored one; any other text about them holding personal data, or not JSON, replaced by a notice.
 */
export function memberScrub(memberId: string, erase: SignupEraser, at: string): RawScrub {
  return {
    personId: memberId,
    about: (payload) => typeof payload === 'object' && payload !== null && (payload as { memberId?: unknown }).memberId === memberId,
    // Only a sign-up (of theirs: `about` saw to it) has an erased form; anything else is undefined.
    erase,
    what: `member ${memberId} erased at ${at}`,
  };
}
