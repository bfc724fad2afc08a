import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAIL_BACKOFF, WEBHOOK_BACKOFF, nextAttemptAt, retryDelayMs, type BackoffPolicy } from './backoff';

const noJitter = () => 0;
const fullJitter = () => 0.999999;

describe('retryDelayMs', () => {
	it('doubles from 30 s for webhooks: 30 s, 1, 2, 4, 8, 16, 32 min', () => {
		const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, WEBHOOK_BACKOFF, noJitter));
		expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1920].map((s) => s * 1000));
	});

	it('takes at most the jitter share off, never adds', () => {
		expect(retryDelayMs(1, WEBHOOK_BACKOFF, fullJitter)).toBe(24_000);
		expect(retryDelayMs(1, WEBHOOK_BACKOFF, () => 0.5)).toBe(27_000);
	});

	it('is capped', () => {
		const policy: BackoffPolicy = { maxAttempts: 100, baseMs: 1000, capMs: 10_000, jitter: 0 };
		expect(retryDelayMs(4, policy)).toBe(8000);
		expect(retryDelayMs(5, policy)).toBe(10_000);
		expect(retryDelayMs(99, policy)).toBe(10_000);
		expect(retryDelayMs(5000, WEBHOOK_BACKOFF, noJitter)).toBe(WEBHOOK_BACKOFF.capMs);
	});

	it('clamps a misbehaving random source into the jitter range', () => {
		expect(retryDelayMs(1, WEBHOOK_BACKOFF, () => 7)).toBe(24_000);
		expect(retryDelayMs(1, WEBHOOK_BACKOFF, () => -1)).toBe(30_000);
	});

	it('refuses an attempt number below 1 or not whole', () => {
		for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => retryDelayMs(bad, WEBHOOK_BACKOFF)).toThrow(RangeError);
	});

	it('never shrinks from one attempt to the next without jitter, and stays within [(1−j)·w, w] with it', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (n, r) => {
				const w = retryDelayMs(n, MAIL_BACKOFF, noJitter);
				expect(retryDelayMs(n + 1, MAIL_BACKOFF, noJitter)).toBeGreaterThanOrEqual(w);
				const d = retryDelayMs(n, MAIL_BACKOFF, () => r);
				expect(d).toBeLessThanOrEqual(w);
				expect(d).toBeGreaterThanOrEqual(Math.floor(w * (1 - MAIL_BACKOFF.jitter)));
			})
		);
	});
});

describe('nextAttemptAt', () => {
	const now = new Date('2026-06-01T12:00:00Z');

	it('schedules the next try after each failure until the last attempt, then gives up', () => {
		expect(nextAttemptAt(1, now, WEBHOOK_BACKOFF, noJitter)).toEqual(new Date('2026-06-01T12:00:30Z'));
		expect(nextAttemptAt(7, now, WEBHOOK_BACKOFF, noJitter)).toEqual(new Date('2026-06-01T12:32:00Z'));
		expect(nextAttemptAt(8, now, WEBHOOK_BACKOFF, noJitter)).toBeNull();
		expect(nextAttemptAt(9, now, WEBHOOK_BACKOFF, noJitter)).toBeNull();
		expect(nextAttemptAt(4, now, MAIL_BACKOFF, noJitter)).toEqual(new Date('2026-06-01T12:08:00Z'));
		expect(nextAttemptAt(5, now, MAIL_BACKOFF, noJitter)).toBeNull();
	});

	it('adds up to about an hour over all webhook attempts', () => {
		let total = 0;
		for (let n = 1; n < WEBHOOK_BACKOFF.maxAttempts; n++) total += retryDelayMs(n, WEBHOOK_BACKOFF, noJitter);
		expect(total / 60_000).toBeCloseTo(63.5, 1);
	});
});
