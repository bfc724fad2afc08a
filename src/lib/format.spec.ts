import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDay, formatPoints, formatStamp, formatTime, formatZonedDateTime, zoneLabel } from './format';

describe('formatDateTime', () => {
	it('shows a moment in the given zone with its offset, in either language', () => {
		const at = new Date('2026-12-03T01:00:00Z');
		expect(formatDateTime(at, 'en', 'Asia/Shanghai')).toBe('Dec 3, 2026, 09:00 UTC+8');
		expect(formatDateTime(at, 'zh-CN', 'Asia/Shanghai')).toMatch(/2026年12月3日.*09:00 UTC\+8/);
		expect(formatDateTime(at, 'en', 'Europe/Berlin')).toBe('Dec 3, 2026, 02:00 UTC+1');
		expect(formatDateTime(at, 'en', 'America/New_York')).toBe('Dec 2, 2026, 20:00 UTC-5');
	});

	it('names the zone in full for job times, with the offset of that day', () => {
		expect(formatZonedDateTime('2026-12-03T01:00:00Z', 'en', 'Asia/Shanghai')).toBe('Dec 3, 2026, 09:00 (Asia/Shanghai, UTC+8)');
		expect(formatZonedDateTime('2026-07-01T13:00:00Z', 'en', 'America/New_York')).toBe('Jul 1, 2026, 09:00 (America/New_York, UTC-4)');
		expect(formatTime('2026-07-01T13:00:00Z', 'en', 'America/New_York')).toBe('09:00');
		expect(zoneLabel('Europe/Berlin', new Date('2026-07-01T00:00:00Z'))).toBe('Europe/Berlin, UTC+2');
	});

	it('gives the calendar date in the zone given (the organisation’s for due and expiry dates)', () => {
		expect(formatDate(new Date('2026-12-02T17:30:00Z'), 'en', 'Asia/Shanghai')).toBe('Dec 3, 2026');
		expect(formatDate(new Date('2026-12-02T17:30:00Z'), 'en', 'UTC')).toBe('Dec 2, 2026');
		expect(formatDay(new Date('2026-12-02T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-03');
	});

	it('writes compact stamps for logs', () => {
		expect(formatStamp(new Date('2026-12-02T17:30:05Z'), 'Asia/Shanghai')).toBe('2026-12-03 01:30 UTC+8');
		expect(formatStamp(new Date('2026-12-02T17:30:05Z'), 'UTC', true)).toBe('2026-12-02 17:30:05 UTC');
	});
});

describe('formatPoints', () => {
	it('rounds to one decimal for people', () => {
		expect(formatPoints(2.0833, 'en')).toBe('2.1');
		expect(formatPoints(8, 'zh-CN')).toBe('8');
		expect(formatPoints(0.04, 'en')).toBe('0');
	});
});
