// Waiting in tests: the one helper. A test waits for a condition it can observe (a row, a status,
// a line printed), never for a fixed time; a test that must show that something did NOT happen
// waits for a later event that would have come after it, or moves an injected clock.

export interface WaitOptions {
  /** How long before the test fails (default 30 s: under the test timeout, above a busy machine's worst). */
  timeoutMs?: number;
  /** How often the condition is asked (default 25 ms). */
  intervalMs?: number;
}

/** What the condition last gave, for the failure message. */
function shown(value: unknown): string {
  if (value instanceof Error) return `threw ${value.message}`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * Asks `condition` until it gives a truthy value, and resolves with that value. A condition that
 * throws counts as not yet (a device not listed yet, a file not written yet). At the deadline it
 * fails naming `what` it waited for and the last value (or error) the condition gave.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, what: string, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await condition();
      if (last) return last as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; last seen: ${shown(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
