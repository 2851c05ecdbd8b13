// An instant typed by a person (a command line's --at, --before): any ISO-8601 date and time that
// says which instant it is — Z or an offset — with or without seconds and fractions, read into the
// one form every record keeps (ISO-8601 UTC with milliseconds). A time without an offset is refused
// rather than guessed: the machine's zone, the site's zone and UTC would each give another instant.
import { z } from 'zod';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

export const INSTANT_EXAMPLES = '2026-12-01T08:00:00Z, 2026-12-01T09:00+01:00';

/** The instant `text` names, as ISO-8601 UTC with milliseconds; or why it names none. */
export function readInstant(text: string): { ok: true; value: string } | { ok: false; message: string } {
  const m = INSTANT.exec(text.trim());
  if (!m) return { ok: false, message: `"${text}" is not an ISO-8601 date and time: give it as YYYY-MM-DDTHH:MM[:SS[.sss]] with Z or an offset (${INSTANT_EXAMPLES}).` };
  const [, y, mo, d, h, mi, s = '0', fraction = '', zulu, sign, oh, om] = m;
  if (!zulu && !sign) return { ok: false, message: `"${text}" says no time zone: add Z for UTC or the offset of the place, e.g. ${text.trim()}Z or ${text.trim()}+01:00.` };
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not exist is refused, not moved.
  const check = new Date(wall);
  const exists = check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  if (!exists || Math.abs(offsetMinutes) > 18 * 60) return { ok: false, message: `"${text}" is not a date and time that exists.` };
  return { ok: true, value: new Date(wall - offsetMinutes * 60_000).toISOString() };
}

/** The same as a zod schema: parses a string into ISO-8601 UTC with milliseconds. */
export const instantInputSchema = z.string().transform((text, ctx) => {
  const r = readInstant(text);
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: r.message });
  return z.NEVER;
});
