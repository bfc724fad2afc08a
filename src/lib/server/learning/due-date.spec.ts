import { describe, expect, it } from 'vitest';
import { dueDateProblem, parseDueDate } from './due-date';

const DAY = 24 * 60 * 60 * 1000;

describe('parseDueDate', () => {
	it('reads a date as the end of that day in UTC', () => {
		expect(parseDueDate('2026-03-15')?.toISOString()).toBe('2026-03-15T23:59:59.000Z');
	});

	it('accepts a leap day in a leap year', () => {
		expect(parseDueDate('2028-02-29')?.toISOString()).toBe('2028-02-29T23:59:59.000Z');
	});

	it('accepts the last day of the year', () => {
		expect(parseDueDate('2026-12-31')?.toISOString()).toBe('2026-12-31T23:59:59.000Z');
	});

	it('refuses days that do not exist', () => {
		expect(parseDueDate('2026-02-30')).toBeNull();
		expect(parseDueDate('2026-02-29')).toBeNull();
		expect(parseDueDate('2026-04-31')).toBeNull();
		expect(parseDueDate('2026-13-01')).toBeNull();
		expect(parseDueDate('2026-00-10')).toBeNull();
		expect(parseDueDate('2026-01-00')).toBeNull();
	});

	it('refuses other formats', () => {
		for (const value of ['', '2026-3-15', '15.03.2026', '2026/03/15', '2026-03-15T10:00', ' 2026-03-15', '2026-03-15 ', '20260315', 'tomorrow']) {
			expect(parseDueDate(value), value).toBeNull();
		}
	});
});

describe('dueDateProblem', () => {
	const now = new Date('2026-03-01T12:00:00Z');

	it('accepts a date ahead', () => {
		expect(dueDateProblem(new Date(now.getTime() + 30 * DAY), now)).toBeNull();
	});

	it('accepts today (the end of the day is still ahead)', () => {
		expect(dueDateProblem(parseDueDate('2026-03-01')!, now)).toBeNull();
		expect(dueDateProblem(now, now)).toBeNull();
	});

	it('refuses a date in the past', () => {
		expect(dueDateProblem(parseDueDate('2026-02-28')!, now)).toMatch(/past/);
		expect(dueDateProblem(new Date(now.getTime() - 1), now)).toMatch(/past/);
	});

	it('refuses a date more than two years away', () => {
		expect(dueDateProblem(new Date(now.getTime() + 2 * 366 * DAY + 1), now)).toMatch(/two years/);
		expect(dueDateProblem(parseDueDate('2030-01-01')!, now)).toMatch(/two years/);
	});

	it('accepts a date just under two years away', () => {
		expect(dueDateProblem(new Date(now.getTime() + 2 * 366 * DAY), now)).toBeNull();
		expect(dueDateProblem(parseDueDate('2028-02-28')!, now)).toBeNull();
	});
});

describe('parseDueDate in the organisation zone', () => {
	it('ends the day in that zone, so the day shown there is the day typed', () => {
		expect(parseDueDate('2026-12-10', 'Asia/Shanghai')?.toISOString()).toBe('2026-12-10T15:59:59.000Z');
		expect(parseDueDate('2026-03-08', 'America/New_York')?.toISOString()).toBe('2026-03-09T03:59:59.000Z');
		expect(parseDueDate('2026-10-25', 'Europe/Berlin')?.toISOString()).toBe('2026-10-25T22:59:59.000Z');
	});
});
