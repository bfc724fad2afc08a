import type { QuizSettings } from './types';

export interface PastAttempt {
	number: number;
	startedAt: Date;
	submittedAt: Date | null;
	passed: boolean | null;
}

export type StartDecision =
	| { ok: true; number: number }
	| { ok: false; reason: 'no-attempts-left'; used: number }
	| { ok: false; reason: 'cooldown'; minutes: number; until: Date };

/**
 * Whether a new attempt may start: within the attempts allowed (0 = unlimited) and not inside the
 * cooldown after the last submitted attempt.
 */
export function canStart(settings: Pick<QuizSettings, 'attempts' | 'cooldownMinutes'>, past: PastAttempt[], now: Date): StartDecision {
	const used = past.length;
	if (settings.attempts > 0 && used >= settings.attempts) return { ok: false, reason: 'no-attempts-left', used };
	const last = past.filter((a) => a.submittedAt).sort((a, b) => b.submittedAt!.getTime() - a.submittedAt!.getTime())[0];
	if (last && settings.cooldownMinutes > 0) {
		const until = new Date(last.submittedAt!.getTime() + settings.cooldownMinutes * 60_000);
		if (until > now) return { ok: false, reason: 'cooldown', minutes: Math.ceil((until.getTime() - now.getTime()) / 60_000), until };
	}
	return { ok: true, number: Math.max(0, ...past.map((a) => a.number)) + 1 };
}

/** The deadline of an attempt started at `startedAt`, or null when untimed. */
export function deadlineFor(startedAt: Date, timeLimitMinutes: number): Date | null {
	return timeLimitMinutes > 0 ? new Date(startedAt.getTime() + timeLimitMinutes * 60_000) : null;
}

/** An open attempt whose deadline has passed is submitted with what was saved. */
export function isExpired(attempt: { deadlineAt: Date | null; submittedAt: Date | null }, now: Date): boolean {
	return !attempt.submittedAt && attempt.deadlineAt !== null && attempt.deadlineAt.getTime() <= now.getTime();
}
