import { describe, expect, it } from 'vitest';
import { calendarDay, isoWithOffset, localInputValue, offsetLabel, wallClockToInstant } from './zoned-time';

const iso = (r: ReturnType<typeof wallClockToInstant>) => r?.instant.toISOString();

describe('wallClockToInstant', () => {
	it('reads a Beijing 09:00 as 01:00 UTC (no daylight saving in Asia/Shanghai)', () => {
		expect(wallClockToInstant('2026-12-03T09:00', 'Asia/Shanghai')).toEqual({ kind: 'exact', instant: new Date('2026-12-03T01:00:00Z') });
		expect(iso(wallClockToInstant('2026-07-01T00:30', 'Asia/Shanghai'))).toBe('2026-06-30T16:30:00.000Z');
		expect(iso(wallClockToInstant(' 2026-06-01T09:30:15 ', 'UTC'))).toBe('2026-06-01T09:30:15.000Z');
	});

	it('follows New York across daylight saving: 2026-03-08 gap, 2026-11-01 overlap', () => {
		expect(iso(wallClockToInstant('2026-03-08T01:59', 'America/New_York'))).toBe('2026-03-08T06:59:00.000Z');
		expect(wallClockToInstant('2026-03-08T02:30', 'America/New_York')).toEqual({ kind: 'gap', instant: new Date('2026-03-08T07:30:00Z'), shiftedTo: '2026-03-08T03:30' });
		expect(wallClockToInstant('2026-03-08T03:00', 'America/New_York')).toEqual({ kind: 'exact', instant: new Date('2026-03-08T07:00:00Z') });
		expect(wallClockToInstant('2026-11-01T01:30', 'America/New_York')).toEqual({ kind: 'overlap', instant: new Date('2026-11-01T05:30:00Z'), later: new Date('2026-11-01T06:30:00Z') });
		expect(wallClockToInstant('2026-11-01T02:00', 'America/New_York')).toEqual({ kind: 'exact', instant: new Date('2026-11-01T07:00:00Z') });
		expect(iso(wallClockToInstant('2026-07-04T09:00', 'America/New_York'))).toBe('2026-07-04T13:00:00.000Z');
		expect(iso(wallClockToInstant('2026-12-03T09:00', 'America/New_York'))).toBe('2026-12-03T14:00:00.000Z');
	});

	it('follows Berlin across daylight saving: 2026-03-29 gap, 2026-10-25 overlap', () => {
		expect(wallClockToInstant('2026-03-29T02:15', 'Europe/Berlin')).toEqual({ kind: 'gap', instant: new Date('2026-03-29T01:15:00Z'), shiftedTo: '2026-03-29T03:15' });
		expect(iso(wallClockToInstant('2026-03-29T01:59', 'Europe/Berlin'))).toBe('2026-03-29T00:59:00.000Z');
		expect(iso(wallClockToInstant('2026-03-29T03:00', 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
		expect(wallClockToInstant('2026-10-25T02:30', 'Europe/Berlin')).toEqual({ kind: 'overlap', instant: new Date('2026-10-25T00:30:00Z'), later: new Date('2026-10-25T01:30:00Z') });
		expect(iso(wallClockToInstant('2026-10-25T03:00', 'Europe/Berlin'))).toBe('2026-10-25T02:00:00.000Z');
	});

	it('round-trips every quarter hour of the change days', () => {
		for (const [zone, day] of [['America/New_York', '2026-03-08'], ['America/New_York', '2026-11-01'], ['Europe/Berlin', '2026-03-29'], ['Europe/Berlin', '2026-10-25'], ['Asia/Shanghai', '2026-03-08']] as const) {
			const start = wallClockToInstant(`${day}T00:00`, zone)!.instant.getTime();
			for (let t = start; t < start + 86_400_000; t += 15 * 60_000) {
				const back = wallClockToInstant(localInputValue(t, zone), zone)!;
				// An instant in the second pass of an overlap reads back as the `later` one.
				expect(back.kind === 'overlap' ? [back.instant.getTime(), back.later.getTime()] : [back.instant.getTime()], `${zone} ${new Date(t).toISOString()}`).toContain(t);
				expect(back.kind).not.toBe('gap');
			}
		}
	});

	it('refuses what is not a real time', () => {
		for (const bad of ['', '2026-02-30T10:00', '2026-06-01', '2026-06-01 09:00', '2026-06-01T24:00', '1999-12-31T10:00', '2101-01-01T00:00', 'x2026-06-01T09:00'])
			expect(wallClockToInstant(bad, 'Asia/Shanghai'), bad).toBeNull();
	});
});

describe('showing instants in a zone', () => {
	it('names the offset in force', () => {
		expect(offsetLabel(new Date('2026-12-03T01:00:00Z'), 'Asia/Shanghai')).toBe('UTC+8');
		expect(offsetLabel(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe('UTC-4');
		expect(offsetLabel(new Date('2026-12-01T12:00:00Z'), 'America/New_York')).toBe('UTC-5');
		expect(offsetLabel(new Date('2026-12-01T12:00:00Z'), 'Asia/Kolkata')).toBe('UTC+5:30');
		expect(offsetLabel(new Date('2026-12-01T12:00:00Z'), 'UTC')).toBe('UTC');
	});

	it('gives calendar days, form values and ISO 8601 with the offset', () => {
		expect(calendarDay(new Date('2026-12-02T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-03');
		expect(calendarDay(new Date('2026-12-02T17:30:00Z'), 'America/New_York')).toBe('2026-12-02');
		expect(localInputValue(new Date('2026-12-03T01:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-03T09:00');
		expect(isoWithOffset(new Date('2026-12-03T01:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-03T09:00:00+08:00');
		expect(isoWithOffset(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30:00-04:00');
		expect(isoWithOffset(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30:00-05:00');
	});
});
