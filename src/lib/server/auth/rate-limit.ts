import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { loginAttempt } from '../db/schema';
import { m } from '../../paraglide/messages.js';

export interface LimitPolicy {
	/** Failures allowed inside one window before the key is locked. */
	maxFailures: number;
	windowMs: number;
	lockMs: number;
}

const MINUTE = 60_000;
/** Per account: slows password guessing against one person. */
export const ACCOUNT_POLICY: LimitPolicy = { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
/** Per address: slows one machine trying many accounts; looser, since offices share addresses. */
export const ADDRESS_POLICY: LimitPolicy = { maxFailures: 30, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };

/**
 * The per-address policy with the failure count from `LOGIN_FAILURES_PER_ADDRESS` when set to a
 * whole number from 1 to 100,000 (many people behind one office address may need more than 30);
 * anything else keeps the default.
 */
export function addressPolicy(setting: string | undefined = process.env.LOGIN_FAILURES_PER_ADDRESS): LimitPolicy {
	const n = setting !== undefined && /^\d{1,6}$/.test(setting.trim()) ? Number(setting.trim()) : NaN;
	return n >= 1 && n <= 100_000 ? { ...ADDRESS_POLICY, maxFailures: n } : ADDRESS_POLICY;
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

export interface Counter {
	failures: number;
	windowStart: Date;
	lockedUntil: Date | null;
}

/** The counter after one more failure: a window older than the policy's starts afresh. */
export function nextCounter(previous: Counter | null, now: Date, policy: LimitPolicy): Counter {
	const fresh = !previous || now.getTime() - previous.windowStart.getTime() >= policy.windowMs;
	const failures = fresh ? 1 : previous.failures + 1;
	const windowStart = fresh ? now : previous.windowStart;
	const lockedUntil =
		failures >= policy.maxFailures
			? new Date(now.getTime() + policy.lockMs)
			: (previous?.lockedUntil ?? null);
	return { failures, windowStart, lockedUntil };
}

/** Whole minutes left on a lock, rounded up so the message never says "0 minutes"; 0 when unlocked. */
export function minutesLocked(counter: Pick<Counter, 'lockedUntil'> | null | undefined, now: Date): number {
	const until = counter?.lockedUntil?.getTime() ?? 0;
	return until > now.getTime() ? Math.ceil((until - now.getTime()) / MINUTE) : 0;
}

/** In the request's language (English outside a request). */
export function lockMessage(minutes: number): string {
	return m.login_locked({ minutes });
}

/** Minutes until the longest lock among these keys ends; 0 when sign-in may be tried. */
export async function lockedFor(db: Executor, keys: string[], now = new Date()): Promise<number> {
	const rows = await db.select().from(loginAttempt).where(inArray(loginAttempt.key, keys));
	return Math.max(0, ...rows.map((row) => minutesLocked(row, now)));
}

/**
 * Counts one failure for a key in a single atomic statement, so that concurrent requests on
 * several app processes cannot lose an increment. Mirrors `nextCounter`.
 */
export async function recordFailure(
	db: Executor,
	key: string,
	policy: LimitPolicy,
	now = new Date()
): Promise<Counter> {
	const windowFloor = new Date(now.getTime() - policy.windowMs);
	const lockUntil = new Date(now.getTime() + policy.lockMs);
	const fresh = sql`${loginAttempt.windowStart} <= ${windowFloor.toISOString()}::timestamptz`;
	const failures = sql`case when ${fresh} then 1 else ${loginAttempt.failures} + 1 end`;
	const [row] = await db
		.insert(loginAttempt)
		.values({
			key,
			failures: 1,
			windowStart: now,
			lockedUntil: policy.maxFailures <= 1 ? lockUntil : null
		})
		.onConflictDoUpdate({
			target: loginAttempt.key,
			set: {
				failures,
				windowStart: sql`case when ${fresh} then ${now.toISOString()}::timestamptz else ${loginAttempt.windowStart} end`,
				lockedUntil: sql`case when ${failures} >= ${policy.maxFailures} then ${lockUntil.toISOString()}::timestamptz else ${loginAttempt.lockedUntil} end`
			}
		})
		.returning();
	if (!row) throw new Error(`Could not record a login failure for ${key}`);
	return row;
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
	await db.delete(loginAttempt).where(eq(loginAttempt.key, key));
}
