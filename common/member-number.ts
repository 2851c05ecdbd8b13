// A member number a person can read aloud and a clerk can type: the network's short ids (m0001)
// as they are; a member signed up at a station (m-<UUIDv7>) by the last eight hex digits, the
// random part — the first ones are a timestamp, alike for sign-ups made the same minute.

const PROVISIONAL = /^m-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function shortMemberNumber(memberId: string): string {
  return PROVISIONAL.test(memberId) ? memberId.slice(-8).toUpperCase() : memberId;
}

/** Whether `typed` is the short number of `memberId` (case aside). */
export const isShortMemberNumber = (memberId: string, typed: string): boolean =>
  typed.trim() !== '' && shortMemberNumber(memberId).toLowerCase() === typed.trim().toLowerCase();
