// Rejected and quarantined uploads keep the raw text a station sent, for an operator to look at:
// the quarantine's `raw`, and a rejected event's payload (that text as a JSON string). When that
// text carried a guest's or a member's personal data, their purge or erasure reaches it too. Both
// stores find the rows (those whose text holds the person's id); what becomes of the text is decided
// here, once.
import { eventPayloadSchemas, redactGuestRegistered } from '../../common/events.js';

/** Keys that hold a person's data in the events a station sends (guest registration, sign-up). */
const PERSONAL_KEYS = new Set(['firstName', 'lastName', 'email', 'phone', 'company', 'nationality', 'name', 'billingAddress']);

function holdsPersonalKey(value: unknown, depth = 0): boolean {
  if (depth > 20 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => holdsPersonalKey(v, depth + 1));
  return Object.entries(value).some(([k, v]) => PERSONAL_KEYS.has(k) || holdsPersonalKey(v, depth + 1));
}

/** How a purge or an erasure treats one person's raw copies. */
export interface RawScrub {
  /** The guest's or member's id: the rows whose text holds it (as a JSON string) are looked at. */
  personId: string;
  /** Whether a payload is about this person (its guestId or memberId), not one merely naming them. */
  about(payload: unknown): boolean;
  /** The payload's erased form, or undefined when it does not parse as the event it should be. */
  erase(payload: unknown): unknown;
  /** What happened, for the notice that replaces a text that cannot be erased field by field. */
  what: string;
}

/**
 * The raw text of an upload about a person, erased: its payload by `erase` when it parses; else,
 * when the payload holds personal keys or the text is not JSON at all (cut at 10,000 characters,
 * malformed) but names them, the whole text is replaced by a notice — the operator loses the text,
 * the person their data. Undefined when nothing changes (not about them, nothing personal, erased).
 */
export function scrubbedRawText(raw: string, scrub: RawScrub): string | undefined {
  if (!raw.includes(JSON.stringify(scrub.personId))) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(raw);
  } catch {
    event = undefined;
  }
  if (typeof event === 'object' && event !== null) {
    const payload = (event as { payload?: unknown }).payload;
    if (!scrub.about(payload)) return undefined;
    const erased = scrub.erase(payload);
    if (erased !== undefined) {
      const next = JSON.stringify({ ...(event as object), payload: erased });
      return next === raw ? undefined : next;
    }
    if (!holdsPersonalKey(payload)) return undefined;
  }
  const head = typeof event === 'object' && event !== null ? (event as { id?: unknown; type?: unknown; seq?: unknown }) : {};
  const notice = JSON.stringify({
    ...(typeof head.id === 'string' ? { id: head.id } : {}),
    ...(typeof head.type === 'string' ? { type: head.type } : {}),
    ...(typeof head.seq === 'number' ? { seq: head.seq } : {}),
    redacted: `${scrub.what}: the raw text of this upload held personal data and was removed`,
  });
  return notice === raw ? undefined : notice;
}

/**
 * The strings a raw text holds (its JSON string values and keys, read even in a text cut short):
 * the ids it may name. A purge looks each up among the people it erases, instead of searching the
 * text once per person.
 */
export function stringsIn(raw: string): Set<string> {
  const found = new Set<string>();
  for (const m of raw.matchAll(/"((?:[^"\\]|\\.)*)"/g)) if (m[1]!.length <= 200) found.add(m[1]!);
  return found;
}

/** One rejected or quarantined row's raw text, as a store reads it for a purge or an erasure. */
export interface RawCopy {
  table: 'quarantine' | 'event';
  /** The row's key: the quarantine's id, or the rejected event's id. */
  key: number | string;
  raw: string;
}

/** A rejected event's stored payload (the raw text, JSON-encoded), decoded; undefined when it is not one. */
export function rejectedRaw(payload: string): string | undefined {
  try {
    const raw = JSON.parse(payload) as unknown;
    return typeof raw === 'string' ? raw : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The new text of each copy about one of the people `scrubs` erase, by copy; the text to store is
 * the raw text itself (quarantine) or its JSON encoding (a rejected event's payload).
 */
export function scrubbedCopies(copies: readonly RawCopy[], scrubs: readonly RawScrub[]): { copy: RawCopy; stored: string }[] {
  if (scrubs.length === 0) return [];
  const byId = new Map(scrubs.map((s) => [s.personId, s]));
  const out: { copy: RawCopy; stored: string }[] = [];
  for (const copy of copies) {
    let raw = copy.raw;
    let changed = false;
    for (const token of stringsIn(copy.raw)) {
      const scrub = byId.get(token);
      if (!scrub) continue;
      const next = scrubbedRawText(raw, scrub);
      if (next !== undefined) {
        raw = next;
        changed = true;
      }
    }
    if (changed) out.push({ copy, stored: copy.table === 'event' ? JSON.stringify(raw) : raw });
  }
  return out;
}

/** A guest's raw copies, purged at `at` as their accepted registration is (redactGuestRegistered). */
export function guestScrub(guestId: string, at: string): RawScrub {
  return {
    personId: guestId,
    about: (payload) => typeof payload === 'object' && payload !== null && (payload as { guestId?: unknown }).guestId === guestId,
    erase: (payload) => {
      const parsed = eventPayloadSchemas['guest.registered'].safeParse(payload);
      if (!parsed.success) return undefined;
      // Purged already (the station sent its purged form): left as it is.
      return 'purgedAt' in parsed.data ? payload : redactGuestRegistered(parsed.data, at);
    },
    what: `guest ${guestId} purged at ${at}`,
  };
}

/** The guests of registrations in raw copies whose retention date is before `day` (YYYY-MM-DD), not purged there. */
export function dueRawRegistrations(copies: readonly RawCopy[], day: string): string[] {
  const due = new Set<string>();
  for (const { raw: text } of copies) {
    try {
      const event = JSON.parse(text) as { type?: unknown; payload?: { guestId?: unknown; retentionUntil?: unknown; purgedAt?: unknown } };
      const p = event.payload;
      if (event.type === 'guest.registered' && p && typeof p.guestId === 'string' && typeof p.retentionUntil === 'string' && p.retentionUntil < day && p.purgedAt === undefined)
        due.add(p.guestId);
    } catch {
      // Not JSON: its guest is reached through the station's guest.purged, by id.
    }
  }
  return [...due];
}

/** The guests among `guestIds` whose personal data a raw copy still holds (what a purge of them would change). */
export function guestsHeldInCopies(copies: readonly RawCopy[], guestIds: ReadonlySet<string>): string[] {
  const held = new Set<string>();
  for (const copy of copies)
    for (const token of stringsIn(copy.raw)) if (guestIds.has(token) && scrubbedRawText(copy.raw, guestScrub(token, '1970-01-01T00:00:00.000Z')) !== undefined) held.add(token);
  return [...held];
}
