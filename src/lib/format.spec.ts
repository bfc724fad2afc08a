import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatPoints } from './format';

describe('formatDateTime', () => {
	it('shows the organisation time with its zone named, in either language', () => {
		const at = new Date('2026-12-03T01:00:00Z');
		expect(formatDateTime(at, 'en')).toMatch(/Dec 3, 2026.*09:00.*GMT\+8/);
		expect(formatDateTime(at, 'zh-CN')).toMatch(/2026年12月3日.*09:00/);
		expect(formatDateTime(at, 'en', 'Europe/Berlin')).toMatch(/02:00/);
	});

	it('gives the calendar date in the organisation zone', () => {
		expect(formatDate(new Date('2026-12-02T17:30:00Z'), 'en')).toBe('Dec 3, 2026');
	});
});

describe('formatPoints', () => {
	it('rounds to one decimal for people', () => {
		expect(formatPoints(2.0833, 'en')).toBe('2.1');
		expect(formatPoints(8, 'zh-CN')).toBe('8');
		expect(formatPoints(0.04, 'en')).toBe('0');
	});
});
