// The log of refusals under a burst: the first of each kind written whole, the rest counted and
// summed up once per interval, quiet kinds forgotten, the number of kinds followed bounded.
import { describe, expect, it } from 'vitest';
import { OTHER_KINDS, createRateLimitedLog } from '../../common/log/rate-limited-log.js';

function logWithClock(options: { intervalMs?: number; maxKinds?: number } = {}) {
  let t = Date.parse('2026-03-02T09:00:00Z');
  const lines: string[] = [];
  const log = createRateLimitedLog({ now: () => t, sink: (l) => void lines.push(l), ...options });
  return { log, lines, advance: (ms: number) => void (t += ms) };
}

describe('the rate-limited log', () => {
  it('a burst of 10,000 refusals of three kinds over three minutes writes the first of each and a summary a minute: a handful of lines, every refusal counted', () => {
    const { log, lines, advance } = logWithClock({ intervalMs: 60_000 });
    const kinds = ['http 400 BAD_URL', 'http 404 NOT_FOUND', 'packet TOO_DEEP'];
    for (let i = 0; i < 10_000; i++) {
      log.note(kinds[i % 3]!, `refused number ${i}`);
      // 10,000 over three minutes, and the timer's flush every minute.
      advance(18);
      if (i % 3_334 === 3_333) log.flush();
    }
    log.flush(true);
    expect(lines.length).toBeLessThanOrEqual(3 + 3 * 4);
    expect(lines.slice(0, 3)).toEqual(['refused number 0', 'refused number 1', 'refused number 2']);
    // Every refusal is in a line: written whole, or counted in a summary.
    const counted = lines.map((l) => Number(/: (\d+) more like this since /.exec(l)?.[1] ?? 1)).reduce((a, b) => a + b, 0);
    expect(counted).toBe(10_000);
    for (const kind of kinds) expect(lines.some((l) => l.startsWith(`${kind}: `) && l.includes('more like this since 2026-03-02T09:0'))).toBe(true);
  });

  it('a kind quiet for an interval is news again, written whole; a kind still coming gets a summary and counts on', () => {
    const { log, lines, advance } = logWithClock({ intervalMs: 1_000 });
    log.note('a', 'first a');
    log.note('a', 'second a');
    advance(1_000);
    log.note('a', 'third a');
    expect(lines).toEqual(['first a', 'a: 1 more like this since 2026-03-02T09:00:00.000Z']);
    advance(1_000);
    log.flush();
    expect(lines.at(-1)).toBe('a: 1 more like this since 2026-03-02T09:00:01.000Z');
    advance(1_000);
    log.flush();
    expect(log.kinds).toBe(0);
    log.note('a', 'fourth a, after a quiet second');
    expect(lines.at(-1)).toBe('fourth a, after a quiet second');
  });

  it('follows at most maxKinds kinds: past that, new kinds share one count; a line is made only when written', () => {
    const { log, lines } = logWithClock({ maxKinds: 10 });
    let made = 0;
    for (let i = 0; i < 1_000; i++)
      log.note(`kind ${i}`, () => {
        made++;
        return `line ${i}`;
      });
    expect(log.kinds).toBe(11);
    expect(lines).toHaveLength(11);
    expect(made).toBe(11);
    log.flush(true);
    expect(lines.at(-1)).toMatch(new RegExp(`^${OTHER_KINDS}: 989 more like this`));
  });
});
