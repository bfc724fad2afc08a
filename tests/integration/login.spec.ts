import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { authenticate, BAD_CREDENTIALS, createUser } from '../../src/lib/server/users';
import { ACCOUNT_POLICY, ADDRESS_POLICY, accountKey, claimAttempt, minutesLocked } from '../../src/lib/server/auth/rate-limit';

let t: TestDb;
const PASSWORD = 'correct-horse-battery';

beforeAll(async () => {
	t = await freshDb();
	for (const name of ['ana', 'ben', 'cai', 'dee'])
		await createUser(t.db, { email: `${name}@example.com`, displayName: name, roles: ['technician'], password: PASSWORD }, null);
});
afterAll(() => t.dispose());

describe('authenticate', () => {
	it('signs in with the right password, whatever the case of the email', async () => {
		const result = await authenticate(t.db, '  ANA@Example.com ', PASSWORD, '10.0.0.1');
		expect(result).toMatchObject({ ok: true, roles: ['technician'] });
	});

	it('gives the same message for an unknown email and a wrong password', async () => {
		const unknown = await authenticate(t.db, 'nobody@example.com', PASSWORD, '10.0.0.2');
		const wrong = await authenticate(t.db, 'ben@example.com', 'wrong-password-1', '10.0.0.2');
		expect(unknown).toEqual({ ok: false, message: BAD_CREDENTIALS, status: 400 });
		expect(wrong).toEqual(unknown);
	});

	it('locks an account after five failures with a "try again in N minutes" message, even with the right password', async () => {
		const now = new Date('2026-03-01T10:00:00Z');
		for (let i = 0; i < ACCOUNT_POLICY.maxFailures - 1; i++) {
			expect(await authenticate(t.db, 'cai@example.com', 'nope-nope-nope', `10.1.0.${i}`, now)).toMatchObject({ status: 400 });
		}
		const fifth = await authenticate(t.db, 'cai@example.com', 'nope-nope-nope', '10.1.0.9', now);
		expect(fifth).toEqual({ ok: false, status: 429, message: 'Too many failed sign-ins. Try again in 15 minutes.' });
		const later = new Date(now.getTime() + 4 * 60_000 + 1);
		expect(await authenticate(t.db, 'cai@example.com', PASSWORD, '10.1.0.10', later)).toEqual({
			ok: false,
			status: 429,
			message: 'Too many failed sign-ins. Try again in 11 minutes.'
		});
		const after = new Date(now.getTime() + ACCOUNT_POLICY.lockMs + 1);
		expect(await authenticate(t.db, 'cai@example.com', PASSWORD, '10.1.0.11', after)).toMatchObject({ ok: true });
	});

	it('locks an address that fails on many accounts', async () => {
		const now = new Date('2026-03-02T10:00:00Z');
		let last;
		for (let i = 0; i < ADDRESS_POLICY.maxFailures; i++) {
			last = await authenticate(t.db, `guess${i}@example.com`, 'guess-guess', '192.0.2.7', now);
		}
		expect(last).toMatchObject({ status: 429 });
		// Another address may still sign in to the same accounts.
		expect(await authenticate(t.db, 'dee@example.com', PASSWORD, '192.0.2.8', now)).toMatchObject({ ok: true });
		expect(await authenticate(t.db, 'dee@example.com', PASSWORD, '192.0.2.7', now)).toMatchObject({ status: 429 });
	});

	it('counts concurrent attempts without losing any (one atomic statement per attempt)', async () => {
		const now = new Date('2026-03-03T10:00:00Z');
		const key = accountKey('race@example.com');
		const policy = { maxFailures: 50, windowMs: 60_000, lockMs: 60_000 };
		await Promise.all(Array.from({ length: 20 }, () => claimAttempt(t.db, key, policy, now)));
		const final = await claimAttempt(t.db, key, policy, now);
		expect(final).toMatchObject({ allowed: true, counter: { failures: 21 } });
		expect(minutesLocked(final.counter, now)).toBe(0);
	});

	it('gives the count of a right password back: signing in often never locks an office address', async () => {
		const now = new Date('2026-03-04T10:00:00Z');
		for (let i = 0; i < ADDRESS_POLICY.maxFailures + 5; i++) {
			expect(await authenticate(t.db, 'ana@example.com', PASSWORD, '198.51.100.20', now)).toMatchObject({ ok: true });
		}
	});

	it('refuses inactive accounts and invited accounts without a password with the same message', async () => {
		const invited = await createUser(t.db, { email: 'inv@example.com', displayName: 'Inv', roles: ['technician'] }, null);
		expect(invited.passwordHash).toBeNull();
		expect(await authenticate(t.db, 'inv@example.com', '', '10.9.9.9')).toEqual({ ok: false, message: BAD_CREDENTIALS, status: 400 });
	});
});
