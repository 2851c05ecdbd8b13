// Hybrid logical clock: keeps the order of events even when the wall clock steps back (NTP, a
// wrong BIOS clock after a power cut). Stamp = wall ms (15 digits) ":" counter (6 digits).
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function parseHlc(hlc: string): { ms: number; counter: number } {
  const [ms, counter] = hlc.split(':');
  return { ms: Number(ms), counter: Number(counter) };
}

export const formatHlc = (ms: number, counter: number): string => `${pad(ms, 15)}:${pad(counter, 6)}`;

/** The stamp of a new local event, after `last` (if any), at wall time `wallMs`. */
export function nextHlc(last: string | undefined, wallMs: number): string {
  if (last === undefined) return formatHlc(wallMs, 0);
  const prev = parseHlc(last);
  if (wallMs > prev.ms) return formatHlc(wallMs, 0);
  return formatHlc(prev.ms, prev.counter + 1);
}
