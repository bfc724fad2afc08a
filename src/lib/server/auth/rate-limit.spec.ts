import { describe, expect, it } from 'vitest';
import {
	ACCOUNT_POLICY,
	ADDRESS_POLICY,
	addressPolicy,
	accountKey,
	addressKey,
	lockMessage,
	minutesLocked,
	nextCounter,
	type Counter,
	type LimitPolicy
} from './rate-limit';

const MINUTE = 60_000;
const policy: LimitPolicy = { maxFailures: 3, windowMs: 10 * MINUTE, lockMs: 15 * MINUTE };
const start = new Date('2025-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(start.getTime() + ms);

describe('policies', () => {
	it('locks an account after 5 failures and an address after 30, each for 15 minutes', () => {
		expect(ACCOUNT_POLICY).toEqual({ maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE });
		expect(ADDRESS_POLICY).toEqual({ maxFailures: 30, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE });
	});
});

describe('nextCounter', () => {
	it('starts a fresh window at the first failure', () => {
		expect(nextCounter(null, start, policy)).toEqual({ failures: 1, windowStart: start, lockedUntil: null });
	});

	it('counts failures inside the window and keeps its start', () => {
		const one = nextCounter(null, start, policy);
		const two = nextCounter(one, at(MINUTE), policy);
		expect(two).toEqual({ failures: 2, windowStart: start, lockedUntil: null });
	});

	it('locks exactly when the failures reach the maximum, for lockMs from now', () => {
		let counter: Counter | null = null;
		counter = nextCounter(counter, at(0), policy);
		counter = nextCounter(counter, at(MINUTE), policy);
		expect(counter.lockedUntil).toBeNull();
		counter = nextCounter(counter, at(2 * MINUTE), policy);
		expect(counter.failures).toBe(3);
		expect(counter.lockedUntil?.getTime()).toBe(at(2 * MINUTE).getTime() + policy.lockMs);
	});

	it('extends the lock on each further failure', () => {
		const locked: Counter = { failures: 3, windowStart: start, lockedUntil: at(15 * MINUTE) };
		const next = nextCounter(locked, at(5 * MINUTE), policy);
		expect(next.failures).toBe(4);
		expect(next.lockedUntil?.getTime()).toBe(at(20 * MINUTE).getTime());
	});

	it('locks at once with a maximum of one', () => {
		const strict: LimitPolicy = { ...policy, maxFailures: 1 };
		expect(nextCounter(null, start, strict).lockedUntil?.getTime()).toBe(start.getTime() + policy.lockMs);
	});

	it('restarts the window once windowMs has passed', () => {
		const old: Counter = { failures: 2, windowStart: start, lockedUntil: null };
		expect(nextCounter(old, at(policy.windowMs), policy)).toEqual({
			failures: 1,
			windowStart: at(policy.windowMs),
			lockedUntil: null
		});
	});

	it('keeps counting one millisecond before the window ends', () => {
		const old: Counter = { failures: 2, windowStart: start, lockedUntil: null };
		const next = nextCounter(old, at(policy.windowMs - 1), policy);
		expect(next.failures).toBe(3);
		expect(next.windowStart).toEqual(start);
		expect(next.lockedUntil).not.toBeNull();
	});

	it('keeps an earlier lockedUntil when the new count is under the limit', () => {
		const earlierLock = at(12 * MINUTE);
		const old: Counter = { failures: 5, windowStart: start, lockedUntil: earlierLock };
		const next = nextCounter(old, at(policy.windowMs + MINUTE), policy);
		expect(next.failures).toBe(1);
		expect(next.lockedUntil).toEqual(earlierLock);
	});

	it('does not modify the previous counter', () => {
		const old: Counter = { failures: 1, windowStart: start, lockedUntil: null };
		nextCounter(old, at(MINUTE), policy);
		expect(old).toEqual({ failures: 1, windowStart: start, lockedUntil: null });
	});
});

describe('minutesLocked', () => {
	it('is 0 without a counter or a lock', () => {
		expect(minutesLocked(null, start)).toBe(0);
		expect(minutesLocked(undefined, start)).toBe(0);
		expect(minutesLocked({ lockedUntil: null }, start)).toBe(0);
	});

	it('is 0 once the lock has expired or ends right now', () => {
		expect(minutesLocked({ lockedUntil: at(-1) }, start)).toBe(0);
		expect(minutesLocked({ lockedUntil: start }, start)).toBe(0);
	});

	it('counts whole minutes, rounding up', () => {
		expect(minutesLocked({ lockedUntil: at(1) }, start)).toBe(1);
		expect(minutesLocked({ lockedUntil: at(MINUTE) }, start)).toBe(1);
		expect(minutesLocked({ lockedUntil: at(MINUTE + 1) }, start)).toBe(2);
		expect(minutesLocked({ lockedUntil: at(14 * MINUTE + 30_000) }, start)).toBe(15);
		expect(minutesLocked({ lockedUntil: at(15 * MINUTE) }, start)).toBe(15);
	});
});

describe('lockMessage', () => {
	it('uses the singular for one minute', () => {
		expect(lockMessage(1)).toBe('Too many failed sign-ins. Try again in 1 minute.');
	});

	it('uses the plural for other counts', () => {
		expect(lockMessage(15)).toBe('Too many failed sign-ins. Try again in 15 minutes.');
		expect(lockMessage(2)).toBe('Too many failed sign-ins. Try again in 2 minutes.');
	});
});

describe('keys', () => {
	it('lower-cases and trims the email in an account key', () => {
		expect(accountKey('  Anna@Example.COM \n')).toBe('account:anna@example.com');
		expect(accountKey('anna@example.com')).toBe(accountKey('ANNA@example.com '));
	});

	it('keeps the address as given in an address key', () => {
		expect(addressKey('192.0.2.1')).toBe('address:192.0.2.1');
		expect(addressKey('2001:db8::1')).toBe('address:2001:db8::1');
	});

	it('keeps account and address keys apart', () => {
		expect(accountKey('x')).not.toBe(addressKey('x'));
	});
});

describe('addressPolicy', () => {
	it('takes the failure count from the setting when it is a sensible whole number', () => {
		expect(addressPolicy('200')).toEqual({ ...ADDRESS_POLICY, maxFailures: 200 });
		expect(addressPolicy(' 1 ')).toEqual({ ...ADDRESS_POLICY, maxFailures: 1 });
		expect(addressPolicy('100000').maxFailures).toBe(100_000);
	});
	it('keeps the default otherwise', () => {
		for (const bad of [undefined, '', '0', '-5', '2.5', 'lots', '100001', '1e3']) expect(addressPolicy(bad), String(bad)).toBe(ADDRESS_POLICY);
	});
});
