import { describe, expect, it } from 'vitest';
import {
	ACCOUNT_POLICY,
	ADDRESS_POLICY,
	addressPolicy,
	accountKey,
	addressKey,
	lockMessage,
	minutesLocked,
	nextClaim,
	releasedCounter,
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

describe('nextClaim', () => {
	it('starts a fresh window at the first attempt, which may proceed', () => {
		expect(nextClaim(null, start, policy)).toEqual({ counter: { failures: 1, windowStart: start, lockedUntil: null }, allowed: true });
	});

	it('counts attempts inside the window and keeps its start', () => {
		const one = nextClaim(null, start, policy).counter;
		expect(nextClaim(one, at(MINUTE), policy)).toEqual({ counter: { failures: 2, windowStart: start, lockedUntil: null }, allowed: true });
	});

	it('lets the attempt that reaches the maximum proceed and locks behind it, for lockMs from now', () => {
		let counter: Counter | null = null;
		counter = nextClaim(counter, at(0), policy).counter;
		counter = nextClaim(counter, at(MINUTE), policy).counter;
		expect(counter.lockedUntil).toBeNull();
		const third = nextClaim(counter, at(2 * MINUTE), policy);
		expect(third.allowed).toBe(true);
		expect(third.counter.failures).toBe(3);
		expect(third.counter.lockedUntil?.getTime()).toBe(at(2 * MINUTE).getTime() + policy.lockMs);
	});

	it('refuses every attempt while locked, counts it above the maximum and leaves the lock as it is', () => {
		const lockedUntil = at(15 * MINUTE);
		const locked: Counter = { failures: 3, windowStart: start, lockedUntil };
		const next = nextClaim(locked, at(5 * MINUTE), policy);
		expect(next).toEqual({ counter: { failures: 4, windowStart: start, lockedUntil }, allowed: false });
		// Even with a count under the maximum (the policy was raised meanwhile).
		expect(nextClaim({ ...locked, failures: 1 }, at(MINUTE), policy)).toMatchObject({ allowed: false, counter: { failures: 4 } });
	});

	it('refuses a burst past the maximum: of ten attempts at one instant, exactly maxFailures proceed', () => {
		let counter: Counter | null = null;
		let allowed = 0;
		for (let i = 0; i < 10; i++) {
			const claim = nextClaim(counter, start, policy);
			counter = claim.counter;
			if (claim.allowed) allowed++;
		}
		expect(allowed).toBe(policy.maxFailures);
	});

	it('locks at once with a maximum of one', () => {
		const strict: LimitPolicy = { ...policy, maxFailures: 1 };
		expect(nextClaim(null, start, strict).counter.lockedUntil?.getTime()).toBe(start.getTime() + policy.lockMs);
	});

	it('restarts the window once windowMs has passed and the lock has ended', () => {
		const old: Counter = { failures: 2, windowStart: start, lockedUntil: null };
		expect(nextClaim(old, at(policy.windowMs), policy).counter).toEqual({ failures: 1, windowStart: at(policy.windowMs), lockedUntil: null });
	});

	it('does not modify the previous counter', () => {
		const old: Counter = { failures: 1, windowStart: start, lockedUntil: null };
		nextClaim(old, at(MINUTE), policy);
		expect(old).toEqual({ failures: 1, windowStart: start, lockedUntil: null });
	});
});

describe('releasedCounter', () => {
	it('gives one attempt back and lifts a lock that attempt had set', () => {
		const claimed = nextClaim({ failures: 2, windowStart: start, lockedUntil: null }, at(MINUTE), policy).counter;
		expect(claimed.lockedUntil).not.toBeNull();
		expect(releasedCounter(claimed, policy)).toEqual({ failures: 2, windowStart: start, lockedUntil: null });
		expect(releasedCounter({ failures: 0, windowStart: start, lockedUntil: null }, policy).failures).toBe(0);
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
