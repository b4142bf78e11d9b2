import { describe, expect, it } from 'vitest';
import { parseViewingTime } from '../../../src/voice/nlu/index.ts';

// Wednesday 2026-06-10 09:00 EDT.
const JUNE = new Date('2026-06-10T13:00:00Z');
const NY = 'America/New_York';

describe('parseViewingTime', () => {
  it.each([
    ['tomorrow at 3', '2026-06-11T15:00:00-04:00', 'exact'],
    ['tomorrow at three', '2026-06-11T15:00:00-04:00', 'exact'],
    ['Friday at 10:30 am', '2026-06-12T10:30:00-04:00', 'exact'],
    ['friday at ten thirty', '2026-06-12T10:30:00-04:00', 'exact'],
    ['the 12th at noon', '2026-06-12T12:00:00-04:00', 'exact'],
    ['on the twelfth at noon', '2026-06-12T12:00:00-04:00', 'exact'],
    ['the 3rd at 2 pm', '2026-07-03T14:00:00-04:00', 'exact'],
    ['june 20th at 11', '2026-06-20T11:00:00-04:00', 'exact'],
    ['monday at 9 in the morning', '2026-06-15T09:00:00-04:00', 'exact'],
    ['at 4pm', '2026-06-10T16:00:00-04:00', 'exact'],
    ['at 8 am', '2026-06-11T08:00:00-04:00', 'exact'],
    ['wednesday at 5', '2026-06-17T17:00:00-04:00', 'exact'],
    ['day after tomorrow at 1', '2026-06-12T13:00:00-04:00', 'exact'],
  ])('%s → %s', (text, start, certainty) => {
    const t = parseViewingTime(text, JUNE, NY);
    expect(t?.start).toBe(start);
    expect(t?.certainty).toBe(certainty);
  });

  it('resolves parts of the day to windows', () => {
    expect(parseViewingTime('next tuesday morning', JUNE, NY)).toMatchObject({
      start: '2026-06-16T09:00:00-04:00',
      end: '2026-06-16T12:00:00-04:00',
      certainty: 'approximate',
    });
    expect(parseViewingTime('saturday afternoon', JUNE, NY)).toMatchObject({
      start: '2026-06-13T12:00:00-04:00',
      end: '2026-06-13T17:00:00-04:00',
    });
    expect(parseViewingTime('tomorrow', JUNE, NY)).toMatchObject({
      start: '2026-06-11T09:00:00-04:00',
      end: '2026-06-11T17:00:00-04:00',
      certainty: 'approximate',
    });
  });

  it('returns null when no time is said', () => {
    expect(parseViewingTime('how many bedrooms', JUNE, NY)).toBeNull();
    expect(parseViewingTime('', JUNE, NY)).toBeNull();
    expect(parseViewingTime('tomorrow', JUNE, 'Not/AZone')).toBeNull();
  });

  it('uses the caller time zone, not UTC', () => {
    // 2026-06-11 02:00 UTC is still the evening of the 10th in Los Angeles.
    const late = new Date('2026-06-11T02:00:00Z');
    expect(parseViewingTime('tomorrow at 10 am', late, 'America/Los_Angeles')?.start).toBe('2026-06-11T10:00:00-07:00');
    expect(parseViewingTime('tomorrow at 10 am', late, 'Europe/London')?.start).toBe('2026-06-12T10:00:00+01:00');
  });

  describe('across DST boundaries', () => {
    it('spring forward in New York (2026-03-08)', () => {
      const sat = new Date('2026-03-07T15:00:00Z'); // Sat 10:00 EST
      const t = parseViewingTime('tomorrow at 3', sat, NY);
      expect(t?.start).toBe('2026-03-08T15:00:00-04:00');
      expect(new Date(t!.start).toISOString()).toBe('2026-03-08T19:00:00.000Z');
      expect(parseViewingTime('saturday at 3', sat, NY)?.start).toBe('2026-03-14T15:00:00-04:00');
    });

    it('fall back in New York (2026-11-01)', () => {
      const sat = new Date('2026-10-31T14:00:00Z'); // Sat 10:00 EDT
      const t = parseViewingTime('tomorrow at 10:30 am', sat, NY);
      expect(t?.start).toBe('2026-11-01T10:30:00-05:00');
      expect(new Date(t!.start).toISOString()).toBe('2026-11-01T15:30:00.000Z');
    });

    it('British Summer Time starts 2026-03-29 in London', () => {
      const fri = new Date('2026-03-27T12:00:00Z');
      expect(parseViewingTime('sunday morning', fri, 'Europe/London')).toMatchObject({
        start: '2026-03-29T09:00:00+01:00',
        end: '2026-03-29T12:00:00+01:00',
      });
      expect(parseViewingTime('saturday at noon', fri, 'Europe/London')?.start).toBe('2026-03-28T12:00:00+00:00');
    });
  });
});
