import { describe, expect, it } from 'vitest';
import { canStart, deadlineFor, isExpired, type PastAttempt } from './rules';

const MINUTE = 60_000;
const t0 = new Date('2025-03-01T09:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);

function attempt(number: number, startedMin: number, submittedMin: number | null, passed: boolean | null = null): PastAttempt {
	return { number, startedAt: at(startedMin), submittedAt: submittedMin === null ? null : at(submittedMin), passed };
}

describe('canStart', () => {
	it('allows the first attempt as number 1', () => {
		expect(canStart({ attempts: 3, cooldownMinutes: 10 }, [], t0)).toEqual({ ok: true, number: 1 });
		expect(canStart({ attempts: 0, cooldownMinutes: 0 }, [], t0)).toEqual({ ok: true, number: 1 });
	});

	it('treats attempts = 0 as unlimited', () => {
		const past = Array.from({ length: 50 }, (_, i) => attempt(i + 1, i * 2, i * 2 + 1, false));
		expect(canStart({ attempts: 0, cooldownMinutes: 0 }, past, at(1000))).toEqual({ ok: true, number: 51 });
	});

	it('allows attempts up to the limit and refuses beyond it', () => {
		const settings = { attempts: 3, cooldownMinutes: 0 };
		const two = [attempt(1, 0, 5, false), attempt(2, 10, 15, false)];
		expect(canStart(settings, two, at(60))).toEqual({ ok: true, number: 3 });
		const three = [...two, attempt(3, 20, 25, false)];
		expect(canStart(settings, three, at(60))).toEqual({ ok: false, reason: 'no-attempts-left', used: 3 });
	});

	it('counts attempts that were never submitted towards the limit', () => {
		const past = [attempt(1, 0, 5, false), attempt(2, 10, null)];
		expect(canStart({ attempts: 2, cooldownMinutes: 0 }, past, at(60))).toEqual({ ok: false, reason: 'no-attempts-left', used: 2 });
	});

	it('reports no attempts left before any cooldown', () => {
		const past = [attempt(1, 0, 5, false)];
		expect(canStart({ attempts: 1, cooldownMinutes: 30 }, past, at(6))).toEqual({ ok: false, reason: 'no-attempts-left', used: 1 });
	});

	it('refuses inside the cooldown after the last submitted attempt', () => {
		const past = [attempt(1, 0, 10, false)];
		const decision = canStart({ attempts: 0, cooldownMinutes: 30 }, past, at(20));
		expect(decision).toEqual({ ok: false, reason: 'cooldown', minutes: 20, until: at(40) });
	});

	it('rounds the minutes left up', () => {
		const settings = { attempts: 0, cooldownMinutes: 10 };
		const past = [attempt(1, 0, 0, false)];
		// 8.5 minutes left → 9.
		expect(canStart(settings, past, new Date(t0.getTime() + 1.5 * MINUTE))).toMatchObject({ reason: 'cooldown', minutes: 9 });
		// One millisecond left → 1.
		expect(canStart(settings, past, new Date(t0.getTime() + 10 * MINUTE - 1))).toMatchObject({ reason: 'cooldown', minutes: 1 });
		// Exactly 3 minutes left → 3.
		expect(canStart(settings, past, at(7))).toMatchObject({ reason: 'cooldown', minutes: 3 });
	});

	it('allows a new attempt once the cooldown has ended (at the exact end and after)', () => {
		const settings = { attempts: 0, cooldownMinutes: 10 };
		const past = [attempt(1, 0, 5, false)];
		expect(canStart(settings, past, at(15))).toEqual({ ok: true, number: 2 });
		expect(canStart(settings, past, at(16))).toEqual({ ok: true, number: 2 });
	});

	it('has no cooldown when cooldownMinutes is 0', () => {
		const past = [attempt(1, 0, 5, false)];
		expect(canStart({ attempts: 0, cooldownMinutes: 0 }, past, at(5))).toEqual({ ok: true, number: 2 });
	});

	it('ignores attempts that were never submitted for the cooldown', () => {
		const settings = { attempts: 0, cooldownMinutes: 30 };
		// The only submitted attempt ended long ago; the open one started a minute ago.
		const past = [attempt(1, 0, 5, false), attempt(2, 99, null)];
		expect(canStart(settings, past, at(100))).toEqual({ ok: true, number: 3 });
		expect(canStart(settings, [attempt(1, 99, null)], at(100))).toEqual({ ok: true, number: 2 });
	});

	it('uses the latest submission, whatever the order of the list or the attempt numbers', () => {
		const settings = { attempts: 0, cooldownMinutes: 30 };
		// Attempt 3 was submitted first, attempt 2 last (at minute 50).
		const past = [attempt(3, 0, 10, false), attempt(1, 20, 25, false), attempt(2, 40, 50, true)];
		expect(canStart(settings, past, at(60))).toEqual({ ok: false, reason: 'cooldown', minutes: 20, until: at(80) });
		expect(canStart(settings, [...past].reverse(), at(60))).toEqual({ ok: false, reason: 'cooldown', minutes: 20, until: at(80) });
		expect(canStart(settings, past, at(80))).toEqual({ ok: true, number: 4 });
	});

	it('numbers the next attempt as the highest number + 1, not the count + 1', () => {
		const settings = { attempts: 0, cooldownMinutes: 0 };
		expect(canStart(settings, [attempt(1, 0, 1), attempt(4, 2, 3)], at(10))).toEqual({ ok: true, number: 5 });
		expect(canStart(settings, [attempt(7, 2, 3), attempt(2, 0, 1)], at(10))).toEqual({ ok: true, number: 8 });
	});

	it('does not reorder the list it is given', () => {
		const past = [attempt(1, 0, 10), attempt(2, 20, 30), attempt(3, 40, 35)];
		const copy = past.map((a) => ({ ...a }));
		canStart({ attempts: 0, cooldownMinutes: 60 }, past, at(50));
		expect(past).toEqual(copy);
	});
});

describe('deadlineFor', () => {
	it('is null for an untimed quiz', () => {
		expect(deadlineFor(t0, 0)).toBeNull();
	});

	it('is the start plus the time limit', () => {
		expect(deadlineFor(t0, 30)).toEqual(at(30));
		expect(deadlineFor(t0, 1)).toEqual(at(1));
		expect(deadlineFor(t0, 600)).toEqual(at(600));
	});

	it('does not change the start date', () => {
		const start = new Date(t0);
		deadlineFor(start, 45);
		expect(start).toEqual(t0);
	});
});

describe('isExpired', () => {
	const deadlineAt = at(30);

	it('is false before the deadline', () => {
		expect(isExpired({ deadlineAt, submittedAt: null }, at(29))).toBe(false);
		expect(isExpired({ deadlineAt, submittedAt: null }, new Date(deadlineAt.getTime() - 1))).toBe(false);
	});

	it('is true exactly at the deadline and after it', () => {
		expect(isExpired({ deadlineAt, submittedAt: null }, new Date(deadlineAt.getTime()))).toBe(true);
		expect(isExpired({ deadlineAt, submittedAt: null }, new Date(deadlineAt.getTime() + 1))).toBe(true);
		expect(isExpired({ deadlineAt, submittedAt: null }, at(600))).toBe(true);
	});

	it('is never true for an untimed attempt', () => {
		expect(isExpired({ deadlineAt: null, submittedAt: null }, at(100_000))).toBe(false);
	});

	it('is never true for a submitted attempt', () => {
		expect(isExpired({ deadlineAt, submittedAt: at(10) }, at(31))).toBe(false);
		expect(isExpired({ deadlineAt, submittedAt: at(30) }, at(30))).toBe(false);
	});

	it('agrees with deadlineFor', () => {
		const deadline = deadlineFor(t0, 20);
		expect(isExpired({ deadlineAt: deadline, submittedAt: null }, at(19))).toBe(false);
		expect(isExpired({ deadlineAt: deadline, submittedAt: null }, at(20))).toBe(true);
	});
});
