import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { ensureBuild, freePort, killAllApps, startApp, type AppProcess } from '../helpers/faults-app';
import { httpClient } from '../helpers/faults-http';
import { authenticate, changePassword, createUser } from '../../src/lib/server/users';
import { ACCOUNT_POLICY, accountKey, claimAttempt } from '../../src/lib/server/auth/rate-limit';
import { createSession, generateToken } from '../../src/lib/server/auth/session';

/**
 * The sign-in limit under concurrency: "may this attempt proceed" and "count it" are one atomic
 * step, so a burst of wrong passwords sent at once cannot open a window for the right one.
 * In process on the engine of this run (PGlite, or PostgreSQL with DATABASE_URL), and through two
 * app processes on one PostgreSQL database.
 */

let t: TestDb;
const PASSWORD = 'correct-horse-battery';
const WRONG = 'wrong-horse-battery';
const engine = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
	t = await freshDb();
});
afterAll(async () => {
	killAllApps();
	await t.dispose();
});

describe(`sign-in bursts on ${engine}`, () => {
	it('lets at most five of nineteen simultaneous wrong passwords reach the check, and then not the right one', async () => {
		for (let burst = 0; burst < 4; burst++) {
			const email = `burst${burst}@example.com`;
			await createUser(t.db, { email, displayName: `Burst ${burst}`, roles: ['technician'], password: PASSWORD }, null);
			const wrong = Promise.all(Array.from({ length: 19 }, (_, i) => authenticate(t.db, email, WRONG, `10.20.${burst}.${i}`)));
			await wait(100);
			const right = await authenticate(t.db, email, PASSWORD, `10.20.${burst}.99`);
			const results = await wrong;
			const checked = results.filter((r) => !r.ok && r.status === 400).length;
			expect(checked, `burst ${burst}: password checks that said "wrong"`).toBeLessThanOrEqual(ACCOUNT_POLICY.maxFailures - 1);
			expect(results.every((r) => !r.ok)).toBe(true);
			expect(right, `burst ${burst}: the right password after the burst`).toMatchObject({ ok: false, status: 429 });
		}
	});

	it('counts every one of many simultaneous claims exactly once', async () => {
		const key = accountKey('claims@example.com');
		const policy = { maxFailures: 10, windowMs: 60_000, lockMs: 60_000 };
		const now = new Date('2026-04-01T10:00:00Z');
		const claims = await Promise.all(Array.from({ length: 40 }, () => claimAttempt(t.db, key, policy, now)));
		expect(claims.filter((c) => c.allowed)).toHaveLength(10);
		expect(Math.max(...claims.map((c) => c.counter.failures))).toBe(40);
	});

	it('counts wrong current passwords on the profile against the account, with the sign-in message', async () => {
		const u = await createUser(t.db, { email: 'thief@example.com', displayName: 'Stolen session', roles: ['technician'], password: PASSWORD }, null);
		const session = await createSession(t.db, generateToken(), u.id);
		const now = new Date();
		const messages: string[] = [];
		for (let i = 0; i < 7; i++) {
			try {
				await changePassword(t.db, u.id, `guess-number-${i}`, 'new-password-2027', session.id, now);
			} catch (e) {
				messages.push((e as Error).message);
			}
		}
		expect(messages.slice(0, 4)).toEqual(Array(4).fill('Your current password is not correct.'));
		expect(messages.slice(4)).toEqual(Array(3).fill('Too many failed sign-ins. Try again in 15 minutes.'));
		// Sign-in shares the limit: the right password is refused now too, and so is the profile.
		expect(await authenticate(t.db, 'thief@example.com', PASSWORD, '10.30.0.1', now)).toMatchObject({ ok: false, status: 429 });
		await expect(changePassword(t.db, u.id, PASSWORD, 'new-password-2027', session.id, now)).rejects.toThrow('Too many failed sign-ins');
	});
});

describe.skipIf(!process.env.DATABASE_URL)('sign-in bursts through two app processes on one PostgreSQL', () => {
	let apps: AppProcess[] = [];

	beforeAll(async () => {
		const entry = ensureBuild();
		// Every request comes from 127.0.0.1: the per-address limit is not what is tested here.
		process.env.LOGIN_FAILURES_PER_ADDRESS = '100000';
		apps = await Promise.all([0, 1].map(async () => startApp({ entry, port: await freePort(), databaseUrl: t.url! })));
	}, 120_000);

	afterAll(async () => {
		await Promise.all(apps.map((a) => a.stop()));
		delete process.env.LOGIN_FAILURES_PER_ADDRESS;
	});

	it('never lets the right password in after nineteen wrong ones sent at once to both', async () => {
		const clients = apps.map((a) => httpClient(a.base));
		try {
			for (let burst = 0; burst < 4; burst++) {
				const email = `twoapps${burst}@example.com`;
				await createUser(t.db, { email, displayName: `Two apps ${burst}`, roles: ['technician'], password: PASSWORD }, null);
				const login = (i: number, password: string) =>
					clients[i % 2]!.send('POST', '/login', { form: [['email', email], ['password', password]] });
				const wrong = Promise.all(Array.from({ length: 19 }, (_, i) => login(i, WRONG)));
				await wait(100);
				const right = await login(burst, PASSWORD);
				const replies = await wrong;
				expect(replies.every((r) => r.status === 400 || r.status === 429), replies.map((r) => r.status).join(',')).toBe(true);
				expect(replies.filter((r) => r.status === 400).length).toBeLessThanOrEqual(ACCOUNT_POLICY.maxFailures - 1);
				expect(right.status, `burst ${burst}: the right password after the burst`).toBe(429);
				expect(right.headers['set-cookie']?.some((c) => c.startsWith('sr_session=')) ?? false).toBe(false);
			}
		} finally {
			for (const c of clients) c.close();
		}
	}, 120_000);
});
