// Local time in Brussels around the daylight-saving changes of 2026 (clocks go forward at 02:00
// on 29 March, back at 03:00 on 25 October), with Intl only.
import { describe, expect, it } from 'vitest';
import { addDays, localDate, localDayBounds, localParts, localPartsByIntl, toIso, zonedToUtcMs } from '../../common/time.js';

const TZ = 'Europe/Brussels';
const utc = (iso: string) => Date.parse(iso);
const zoned = (date: string, time: string) => toIso(zonedToUtcMs(date, time, TZ));

describe('localParts', () => {
  it('gives date, time, weekday and offset in winter and in summer', () => {
    expect(localParts(utc('2026-11-24T08:00:00.000Z'), TZ)).toEqual({ date: '2026-11-24', time: '09:00', weekday: 'tue', offsetMinutes: 60 });
    expect(localParts(utc('2026-06-16T08:00:00.000Z'), TZ)).toEqual({ date: '2026-06-16', time: '10:00', weekday: 'tue', offsetMinutes: 120 });
    // 23:30 UTC on a Sunday is already Monday in Brussels.
    expect(localParts(utc('2026-11-29T23:30:00.000Z'), TZ)).toMatchObject({ date: '2026-11-30', time: '00:30', weekday: 'mon' });
    expect(localDate('2026-12-31T23:00:00.000Z', TZ)).toBe('2027-01-01');
  });

  it('switches offset at the exact instants of the spring and autumn changes', () => {
    expect(localParts(utc('2026-03-29T00:59:59.999Z'), TZ)).toMatchObject({ time: '01:59', offsetMinutes: 60 });
    expect(localParts(utc('2026-03-29T01:00:00.000Z'), TZ)).toMatchObject({ time: '03:00', offsetMinutes: 120 });
    expect(localParts(utc('2026-10-25T00:59:59.999Z'), TZ)).toMatchObject({ time: '02:59', offsetMinutes: 120 });
    expect(localParts(utc('2026-10-25T01:00:00.000Z'), TZ)).toMatchObject({ time: '02:00', offsetMinutes: 60 });
  });

  it('keeps the offset whole for instants with milliseconds', () => {
    expect(localParts(utc('2026-11-24T08:00:00.999Z'), TZ).offsetMinutes).toBe(60);
    expect(localParts(utc('2026-06-16T08:00:59.999Z'), TZ).offsetMinutes).toBe(120);
  });
});

describe('zonedToUtcMs', () => {
  it('converts ordinary wall times in winter and summer', () => {
    expect(zoned('2026-11-24', '19:00')).toBe('2026-11-24T18:00:00.000Z');
    expect(zoned('2026-06-16', '19:00')).toBe('2026-06-16T17:00:00.000Z');
    expect(zoned('2026-03-29', '00:00')).toBe('2026-03-28T23:00:00.000Z');
    expect(zoned('2026-03-29', '03:00')).toBe('2026-03-29T01:00:00.000Z');
    expect(zoned('2026-10-25', '00:00')).toBe('2026-10-24T22:00:00.000Z');
    expect(zoned('2026-10-25', '03:00')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('maps a wall time skipped in spring to the instant one hour later', () => {
    // 02:30 does not exist on 29 March 2026: the clock jumps from 02:00 to 03:00.
    expect(zoned('2026-03-29', '02:30')).toBe('2026-03-29T01:30:00.000Z');
    expect(localParts(zonedToUtcMs('2026-03-29', '02:30', TZ), TZ).time).toBe('03:30');
    expect(zoned('2026-03-29', '02:00')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('maps a wall time that occurs twice in autumn to its first occurrence', () => {
    expect(zoned('2026-10-25', '02:30')).toBe('2026-10-25T00:30:00.000Z');
    expect(localParts(utc('2026-10-25T01:30:00.000Z'), TZ).time).toBe('02:30');
    expect(zoned('2026-10-25', '01:59')).toBe('2026-10-24T23:59:00.000Z');
  });

  it('round-trips every quarter hour of the two change days', () => {
    for (const date of ['2026-03-29', '2026-10-25']) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const time = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const ms = zonedToUtcMs(date, time, TZ);
        const back = localParts(ms, TZ);
        if (date === '2026-03-29' && time >= '02:00' && time < '03:00') {
          expect(back.time, time).toBe(`03:${time.slice(3)}`);
        } else {
          expect(`${back.date} ${back.time}`, time).toBe(`${date} ${time}`);
        }
      }
    }
  });
});

describe('localDayBounds', () => {
  const hours = (date: string) => {
    const { startMs, endMs } = localDayBounds(date, TZ);
    return (endMs - startMs) / 3600_000;
  };

  it('makes the spring change day 23 hours long and the autumn one 25', () => {
    expect(hours('2026-03-29')).toBe(23);
    expect(hours('2026-10-25')).toBe(25);
    expect(hours('2026-03-28')).toBe(24);
    expect(hours('2026-10-26')).toBe(24);
    expect(localDayBounds('2026-10-25', TZ)).toEqual({ startMs: utc('2026-10-24T22:00:00.000Z'), endMs: utc('2026-10-25T23:00:00.000Z') });
    expect(localDayBounds('2026-03-29', TZ)).toEqual({ startMs: utc('2026-03-28T23:00:00.000Z'), endMs: utc('2026-03-29T22:00:00.000Z') });
  });

  it('tiles time: each day ends where the next begins', () => {
    let date = '2026-03-25';
    for (let i = 0; i < 220; i++) {
      const next = addDays(date, 1);
      expect(localDayBounds(date, TZ).endMs).toBe(localDayBounds(next, TZ).startMs);
      date = next;
    }
  });
});

describe('addDays', () => {
  it('crosses months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-24', 30)).toBe('2026-12-24');
  });
});

describe('localParts fast path', () => {
  it('agrees with Intl at every quarter hour and odd minutes across a year, in several zones', () => {
    for (const zone of ['Europe/Brussels', 'America/St_Johns', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC']) {
      for (let ms = Date.parse('2026-01-01T00:00:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 7 * 60_000 * 13 + 17_000) {
        expect(localParts(ms, zone), `${zone} ${new Date(ms).toISOString()}`).toEqual(localPartsByIntl(ms, zone));
      }
    }
  });
});
