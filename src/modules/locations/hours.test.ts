import { describe, expect, it } from 'vitest';
import { isClosedOn, nextOpenAt, openingStatus, plusLocalDays, readyAt } from './hours.ts';
import type { OpeningHours } from './schema.ts';

const day = [{ open: '10:00', close: '20:00' }];
const week: OpeningHours = { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day };
const paris = {
  timezone: 'Europe/Paris',
  opening_hours: week,
  closures: [
    { from: '2000-12-25', yearly: true, reason: 'Christmas' },
    { from: '2026-08-10', to: '2026-08-14', reason: 'Stock-taking' },
  ],
};

describe('opening hours in the location time zone (luxon)', () => {
  it('never promises a ready time after closing: Friday 19:50 + 120 min is Saturday 10:00, not 21:50', () => {
    const friday1950 = new Date('2026-06-05T17:50:00Z'); // 19:50 in Paris (CEST)
    expect(readyAt(paris, friday1950, 120).toISOString()).toBe('2026-06-06T08:00:00.000Z');
    // Within opening hours the promise is simply now + preparation.
    expect(readyAt(paris, new Date('2026-06-05T08:00:00Z'), 120).toISOString()).toBe(
      '2026-06-05T10:00:00.000Z',
    );
    // Saturday 19:00 + 120 min: Sunday is closed, so Monday 10:00.
    expect(readyAt(paris, new Date('2026-06-06T17:00:00Z'), 120).toISOString()).toBe(
      '2026-06-08T08:00:00.000Z',
    );
    // Ready exactly at closing time is not ready: the next opening.
    expect(readyAt(paris, new Date('2026-06-05T16:00:00Z'), 120).toISOString()).toBe(
      '2026-06-06T08:00:00.000Z',
    );
  });

  it('is closed on holidays and closures: 25 December every year, a stock-taking week', () => {
    const christmas = new Date('2026-12-25T10:00:00Z'); // a Friday, 11:00 in Paris
    expect(openingStatus(paris, christmas)).toEqual({ open_now: false, open_later_today: false });
    expect(openingStatus(paris, new Date('2027-12-25T10:00:00Z')).open_now).toBe(false); // a Saturday
    expect(openingStatus(paris, new Date('2026-12-24T10:00:00Z'))).toEqual({
      open_now: true,
      open_later_today: true,
    });
    // Thursday 24 December 19:00 + 120 min: not Christmas, Saturday 26 December at 10:00.
    expect(readyAt(paris, new Date('2026-12-24T18:00:00Z'), 120).toISOString()).toBe(
      '2026-12-26T09:00:00.000Z',
    );
    expect(isClosedOn(paris.closures, '2026-08-12')).toBe(true);
    expect(isClosedOn(paris.closures, '2027-08-12')).toBe(false);
    expect(nextOpenAt(paris, new Date('2026-08-09T12:00:00Z'))?.toISOString()).toBe(
      '2026-08-15T08:00:00.000Z',
    );
  });

  it('handles yearly closures over new year and locations without hours', () => {
    const winter = { from: '2020-12-31', to: '2021-01-02', yearly: true };
    expect(isClosedOn([winter], '2026-01-01')).toBe(true);
    expect(isClosedOn([winter], '2026-12-31')).toBe(true);
    expect(isClosedOn([winter], '2026-01-03')).toBe(false);
    const noHours = { timezone: 'Europe/Paris', opening_hours: {} };
    const at = new Date('2026-06-05T17:50:00Z');
    expect(readyAt(noHours, at, 120).toISOString()).toBe('2026-06-05T19:50:00.000Z');
  });

  it('keeps the wall-clock time of deadlines across daylight-saving changes', () => {
    // 12:00 in Paris on 25 March (CET, UTC+1); 7 days later is 1 April, 12:00 CEST (UTC+2).
    expect(plusLocalDays('Europe/Paris', new Date('2026-03-25T11:00:00Z'), 7).toISOString()).toBe(
      '2026-04-01T10:00:00.000Z',
    );
    // Back to winter time in New York: 12:00 EDT on 30 October, 12:00 EST on 6 November.
    expect(plusLocalDays('America/New_York', new Date('2026-10-30T16:00:00Z'), 7).toISOString()).toBe(
      '2026-11-06T17:00:00.000Z',
    );
  });

  it('reads hours in the location zone, not the server zone', () => {
    const tokyo = { timezone: 'Asia/Tokyo', opening_hours: week };
    // 01:30 UTC on a Monday is 10:30 in Tokyo: open.
    expect(openingStatus(tokyo, new Date('2026-06-08T01:30:00Z')).open_now).toBe(true);
    expect(openingStatus(paris, new Date('2026-06-08T01:30:00Z'))).toEqual({
      open_now: false,
      open_later_today: true,
    });
  });
});
