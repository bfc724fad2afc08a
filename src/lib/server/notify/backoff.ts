/*
 * When to try a failed delivery (a webhook call, an e-mail) again: exponential backoff with jitter,
 * capped, for a bounded number of attempts.
 */

export interface BackoffPolicy {
	/** Attempts in all, the first included; after the last failure the delivery has failed. */
	maxAttempts: number;
	/** Wait after the first failed attempt, doubled after each further one. */
	baseMs: number;
	/** No wait is longer than this. */
	capMs: number;
	/** Up to this share of a wait is taken off at random, so retries of many deliveries spread out. */
	jitter: number;
}

/** Webhooks: 8 attempts; waits of about 30 s, 1, 2, 4, 8, 16 and 32 min (≈ 1 h in all). */
export const WEBHOOK_BACKOFF: BackoffPolicy = { maxAttempts: 8, baseMs: 30_000, capMs: 60 * 60_000, jitter: 0.2 };

/** E-mail over SMTP: 5 attempts; waits of about 1, 2, 4 and 8 min. */
export const MAIL_BACKOFF: BackoffPolicy = { maxAttempts: 5, baseMs: 60_000, capMs: 30 * 60_000, jitter: 0.2 };

/**
 * Rule "backoff": after the n-th failed attempt (n ≥ 1) wait `min(cap, base × 2^(n−1))`, less a random
 * share of it of at most `jitter` — so the wait lies in [(1 − jitter) × w, w] and never exceeds the
 * cap. `random` returns a number in [0, 1).
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
	if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a whole number ≥ 1, got ${attempt}`);
	const full = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 52));
	const r = Math.min(Math.max(random(), 0), 1);
	return Math.round(full * (1 - policy.jitter * r));
}

/**
 * When to try again after `attempts` failed attempts, or null when none is left (the delivery has
 * failed for good).
 */
export function nextAttemptAt(attempts: number, now: Date, policy: BackoffPolicy, random: () => number = Math.random): Date | null {
	if (attempts >= policy.maxAttempts) return null;
	return new Date(now.getTime() + retryDelayMs(attempts, policy, random));
}
