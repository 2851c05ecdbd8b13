// A member's erasure reaches their sign-up too: the member.signed_up events naming them (their own,
// and those of provisional members merged into them), the sign-up decisions' copies of those
// payloads, and quarantined copies. Both stores find the rows; the erased form itself is the
// hub's (server/hub/privacy.ts, common/events.ts eraseSignedUp), handed in as a function.

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

/** A quarantined event's raw text with its payload erased, or undefined when nothing changes. */
export function erasedRawText(raw: string, erase: SignupEraser): string | undefined {
  let event: { payload?: unknown };
  try {
    event = JSON.parse(raw) as { payload?: unknown };
  } catch {
    return undefined;
  }
  if (typeof event !== 'object' || event === null || event.payload === undefined) return undefined;
  const erased = erase(event.payload);
  if (erased === undefined) return undefined;
  const next = JSON.stringify({ ...event, payload: erased });
  return next === raw ? undefined : next;
}
