import { eq, sql } from 'drizzle-orm';
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

export interface Claim {
	counter: Counter;
	/** Whether this attempt may go on to the password check. */
	allowed: boolean;
}

/**
 * One attempt, counted before its password is checked (a right password gives it back with
 * `releaseAttempt`). An attempt made while the key is locked is refused; it is counted too, above
 * the maximum, and leaves the lock as it is. Otherwise it is counted (a window older than the policy's starts afresh) and may proceed when
 * the count is at most the maximum; the attempt that reaches the maximum sets the lock. Counting
 * first is what makes a burst safe: of twenty simultaneous guesses only `maxFailures` get to
 * the password check. `claimAttempt` is this rule in one SQL statement.
 */
export function nextClaim(previous: Counter | null, now: Date, policy: LimitPolicy): Claim {
	if (previous && minutesLocked(previous, now) > 0) {
		return { counter: { ...previous, failures: Math.max(previous.failures + 1, policy.maxFailures + 1) }, allowed: false };
	}
	const fresh = !previous || now.getTime() - previous.windowStart.getTime() >= policy.windowMs;
	const failures = fresh ? 1 : previous.failures + 1;
	const windowStart = fresh ? now : previous.windowStart;
	const lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : (previous?.lockedUntil ?? null);
	return { counter: { failures, windowStart, lockedUntil }, allowed: failures <= policy.maxFailures };
}

/** The counter once an attempt that proved the password right is given back. */
export function releasedCounter(counter: Counter, policy: LimitPolicy): Counter {
	const failures = Math.max(0, counter.failures - 1);
	return { ...counter, failures, lockedUntil: failures < policy.maxFailures ? null : counter.lockedUntil };
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

/**
 * `nextClaim` in one atomic statement (an upsert that locks the key's row), so that concurrent
 * attempts in one process or in several never read the same count: each sees the count the
 * previous one left. Returns whether the attempt may proceed, and the counter after it.
 */
export async function claimAttempt(db: Executor, key: string, policy: LimitPolicy, now = new Date()): Promise<Claim> {
	const at = now.toISOString();
	const windowFloor = new Date(now.getTime() - policy.windowMs).toISOString();
	const lockUntil = new Date(now.getTime() + policy.lockMs).toISOString();
	const locked = sql`coalesce(${loginAttempt.lockedUntil} > ${at}::timestamptz, false)`;
	const fresh = sql`${loginAttempt.windowStart} <= ${windowFloor}::timestamptz`;
	const failures = sql`case when ${locked} then greatest(${loginAttempt.failures} + 1, ${policy.maxFailures + 1}) when ${fresh} then 1 else ${loginAttempt.failures} + 1 end`;
	const [row] = await db
		.insert(loginAttempt)
		.values({ key, failures: 1, windowStart: now, lockedUntil: policy.maxFailures <= 1 ? new Date(lockUntil) : null })
		.onConflictDoUpdate({
			target: loginAttempt.key,
			set: {
				failures,
				windowStart: sql`case when not ${locked} and ${fresh} then ${at}::timestamptz else ${loginAttempt.windowStart} end`,
				lockedUntil: sql`case when not ${locked} and ${failures} >= ${policy.maxFailures} then ${lockUntil}::timestamptz else ${loginAttempt.lockedUntil} end`
			}
		})
		.returning();
	if (!row) throw new Error(`Could not count a sign-in attempt for ${key}`);
	// An attempt on a locked key is counted above the maximum: the count alone tells.
	return { counter: row, allowed: row.failures <= policy.maxFailures };
}

/** Gives back an attempt whose password was right: it was counted before the check. */
export async function releaseAttempt(db: Executor, key: string, policy: LimitPolicy): Promise<void> {
	const failures = sql`greatest(${loginAttempt.failures} - 1, 0)`;
	await db
		.update(loginAttempt)
		.set({ failures, lockedUntil: sql`case when ${failures} < ${policy.maxFailures} then null else ${loginAttempt.lockedUntil} end` })
		.where(eq(loginAttempt.key, key));
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
	await db.delete(loginAttempt).where(eq(loginAttempt.key, key));
}
